import type { ConversationEvent } from '../events/schema.js';
import type { EventLogHandle, RunnerRequest } from '../persistence/event-store.js';
import type { EventWriter } from './event-writer.js';
import { type InboxFeedSource, followInbox } from './inbox-feed.js';
import type { InboxRow } from './inbox-table.js';

/** What a `PostgresLogHandle` is made of (see `PostgresEventStore.open`). */
export interface PostgresLogHandleParts {
  conversationId: string;
  existing: readonly ConversationEvent[];
  writer: EventWriter;
  inbox: InboxFeedSource;
  /** Requests already in the inbox when the log was opened. */
  initialRequests: readonly InboxRow[];
  leaseTakenAt: Date;
  /** Gives the lease up. */
  release(): Promise<void>;
}

/**
 * The runner's handle on a conversation in PostgreSQL: holds the lease, writes events
 * behind the runner, and hands it the requests of other processes.
 */
export class PostgresLogHandle implements EventLogHandle {
  readonly existing: readonly ConversationEvent[];
  readonly #parts: PostgresLogHandleParts;
  readonly #failureHandlers: Array<(error: Error) => void> = [];
  #failure: Error | undefined;
  #stopListening: (() => void) | undefined;
  #closed: Promise<void> | undefined;

  constructor(parts: PostgresLogHandleParts) {
    this.#parts = parts;
    this.existing = parts.existing;
  }

  append(event: ConversationEvent): void {
    this.#parts.writer.append(event);
  }

  flush(): Promise<void> {
    return this.#parts.writer.flush();
  }

  /** Flushes, stops taking requests and gives the lease up (even when the flush fails). */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#stopListening?.();
      try {
        await this.#parts.writer.flush();
      } finally {
        await this.#parts.release();
      }
    })();
    return this.#closed;
  }

  listen(handler: (request: RunnerRequest) => void | Promise<void>): () => void {
    this.#stopListening?.();
    const { conversationId, inbox, leaseTakenAt, initialRequests } = this.#parts;
    const stop = followInbox(conversationId, inbox, leaseTakenAt, handler, initialRequests);
    this.#stopListening = stop;
    return stop;
  }

  onFailure(handler: (error: Error) => void): void {
    if (this.#failure) handler(this.#failure);
    else this.#failureHandlers.push(handler);
  }

  /** The store is lost for this conversation (lease lost, writes impossible): tell the runner once. */
  fail(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    for (const handler of this.#failureHandlers.splice(0)) handler(error);
  }
}
