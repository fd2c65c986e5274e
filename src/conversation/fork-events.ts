import type { ConversationEvent } from '../events/schema.js';
import { EventLog } from '../persistence/event-log.js';

/** The observation a fork gives an action whose result came after the fork point. */
export const FORKED_BEFORE_RESULT_MESSAGE =
  'Not run in this fork: the conversation was forked before this tool call returned.';

/**
 * The log a fork starts with: a copy of `events` (a prefix of a log), then, so that the
 * fork is a coherent conversation at rest, an error observation for every action still
 * without a result and a `state_update` to `idle` when the prefix ends in another status.
 * Pending user messages stay pending: the fork's first run reads them.
 */
export function forkEvents(events: readonly ConversationEvent[]): ConversationEvent[] {
  const log = new EventLog({
    existing: events.map((event) => structuredClone(event)),
    append: () => undefined,
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(),
  });
  for (const action of [...log.projection.openActions.values()]) {
    log.append({
      kind: 'observation',
      source: 'environment',
      toolName: action.toolName,
      toolCallId: action.toolCallId,
      actionId: action.id,
      content: FORKED_BEFORE_RESULT_MESSAGE,
      isError: true,
    });
  }
  const status = log.projection.status;
  if (status !== 'idle') {
    log.append({ kind: 'state_update', source: 'environment', status: 'idle', previous: status });
  }
  return [...log.events];
}
