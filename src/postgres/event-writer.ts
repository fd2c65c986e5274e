import type pg from 'pg';
import type { ConversationEvent } from '../events/schema.js';
import { insertEvents } from './event-table.js';
import { type ReconnectPolicy, withReconnect } from './retry.js';

/**
 * Writes one conversation's events behind the runner, in `seq` order (each batch only
 * once `beforeWrite` resolves: the runner holds its lease): events appended
 * while a batch is being written go together in the next one (one transaction each, at
 * most `batchSize` events). While PostgreSQL is unreachable it retries with backoff;
 * after the policy's timeout, or on any other error, it fails for good and reports it.
 */
export class EventWriter {
  readonly #pool: pg.Pool;
  readonly #conversationId: string;
  readonly #policy: ReconnectPolicy;
  readonly #batchSize: number;
  readonly #onFailure: (error: Error) => void;
  readonly #beforeWrite: () => Promise<void>;
  #queue: ConversationEvent[] = [];
  #running: Promise<void> | undefined;
  #failure: Error | undefined;

  constructor(
    pool: pg.Pool,
    conversationId: string,
    policy: ReconnectPolicy,
    batchSize: number,
    onFailure: (error: Error) => void,
    beforeWrite: () => Promise<void> = () => Promise.resolve(),
  ) {
    this.#beforeWrite = beforeWrite;
    this.#pool = pool;
    this.#conversationId = conversationId;
    this.#policy = policy;
    this.#batchSize = batchSize;
    this.#onFailure = onFailure;
  }

  /** The error that stopped the writer, if any. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Queues an event (dropped once the writer has failed). */
  append(event: ConversationEvent): void {
    if (this.#failure) return;
    this.#queue.push(event);
    this.#running ??= this.#drain();
  }

  /** Resolves once every queued event is stored; rejects with the failure, if any. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
    if (this.#failure) throw this.#failure;
  }

  async #drain(): Promise<void> {
    // Let a synchronous burst of appends gather into one batch.
    await Promise.resolve();
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#batchSize);
        await withReconnect(async () => {
          await this.#beforeWrite();
          await insertEvents(this.#pool, this.#conversationId, batch);
        }, this.#policy);
      }
    } catch (error) {
      this.#failure = error instanceof Error ? error : new Error(String(error));
      this.#queue = [];
      this.#onFailure(this.#failure);
    } finally {
      this.#running = undefined;
    }
  }
}
