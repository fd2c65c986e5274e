import type { ConversationEvent, MessageEvent } from '../events/schema.js';

/** What became of a user message. */
export type MessageOutcome =
  | { status: 'delivered'; seq: number }
  | { status: 'retracted' }
  | { status: 'discarded'; reason: string };

/** What `sendMessage` returns. */
export interface MessageHandle {
  /** The message id (given or generated). */
  id: string;
  /** The `message` event as logged. */
  event: MessageEvent;
  /**
   * Settles once the model reads the message (`delivered`, with the `seq` of the
   * `message_delivered` event), it is retracted, or the conversation closes first
   * (`discarded`). Never rejects.
   */
  outcome: Promise<MessageOutcome>;
}

/** Keeps one outcome promise per message id and settles it from the log. */
export class OutcomeTracker {
  readonly #outcomes = new Map<
    string,
    { promise: Promise<MessageOutcome>; resolve: (outcome: MessageOutcome) => void }
  >();

  /** The outcome promise of a message (created on first use). */
  get(id: string): Promise<MessageOutcome> {
    return this.#entry(id).promise;
  }

  /** Settles a message's outcome (later calls are ignored). */
  settle(id: string, outcome: MessageOutcome): void {
    this.#entry(id).resolve(outcome);
  }

  /** Settles the outcomes a log event decides: `message_delivered` and `message_retracted`. */
  settleFrom(event: ConversationEvent): void {
    if (event.kind === 'message_delivered') {
      for (const id of event.messageIds) this.settle(id, { status: 'delivered', seq: event.seq });
    } else if (event.kind === 'message_retracted') {
      this.settle(event.messageId, { status: 'retracted' });
    }
  }

  #entry(id: string) {
    let entry = this.#outcomes.get(id);
    if (!entry) {
      let resolve!: (outcome: MessageOutcome) => void;
      const promise = new Promise<MessageOutcome>((r) => (resolve = r));
      entry = { promise, resolve };
      this.#outcomes.set(id, entry);
    }
    return entry;
  }
}
