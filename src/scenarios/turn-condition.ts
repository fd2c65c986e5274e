import type { LLMRequest } from '../llm/types.js';
import type { TurnCondition } from './schema/turn-schema.js';

interface RequestView {
  users: string[];
  tools: string[];
}

const CHECKS: Record<keyof TurnCondition, (text: string, request: RequestView) => boolean> = {
  lastUserMessageContains: (text, r) => (r.users.at(-1) ?? '').includes(text),
  anyUserMessageContains: (text, r) => r.users.some((u) => u.includes(text)),
  noUserMessageContains: (text, r) => !r.users.some((u) => u.includes(text)),
  lastToolResultContains: (text, r) => (r.tools.at(-1) ?? '').includes(text),
};

/**
 * Whether a request fits every condition of a turn's `when` (a turn without one fits
 * every request). Texts are compared case-sensitively, as substrings.
 */
export function conditionHolds(when: TurnCondition | undefined, request: LLMRequest): boolean {
  if (!when) return true;
  const view: RequestView = {
    users: request.messages.flatMap((m) => (m.role === 'user' ? [m.content] : [])),
    tools: request.messages.flatMap((m) => (m.role === 'tool' ? [m.content] : [])),
  };
  return Object.entries(when).every(
    ([key, text]) => text === undefined || CHECKS[key as keyof TurnCondition](text, view),
  );
}

/** A condition as text: `lastUserMessageContains "x"`. */
export function describeCondition(when: TurnCondition): string {
  return Object.entries(when)
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
    .join(' and ');
}
