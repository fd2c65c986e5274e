import { SteerableError } from './steerable-error.js';

/** A `conversationId` that cannot name a log (empty, too long, or with path characters). */
export class InvalidConversationIdError extends SteerableError {
  readonly conversationId: string;

  constructor(conversationId: string) {
    super(
      `Invalid conversation id ${JSON.stringify(conversationId)}: use 1-128 letters, digits, ".", "_" or "-", not starting with "."`,
    );
    this.conversationId = conversationId;
  }
}
