import { SteerableError } from './steerable-error.js';

/** Thrown by `sendMessage`, `run` and the other commands after `close()`. */
export class ConversationClosedError extends SteerableError {
  readonly conversationId: string;

  constructor(conversationId: string, operation: string) {
    super(`Conversation ${conversationId} is closed: cannot ${operation}`);
    this.conversationId = conversationId;
  }
}
