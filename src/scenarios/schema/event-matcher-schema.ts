import { z } from 'zod';
import { ConversationEventSchema } from '../../events/schema.js';
import type { EventKind } from '../../events/schema.js';
import { strict } from './strict.js';

/**
 * A pattern an event must fit: its `kind` and any of its other fields. A string field
 * matches exactly, or by substring with `{ contains: "…" }`; an object (`arguments`,
 * `usage`) matches when the pattern's keys match, recursively; a list matches item by item.
 */
export interface EventMatcher {
  kind: EventKind;
  [field: string]: unknown;
}

/** An event pattern that also says which match counts (`nth`, 1-based, default 1). */
export interface NthEventMatcher extends EventMatcher {
  nth?: number;
}

/** Fields every event has that a pattern cannot name (they differ from run to run). */
const UNMATCHABLE = new Set(['id', 'timestamp', 'kind']);

const Contains = strict({ contains: z.string() });

/** The pattern schema of one field, derived from the event schema of that field. */
function fieldPattern(schema: z.ZodType): z.ZodType {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  if (inner instanceof z.ZodString) {
    return z.union([z.string(), Contains], {
      error: 'expected a string, or { contains: "text" }',
    });
  }
  if (
    inner instanceof z.ZodEnum ||
    inner instanceof z.ZodBoolean ||
    inner instanceof z.ZodNumber ||
    inner instanceof z.ZodLiteral ||
    inner instanceof z.ZodArray
  ) {
    return inner;
  }
  return z.unknown();
}

const KINDS = ConversationEventSchema.options.map((o) => o.shape.kind.value);

function matcherSchema(withNth: boolean) {
  const variants = ConversationEventSchema.options.map((option) => {
    const shape: Record<string, z.ZodType> = { kind: option.shape.kind };
    for (const [key, value] of Object.entries(option.shape)) {
      if (!UNMATCHABLE.has(key)) shape[key] = fieldPattern(value as z.ZodType).optional();
    }
    if (withNth) shape.nth = z.number().int().min(1).optional();
    return strict(shape);
  });
  return z.discriminatedUnion(
    'kind',
    variants as unknown as [(typeof variants)[number], ...(typeof variants)[number][]],
    {
      error: (issue) =>
        issue.code === 'invalid_union' ? `kind must be one of: ${KINDS.join(', ')}` : undefined,
    },
  );
}

/** The schema of an event pattern in `expect.events`. */
export const EventMatcherSchema = matcherSchema(false) as unknown as z.ZodType<EventMatcher>;

/** The schema of an event pattern in an `afterEvent` trigger (with `nth`). */
export const NthEventMatcherSchema = matcherSchema(true) as unknown as z.ZodType<NthEventMatcher>;
