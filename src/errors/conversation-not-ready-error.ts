import { SteerableError } from './steerable-error.js';

/**
 * A conversation on a store that opens asynchronously (PostgreSQL) is used in a way that
 * needs its log before `conversation.ready` has resolved: reading a queued message's
 * `event`, `retractMessage`, `rejectPendingActions`, `actor`.
 *
 * @example
 * ```ts
 * const conversation = new Conversation({ agent, store, conversationId: 'c1' });
 * await conversation.ready; // the log is loaded and the lease is held
 * conversation.retractMessage(id);
 * ```
 */
export class ConversationNotReadyError extends SteerableError {
  readonly conversationId: string;

  constructor(conversationId: string, operation: string) {
    super(
      `Conversation ${conversationId} is still opening its log: cannot ${operation} yet (await conversation.ready first)`,
    );
    this.conversationId = conversationId;
  }
}
