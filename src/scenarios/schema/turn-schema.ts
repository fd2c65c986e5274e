import { z } from 'zod';
import { strict } from './strict.js';

/** A tool call in a scripted turn. `args` is an object, or a string sent as is (e.g. bad JSON). */
export const ToolCallSchema = strict({
  tool: z.string().min(1),
  args: z
    .union([z.record(z.string(), z.unknown()), z.string()], {
      error: 'expected an object of arguments (or a raw string)',
    })
    .optional(),
});

/** A tool call in a scripted turn. */
export type ScenarioToolCall = z.infer<typeof ToolCallSchema>;

/** Conditions on the model's request; a turn with `when` answers only requests that fit all of them. */
export const TurnConditionSchema = strict({
  lastUserMessageContains: z.string().optional(),
  anyUserMessageContains: z.string().optional(),
  noUserMessageContains: z.string().optional(),
  lastToolResultContains: z.string().optional(),
  /** The request's user messages are exactly these, in this order. */
  userMessages: z.array(z.string()).optional(),
});

/** Conditions on the model's request. */
export type TurnCondition = z.infer<typeof TurnConditionSchema>;

const REPLIES = ['say', 'call', 'calls', 'finish', 'error'] as const;

/**
 * One scripted model reply. `say` is text (alone: a final answer; with a call: the
 * thought before it), `call`/`calls` are tool calls, `finish` calls the `finish` tool
 * with a message, `error` makes the model call fail. `when` limits the turn to requests
 * that fit; `delayMs` and `waitFor` hold the reply back. A plain string is `say`.
 */
export const TurnSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { say: value } : value),
  strict({
    say: z.string().optional(),
    call: ToolCallSchema.optional(),
    calls: z.array(ToolCallSchema).min(1).optional(),
    finish: z.string().optional(),
    error: z.string().optional(),
    when: TurnConditionSchema.optional(),
    delayMs: z.number().int().nonnegative().optional(),
    waitFor: strict({ userMessages: z.number().int().min(1) }).optional(),
    usage: strict({
      promptTokens: z.number().int().nonnegative(),
      completionTokens: z.number().int().nonnegative(),
      cachedTokens: z.number().int().nonnegative().optional(),
    }).optional(),
    cost: z.number().nonnegative().optional(),
  }).superRefine((turn, ctx) => {
    const replies = REPLIES.filter((key) => turn[key] !== undefined);
    if (replies.length === 0) {
      ctx.addIssue({
        code: 'custom',
        message: `a turn needs one of: ${REPLIES.join(', ')}`,
      });
    }
    const actions = replies.filter((key) => key !== 'say');
    if (actions.length > 1) {
      ctx.addIssue({
        code: 'custom',
        message: `a turn has at most one of call, calls, finish, error (got ${actions.join(' and ')})`,
      });
    }
    if (turn.error !== undefined && turn.say !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'a turn with `error` has no `say`' });
    }
  }),
);

/** One scripted model reply. */
export type ScenarioTurn = z.infer<typeof TurnSchema>;
