import type { LLMRequest } from '../llm/types.js';
import type { TurnCondition } from './schema/turn-schema.js';

interface RequestView {
  users: string[];
  tools: string[];
}

type Check<K extends keyof TurnCondition> = (
  value: NonNullable<TurnCondition[K]>,
  request: RequestView,
) => boolean;

const CHECKS: { [K in keyof TurnCondition]-?: Check<K> } = {
  lastUserMessageContains: (text, r) => (r.users.at(-1) ?? '').includes(text),
  anyUserMessageContains: (text, r) => r.users.some((u) => u.includes(text)),
  noUserMessageContains: (text, r) => !r.users.some((u) => u.includes(text)),
  lastToolResultContains: (text, r) => (r.tools.at(-1) ?? '').includes(text),
  userMessages: (texts, r) =>
    texts.length === r.users.length && texts.every((text, i) => text === r.users[i]),
};

/**
 * Whether a request fits every condition of a turn's `when` (a turn without one fits
 * every request). Texts are compared case-sensitively: as substrings, except `userMessages`,
 * which must equal the request's user messages one for one.
 */
export function conditionHolds(when: TurnCondition | undefined, request: LLMRequest): boolean {
  if (!when) return true;
  const view: RequestView = {
    users: request.messages.flatMap((m) => (m.role === 'user' ? [m.content] : [])),
    tools: request.messages.flatMap((m) => (m.role === 'tool' ? [m.content] : [])),
  };
  return (Object.keys(when) as (keyof TurnCondition)[]).every((key) => {
    const value = when[key];
    return value === undefined || (CHECKS[key] as Check<typeof key>)(value as never, view);
  });
}

/** A condition as text: `lastUserMessageContains "x"`. */
export function describeCondition(when: TurnCondition): string {
  return Object.entries(when)
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
    .join(' and ');
}
