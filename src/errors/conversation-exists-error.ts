import { SteerableError } from './steerable-error.js';

/** A store was asked to create a log with given events (a fork) under an id that already has events. */
export class ConversationExistsError extends SteerableError {
  readonly conversationId: string;

  constructor(conversationId: string) {
    super(`Conversation ${conversationId} already has a log: cannot create it again`);
    this.conversationId = conversationId;
  }
}
