import { SteerableError } from './steerable-error.js';

/**
 * `run()` rejects with this when the conversation's status becomes `error`
 * (for example the model failed after all retries). The log keeps everything;
 * calling `run()` again continues.
 *
 * @example
 * ```ts
 * try {
 *   await conversation.run();
 * } catch (err) {
 *   if (err instanceof ConversationRunError) console.error(err.conversationId, err.cause);
 * }
 * ```
 */
export class ConversationRunError extends SteerableError {
  readonly conversationId: string;

  constructor(conversationId: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Conversation ${conversationId} stopped with an error: ${reason}`, { cause });
    this.conversationId = conversationId;
  }
}
