import { SteerableError } from './steerable-error.js';

/** `fork({ atSeq })` with a `seq` the conversation's log does not have. */
export class InvalidForkPointError extends SteerableError {
  readonly conversationId: string;
  readonly atSeq: unknown;

  constructor(conversationId: string, atSeq: unknown, lastSeq: number) {
    super(
      `Cannot fork conversation ${conversationId} at seq ${String(atSeq)}: expected an integer from 0 to ${lastSeq}`,
    );
    this.conversationId = conversationId;
    this.atSeq = atSeq;
  }
}
