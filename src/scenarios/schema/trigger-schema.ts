import { z } from 'zod';
import { NthEventMatcherSchema } from './event-matcher-schema.js';
import { strict } from './strict.js';

const FORMS = ['at', 'stateEntered', 'afterEvent', 'afterMs'] as const;

/**
 * When a scripted user message (or control) is sent. Exactly one of:
 * - `at: start`: before the first `run()`;
 * - `stateEntered: <state>` (with `nth`, default 1): the moment the machine enters that
 *   state for the n-th time (`thinking`, `acting`, `thinking.requesting`, `idle.finished`, …);
 * - `afterEvent: { kind, nth?, …fields }`: the moment the n-th matching event is logged;
 * - `afterMs: <ms>`: that long after the first `run()` starts (the one clock-based trigger).
 *
 * State and event triggers fire synchronously, inside the transition or append that
 * caused them, so a scenario plays out the same way every time.
 */
export const TriggerSchema = strict({
  at: z.literal('start', { error: 'the only `at` trigger is `at: start`' }).optional(),
  stateEntered: z.string().min(1).optional(),
  nth: z.number().int().min(1).optional(),
  afterEvent: NthEventMatcherSchema.optional(),
  afterMs: z.number().int().nonnegative().optional(),
}).superRefine((trigger, ctx) => {
  const given = FORMS.filter((form) => trigger[form] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message:
        given.length === 0
          ? `a trigger needs one of: at: start, stateEntered, afterEvent, afterMs`
          : `a trigger has exactly one of ${FORMS.join(', ')} (got ${given.join(' and ')})`,
    });
  }
  if (trigger.nth !== undefined && trigger.stateEntered === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['nth'],
      message:
        '`nth` goes with `stateEntered` (for afterEvent, put it inside: afterEvent: { kind, nth })',
    });
  }
});

/** When a scripted user message or control is sent. */
export type Trigger = z.infer<typeof TriggerSchema>;

/** The default trigger: before the first run. */
export const AT_START: Trigger = { at: 'start' };
