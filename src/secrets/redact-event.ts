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
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(event)) {
    if (STRUCTURAL.has(key)) continue;
    const masked = secrets.maskDeep(value);
    if (masked !== value) (out ??= { ...event })[key] = masked;
  }
  return (out ?? event) as ConversationEvent;
}
