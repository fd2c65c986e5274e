import { z } from 'zod';
import { Delivery } from '../../events/schema.js';
import { ExpectSchema } from './expect-schema.js';
import { strict } from './strict.js';
import { AT_START, TriggerSchema } from './trigger-schema.js';
import { TurnSchema } from './turn-schema.js';

/** The agent of a scenario: built-in tools by name, and the conversation's settings. */
export const ScenarioAgentSchema = strict({
  tools: z.array(z.string().min(1)).default([]),
  systemPrompt: z.string().optional(),
  maxIterationsPerRun: z.number().int().min(1).optional(),
  maxCostPerRun: z.number().nonnegative().optional(),
  steering: Delivery.optional(),
  /** Which actions wait for approval: none, all, or those rated high or unknown (`ConfirmRisky`). */
  confirmation: z.enum(['never', 'always', 'risky']).optional(),
  /** Stop a run that loops (status `stuck`). Default true. */
  stuckDetection: z.boolean().optional(),
});

/** The agent of a scenario. */
export type ScenarioAgent = z.infer<typeof ScenarioAgentSchema>;

/** A user message sent on a trigger (default: at start). */
export const ScenarioMessageSchema = strict({
  text: z.string(),
  delivery: Delivery.optional(),
  id: z.string().min(1).optional(),
  trigger: TriggerSchema.default(AT_START),
});

/** A user message sent on a trigger. */
export type ScenarioMessage = z.infer<typeof ScenarioMessageSchema>;

/** What a user can do to a conversation besides sending a message. */
export const ControlKind = z.enum(['pause', 'interrupt', 'resume', 'reject', 'retract']);

/**
 * A user command sent on a trigger: `pause`, `interrupt`, `resume` (run again; approves
 * pending actions), `reject` (the pending actions, with an optional `reason`) or
 * `retract` (a pending message, by `messageId`).
 */
export const ScenarioControlSchema = strict({
  do: ControlKind,
  trigger: TriggerSchema,
  messageId: z.string().min(1).optional(),
  reason: z.string().optional(),
}).superRefine((control, ctx) => {
  if (control.do === 'retract' && control.messageId === undefined) {
    ctx.addIssue({ code: 'custom', path: ['messageId'], message: '`retract` needs a messageId' });
  }
  if (control.do !== 'retract' && control.messageId !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['messageId'],
      message: 'only `retract` takes a messageId',
    });
  }
  if (control.do !== 'reject' && control.reason !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['reason'], message: 'only `reject` takes a reason' });
  }
});

/** A user command sent on a trigger. */
export type ScenarioControl = z.infer<typeof ScenarioControlSchema>;

/** The default time a scenario may take before it fails, in ms. */
export const DEFAULT_SCENARIO_TIMEOUT_MS = 30_000;

/**
 * A scenario file: an agent, the model's scripted turns, the user's messages and
 * commands with their triggers, and what must hold at the end. See docs/scenarios.md.
 */
export const ScenarioSchema = strict({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  agent: ScenarioAgentSchema.default({ tools: [] }),
  files: z.record(z.string(), z.string()).optional(),
  turns: z.array(TurnSchema).optional(),
  messages: z.array(ScenarioMessageSchema).default([]),
  controls: z.array(ScenarioControlSchema).default([]),
  expect: ExpectSchema.default({}),
  timeoutMs: z.number().int().min(1).default(DEFAULT_SCENARIO_TIMEOUT_MS),
});

/** A scenario as written in the file, after validation and defaults. */
export type ScenarioSpec = z.infer<typeof ScenarioSchema>;

/** A loaded scenario: the spec, its name, and the file it came from. */
export interface Scenario extends ScenarioSpec {
  name: string;
  /** The file it was read from, when there is one. */
  file?: string;
}
