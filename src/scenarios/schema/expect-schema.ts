import { z } from 'zod';
import { ConversationStatus } from '../../events/schema.js';
import { EventMatcherSchema } from './event-matcher-schema.js';
import { OneOrMany, strict } from './strict.js';

/** What a file of the workspace must hold after the run. */
export const FileExpectationSchema = strict({
  exists: z.boolean().optional(),
  equals: z.string().optional(),
  contains: OneOrMany.optional(),
  notContains: OneOrMany.optional(),
});

/** What a file of the workspace must hold after the run. */
export type FileExpectation = z.infer<typeof FileExpectationSchema>;

/** Where a scripted message stands at the end: read by the model, withdrawn, or never read. */
export const OutcomeStatusSchema = z.enum(['delivered', 'retracted', 'pending']);

/**
 * What must be true after the run: the final status, events that appear in this order
 * (other events may come between), events that must not appear, text in workspace files,
 * the number of model requests, and where each scripted message ended.
 */
export const ExpectSchema = strict({
  status: ConversationStatus.optional(),
  events: z.array(EventMatcherSchema).optional(),
  noEvents: z.array(EventMatcherSchema).optional(),
  files: z.record(z.string(), FileExpectationSchema).optional(),
  modelCalls: z.number().int().nonnegative().optional(),
  outcomes: z.record(z.string(), OutcomeStatusSchema).optional(),
});

/** What must be true after the run. */
export type ScenarioExpectations = z.infer<typeof ExpectSchema>;
