import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type {
  ActionEvent,
  ConversationEvent,
  ObservationEvent,
  UserRejectEvent,
} from '../events/schema.js';
import type { StuckReport } from '../machines/ports.js';

/** How many repetitions make each stuck pattern. */
export interface StuckThresholds {
  /** The same action with the same result, in a row. Default 4. */
  repeatedActionObservation: number;
  /** The same action ending in an error, in a row. Default 3. */
  repeatedActionError: number;
  /** Agent messages in a row without a tool call. Default 3. */
  monologue: number;
  /** Actions alternating between two (A, B, A, B...) with repeating results. Default 6. */
  alternatingPattern: number;
  /** Context-window errors of the model in a row. Default 3. */
  contextWindowErrors: number;
}

/** The thresholds OpenHands uses. */
export const DEFAULT_STUCK_THRESHOLDS: Readonly<StuckThresholds> = Object.freeze({
  repeatedActionObservation: 4,
  repeatedActionError: 3,
  monologue: 3,
  alternatingPattern: 6,
  contextWindowErrors: 3,
});

/** The loops `detectStuck` finds, as reported in `StuckReport.pattern`. */
export type StuckPattern =
  | 'repeated_action_observation'
  | 'repeated_action_error'
  | 'monologue'
  | 'alternating_pattern'
  | 'context_window_errors';

/** The most events looked at, from the end of the log. */
const MAX_SCAN = 500;
const CONTEXT_ERROR = 'context_length_exceeded';

interface Step {
  action: ActionEvent;
  result: ObservationEvent | UserRejectEvent;
}

/**
 * Finds a loop the agent is stuck in, from the log alone: only the events after the
 * last user message (or after the last `run()` that resumed a stuck conversation) are
 * judged, so a user who steers, or resumes, starts a fresh count. Patterns, as in
 * OpenHands:
 * - `repeated_action_observation`: the same action with the same result, 4 times;
 * - `repeated_action_error`: the same action failing, 3 times;
 * - `monologue`: 3 agent messages in a row without a tool call;
 * - `alternating_pattern`: two different actions alternating (A, B, A, B, A, B) with
 *   repeating results, 6 actions;
 * - `context_window_errors`: 3 context-window errors of the model in a row.
 *
 * Actions are equal when they call the same tool with the same arguments (key order and
 * the model's thoughts do not matter); results when their text and error flag are equal.
 * Polling that gets a different output each time is never stuck.
 *
 * @example
 * ```ts
 * const report = detectStuck(conversation.events);
 * if (report) console.log(report.pattern, report.message);
 * ```
 */
export function detectStuck(
  events: readonly ConversationEvent[],
  thresholds: Partial<StuckThresholds> = {},
): StuckReport | undefined {
  const t = resolveStuckThresholds(thresholds);
  const window = stuckWindow(events);
  const steps = stepsOf(window);
  return (
    repeatedActionObservation(steps, t.repeatedActionObservation) ??
    repeatedActionError(steps, t.repeatedActionError) ??
    monologue(window, t.monologue) ??
    alternating(steps, t.alternatingPattern) ??
    contextWindowErrors(window, t.contextWindowErrors)
  );
}

/** Fills in defaults and checks the thresholds. */
export function resolveStuckThresholds(thresholds: Partial<StuckThresholds>): StuckThresholds {
  const resolved = { ...DEFAULT_STUCK_THRESHOLDS, ...thresholds };
  for (const [name, value] of Object.entries(resolved)) {
    const least = name === 'alternatingPattern' ? 4 : 2;
    if (!Number.isInteger(value) || value < least) {
      throw new InvalidOptionError(
        `stuckDetection.${name}`,
        `stuckDetection.${name} must be an integer >= ${least}, got ${String(value)}`,
      );
    }
  }
  return resolved;
}

/**
 * The events the detector judges: those after the last user message or the last resume
 * from `stuck` (a `state_update` whose `previous` is `stuck`), at most the last 500.
 */
export function stuckWindow(events: readonly ConversationEvent[]): readonly ConversationEvent[] {
  const floor = Math.max(0, events.length - MAX_SCAN);
  for (let i = events.length - 1; i >= floor; i--) {
    const event = events[i]!;
    if (event.kind === 'message' && event.role === 'user') return events.slice(i + 1);
    if (event.kind === 'state_update' && event.previous === 'stuck') return events.slice(i + 1);
  }
  return events.slice(floor);
}

