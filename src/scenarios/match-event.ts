import type { ConversationEvent } from '../events/schema.js';
import type { EventMatcher } from './schema/event-matcher-schema.js';

/**
 * Whether an event fits a pattern: same `kind`, and every other field of the pattern
 * matches (`nth` is not a field). See `EventMatcher` for the rules.
 *
 * @example
 * ```ts
 * matchesEvent({ kind: 'action', toolName: 'echo', arguments: { text: { contains: 'hi' } } }, event);
 * ```
 */
export function matchesEvent(matcher: EventMatcher, event: ConversationEvent): boolean {
  if (matcher.kind !== event.kind) return false;
  const fields = event as unknown as Record<string, unknown>;
  for (const [key, expected] of Object.entries(matcher)) {
    if (key === 'kind' || key === 'nth') continue;
    if (!matchesValue(expected, fields[key])) return false;
  }
  return true;
}

/**
 * Whether a value fits a pattern: `{ contains }` against a string is a substring test; an
 * object matches when each of its keys matches; a list matches item by item (same length);
 * anything else must be equal.
 */
export function matchesValue(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, i) => matchesValue(item, actual[i]))
    );
  }
  if (typeof expected === 'object' && expected !== null) {
    const pattern = expected as Record<string, unknown>;
    if (typeof actual === 'string') {
      const keys = Object.keys(pattern);
      return keys.length === 1 && typeof pattern.contains === 'string'
        ? actual.includes(pattern.contains)
        : false;
    }
    if (typeof actual !== 'object' || actual === null) return false;
    return Object.entries(pattern).every(([key, value]) =>
      matchesValue(value, (actual as Record<string, unknown>)[key]),
    );
  }
  return Object.is(expected, actual);
}

/** A pattern as one line of text, for messages: `{kind: action, toolName: "echo"}`. */
export function describeMatcher(matcher: object): string {
  const parts = Object.entries(matcher).map(
    ([key, value]) => `${key}: ${key === 'kind' ? String(value) : JSON.stringify(value)}`,
  );
  return `{ ${parts.join(', ')} }`;
}
