import { SteerableError } from './steerable-error.js';

/**
 * `Conversation.attach` on a store other processes cannot reach (the memory and file
 * stores): use a store with an inbox, such as `PostgresEventStore` from `steerable/postgres`.
 */
export class AttachNotSupportedError extends SteerableError {
  readonly conversationId: string;

  constructor(conversationId: string, storeName: string) {
    super(
      `Cannot attach to conversation ${conversationId}: ${storeName} has no inbox other processes can reach (use PostgresEventStore from 'steerable/postgres')`,
    );
    this.conversationId = conversationId;
  }
}
