import { ConversationNotReadyError } from '../errors/conversation-not-ready-error.js';
import type { MessageEvent } from '../events/schema.js';
import type { UserMessageInput } from '../machines/ports.js';
import type { MessageHandle, MessageOutcome } from './message-handle.js';

/** A message sent before its conversation's log was ready, waiting to be logged. */
export interface QueuedMessage {
  input: UserMessageInput & { id: string; timestamp: string };
  handle: MessageHandle;
  /** Gives the handle its `message` event, once logged. */
  accept(logged: MessageHandle): void;
}

/**
 * The handle `sendMessage` returns before the log is ready: `id` and `outcome` work at
 * once; `event` is there once the message is logged (right after `conversation.ready`),
 * and reading it earlier throws `ConversationNotReadyError`.
 */
export function queuedMessageHandle(
  conversationId: string,
  input: QueuedMessage['input'],
  outcome: Promise<MessageOutcome>,
): QueuedMessage {
  let event: MessageEvent | undefined;
  const handle: MessageHandle = {
    id: input.id,
    get event(): MessageEvent {
      if (!event) throw new ConversationNotReadyError(conversationId, "read a message's event");
      return event;
    },
    outcome,
  };
  return { input, handle, accept: (logged) => (event = logged.event) };
}
