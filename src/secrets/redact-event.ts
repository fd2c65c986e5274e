import type { ConversationEvent } from '../events/schema.js';
import type { Secrets } from './secrets.js';

/** Fields that identify or order an event: never masked (a secret cannot hide there usefully). */
const STRUCTURAL = new Set([
  'id',
  'seq',
  'timestamp',
  'kind',
  'source',
  'role',
  'delivery',
  'status',
  'previous',
  'toolName',
  'toolCallId',
  'actionId',
  'responseId',
  'messageId',
  'messageIds',
  'forgottenEventIds',
  'isError',
  'interrupt',
]);

/**
 * A copy of `event` with every secret value masked in every other field, recursively
 * (contents, arguments, raw arguments, tool data, error details...). The event itself is
 * returned when there is nothing to mask.
 */
export function redactEvent(event: ConversationEvent, secrets: Secrets): ConversationEvent {
  if (secrets.isEmpty) return event;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    out[key] = STRUCTURAL.has(key) ? value : secrets.maskDeep(value);
  }
  return out as ConversationEvent;
}
