import { SteerableError } from './steerable-error.js';

/** `retractMessage(id)` for a message the model has already read, or that was already retracted. */
export class MessageNotPendingError extends SteerableError {
  readonly messageId: string;
  readonly state: 'delivered' | 'retracted';

  constructor(messageId: string, state: 'delivered' | 'retracted') {
    super(
      state === 'delivered'
        ? `Message ${messageId} cannot be retracted: the model has already read it`
        : `Message ${messageId} was already retracted`,
    );
    this.messageId = messageId;
    this.state = state;
  }
}

/** `retractMessage(id)` for an id that was never sent in this conversation. */
export class UnknownMessageError extends SteerableError {
  readonly messageId: string;

  constructor(messageId: string) {
    super(`No message with id ${messageId} in this conversation`);
    this.messageId = messageId;
  }
}
