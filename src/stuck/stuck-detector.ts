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
  const t = resolved.has(thresholds)
    ? (thresholds as StuckThresholds)
    : resolveStuckThresholds(thresholds);
  // Every pattern reads the window from its newest event and stops early, so the cost
  // of a check does not grow with the log (it runs before every model request).
  const window = newestFirst(events);
  const steps = stepsOf(
    window,
    Math.max(t.repeatedActionObservation, t.repeatedActionError, t.alternatingPattern),
  );
  return (
    repeatedActionObservation(steps, t.repeatedActionObservation) ??
    repeatedActionError(steps, t.repeatedActionError) ??
    monologue(window, t.monologue) ??
    alternating(steps, t.alternatingPattern) ??
    contextWindowErrors(window, t.contextWindowErrors)
  );
}

/** The events of the `stuckWindow`, newest first: `at(0)` is the last event; `undefined` past the window's start. */
interface NewestFirst {
  at(k: number): ConversationEvent | undefined;
}

/** Whether an event opens a new stuck window (the events after it are judged afresh). */
function startsWindow(event: ConversationEvent): boolean {
  return (
    (event.kind === 'message' && event.role === 'user') ||
    (event.kind === 'state_update' && event.previous === 'stuck')
  );
}

/** Reads `stuckWindow(events)` from its end, finding its start only as far as it is read. */
function newestFirst(events: readonly ConversationEvent[]): NewestFirst {
  const floor = Math.max(0, events.length - MAX_SCAN);
  // events[i] for i >= inside are known to be in the window.
  let inside = events.length;
  let ended = false;
  return {
    at(k) {
      const i = events.length - 1 - k;
      while (!ended && inside > i) {
        const next = inside - 1;
        if (next < floor || startsWindow(events[next]!)) ended = true;
        else inside = next;
      }
      return i >= inside ? events[i] : undefined;
    },
  };
}

/**
 * Thresholds `resolveStuckThresholds` returned (frozen, so still valid): `detectStuck`,
 * which runs before every model request, does not check them again.
 */
const resolved = new WeakSet<object>();

/** Fills in defaults and checks the thresholds. The result is frozen. */
export function resolveStuckThresholds(thresholds: Partial<StuckThresholds>): StuckThresholds {
  const complete = { ...DEFAULT_STUCK_THRESHOLDS, ...thresholds };
  for (const [name, value] of Object.entries(complete)) {
    const least = name === 'alternatingPattern' ? 4 : 2;
    if (!Number.isInteger(value) || value < least) {
      throw new InvalidOptionError(
        `stuckDetection.${name}`,
        `stuckDetection.${name} must be an integer >= ${least}, got ${String(value)}`,
      );
    }
  }
  const frozen = Object.freeze(complete);
  resolved.add(frozen);
  return frozen;
}

/**
 * The events the detector judges: those after the last user message or the last resume
 * from `stuck` (a `state_update` whose `previous` is `stuck`), at most the last 500.
 */
export function stuckWindow(events: readonly ConversationEvent[]): readonly ConversationEvent[] {
  const floor = Math.max(0, events.length - MAX_SCAN);
  for (let i = events.length - 1; i >= floor; i--) {
    if (startsWindow(events[i]!)) return events.slice(i + 1);
  }
  return events.slice(floor);
}

/** The newest `limit` actions that have a result, newest first. */
function stepsOf(window: NewestFirst, limit: number): Step[] {
  const results = new Map<string, ObservationEvent | UserRejectEvent>();
  const steps: Step[] = [];
  for (let k = 0; steps.length < limit; k++) {
    const event = window.at(k);
    if (event === undefined) break;
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

function monologue(window: NewestFirst, n: number): StuckReport | undefined {
  let count = 0;
  for (let k = 0, event = window.at(0); event !== undefined; event = window.at(++k)) {
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

function contextWindowErrors(window: NewestFirst, n: number): StuckReport | undefined {
  let count = 0;
  for (let k = 0, event = window.at(0); event !== undefined; event = window.at(++k)) {
    if (event.kind === 'agent_error' && event.code === CONTEXT_ERROR) count++;
    else if (['action', 'observation', 'user_reject', 'message'].includes(event.kind)) break;
  }
  if (count < n) return undefined;
  return {
    pattern: 'context_window_errors',
    message: `The agent is stuck: the model refused the conversation as too long ${count} times in a row, and condensing did not help. Send a message, shorten the history with a condenser, or call run() to try again.`,
  };
}

// Logged events never change: each key is computed once (the detector runs before every
// model request, over the same newest steps).
const actionKeys = new WeakMap<ActionEvent, string>();
const resultKeys = new WeakMap<ObservationEvent | UserRejectEvent, string>();

function actionKey(action: ActionEvent): string {
  let key = actionKeys.get(action);
  if (key === undefined) {
    key = `${action.toolName}\u0000${canonical(action.arguments)}`;
    actionKeys.set(action, key);
  }
  return key;
}

function resultKey(result: ObservationEvent | UserRejectEvent): string {
  let key = resultKeys.get(result);
  if (key === undefined) {
    key =
      result.kind === 'observation'
        ? `observation\u0000${result.isError}\u0000${result.content}`
        : `reject\u0000${result.reason}`;
    resultKeys.set(result, key);
  }
  return key;
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same arguments. */
function canonical(value: unknown): string {
  // Arguments usually come with their keys in order already: then plain JSON is the same.
  if (keysSorted(value)) return JSON.stringify(value);
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Whether every object in a JSON value lists its keys in sorted order (as `canonical` sorts them). */
function keysSorted(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(keysSorted);
  let previous: string | undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    if (!keysSorted((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

function describe(action: ActionEvent): string {
  const args = canonical(action.arguments);
  return `${action.toolName} ${args.length > 80 ? `${args.slice(0, 77)}...` : args}`;
}