/** The actions that have a result, newest first. */
function stepsOf(window: readonly ConversationEvent[]): Step[] {
  const results = new Map<string, ObservationEvent | UserRejectEvent>();
  const steps: Step[] = [];
  for (let i = window.length - 1; i >= 0; i--) {
    const event = window[i]!;
    if (event.kind === 'observation' || event.kind === 'user_reject') {
      results.set(event.toolCallId, event);
    } else if (event.kind === 'action') {
      const result = results.get(event.toolCallId);
      if (result) steps.push({ action: event, result });
    }
  }
  return steps;
}

function repeatedActionObservation(steps: Step[], n: number): StuckReport | undefined {
  const last = steps.slice(0, n);
  if (last.length < n) return undefined;
  const action = actionKey(last[0]!.action);
  const result = resultKey(last[0]!.result);
  if (!last.every((s) => actionKey(s.action) === action && resultKey(s.result) === result)) {
    return undefined;
  }
  return {
    pattern: 'repeated_action_observation',
    message: `The agent is stuck: it ran the same action (${describe(last[0]!.action)}) ${n} times in a row and got the same result each time. Send a message to steer it, or call run() to let it try again.`,
  };
}

function repeatedActionError(steps: Step[], n: number): StuckReport | undefined {
  const last = steps.slice(0, n);
  if (last.length < n) return undefined;
  const action = actionKey(last[0]!.action);
  const failing = last.every(
    (s) => actionKey(s.action) === action && s.result.kind === 'observation' && s.result.isError,
  );
  if (!failing) return undefined;
  return {
    pattern: 'repeated_action_error',
    message: `The agent is stuck: the same action (${describe(last[0]!.action)}) failed ${n} times in a row. Send a message to steer it, or call run() to let it try again.`,
  };
}

function monologue(window: readonly ConversationEvent[], n: number): StuckReport | undefined {
  let count = 0;
  for (let i = window.length - 1; i >= 0; i--) {
    const event = window[i]!;
    if (event.kind === 'message' && event.role === 'assistant') count++;
    else if (['action', 'observation', 'user_reject', 'message'].includes(event.kind)) break;
  }
  if (count < n) return undefined;
  return {
    pattern: 'monologue',
    message: `The agent is stuck: it answered ${count} times in a row without using a tool or hearing from the user. Send a message to steer it, or call run() to let it try again.`,
  };
}

function alternating(steps: Step[], n: number): StuckReport | undefined {
  const last = steps.slice(0, n);
  if (last.length < n) return undefined;
  if (actionKey(last[0]!.action) === actionKey(last[1]!.action)) return undefined;
  for (let i = 0; i + 2 < n; i++) {
    if (actionKey(last[i]!.action) !== actionKey(last[i + 2]!.action)) return undefined;
    if (resultKey(last[i]!.result) !== resultKey(last[i + 2]!.result)) return undefined;
  }
  return {
    pattern: 'alternating_pattern',
    message: `The agent is stuck: it alternated between two actions (${describe(last[1]!.action)}, then ${describe(last[0]!.action)}) ${n / 2} times each, with the same results. Send a message to steer it, or call run() to let it try again.`,
  };
}

function contextWindowErrors(
  window: readonly ConversationEvent[],
  n: number,
): StuckReport | undefined {
  let count = 0;
  for (let i = window.length - 1; i >= 0; i--) {
    const event = window[i]!;
    if (event.kind === 'agent_error' && event.code === CONTEXT_ERROR) count++;
    else if (['action', 'observation', 'user_reject', 'message'].includes(event.kind)) break;
  }
  if (count < n) return undefined;
  return {
    pattern: 'context_window_errors',
    message: `The agent is stuck: the model refused the conversation as too long ${count} times in a row, and condensing did not help. Send a message, shorten the history with a condenser, or call run() to try again.`,
  };
}

function actionKey(action: ActionEvent): string {
  return `${action.toolName}\u0000${canonical(action.arguments)}`;
}

function resultKey(result: ObservationEvent | UserRejectEvent): string {
  return result.kind === 'observation'
    ? `observation\u0000${result.isError}\u0000${result.content}`
    : `reject\u0000${result.reason}`;
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same arguments. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function describe(action: ActionEvent): string {
  const args = canonical(action.arguments);
  return `${action.toolName} ${args.length > 80 ? `${args.slice(0, 77)}...` : args}`;
}
