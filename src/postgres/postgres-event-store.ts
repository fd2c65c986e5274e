import pg from 'pg';
import type { ConversationEvent } from '../events/schema.js';
import type {
  EventStore,
  OpenLogOptions,
  RemoteInbox,
  RequestResult,
  RunnerRequest,
} from '../persistence/event-store.js';
import { resolveConnectionString, toStoreError } from './connection.js';
import { ConversationExistsError } from '../errors/conversation-exists-error.js';
import { assertConversationId } from '../persistence/log-layout.js';
import { PostgresStoreError } from './errors.js';
import { followEvents } from './event-feed.js';
import { insertEvents, nextSeq, readEvents } from './event-table.js';
import { EventWriter } from './event-writer.js';
import { hasMessage, isHandled, markHandled, readRequests, submitRequests } from './inbox-table.js';
import { LeaseManager, leaseHeld } from './lease.js';
import { Listener } from './listener.js';
import { PostgresLogHandle } from './postgres-log-handle.js';
import { type ReconnectPolicy, withReconnect } from './retry.js';
import { migrate } from './schema.js';

/** Options of `new PostgresEventStore(...)`. */
export interface PostgresEventStoreOptions {
  /** `postgres://user:password@host:5432/database`. Default: `DATABASE_URL`. */
  connectionString?: string;
  /** Connections in the pool this store (and every conversation on it) shares. Default 10. */
  poolSize?: number;
  /**
   * How long a runner keeps trying while PostgreSQL is unreachable (restarting) before
   * it stops with status `error`. Default 30,000 ms.
   */
  reconnectTimeoutMs?: number;
  /**
   * While a remote `pause()`/`interrupt()` waits for the runner: how often it checks that
   * the runner still lives (a runner that died never answers). Default 1,000 ms.
   */
  livenessCheckMs?: number;
  /** Most events written in one transaction. Default 500. */
  batchSize?: number;
  /** `application_name` of the connections (shown in `pg_stat_activity`). Default `steerable`. */
  applicationName?: string;
}

/**
 * Conversations in PostgreSQL: run by one worker at a time, steered from any process.
 * Events live in `steerable_events` keyed by `(conversation_id, seq)` (payload `jsonb`),
 * requests for runners in `steerable_inbox`; the tables are created on first use and
 * versioned in `steerable_migrations`. One store per process: it holds the pool every
 * conversation shares, one LISTEN connection and one connection holding the leases.
 *
 * @example
 * ```ts
 * import { PostgresEventStore } from 'steerable/postgres';
 * const store = new PostgresEventStore({ connectionString: process.env.DATABASE_URL });
 * const conversation = new Conversation({ agent, store, conversationId: 'c1' });
 * await conversation.run(); // throws ConversationLeasedError if another runner has 'c1'
 * ```
 */
export class PostgresEventStore implements EventStore {
  readonly inbox: RemoteInbox;
  readonly #connectionString: string;
  readonly #pool: pg.Pool;
  readonly #listener: Listener;
  readonly #leases: LeaseManager;
  readonly #policy: ReconnectPolicy;
  readonly #livenessCheckMs: number;
  readonly #batchSize: number;
  #schema: Promise<void> | undefined;
  #closed = false;
  /** Settles the `whenHandled` waits still open (with `no_runner`) when the store closes. */
  readonly #waits = new Set<() => void>();

  /**
   * Connects lazily, on first use.
   *
   * @throws InvalidConnectionStringError when there is no connection string or it is malformed.
   */
  constructor(options: PostgresEventStoreOptions = {}) {
    this.#connectionString = resolveConnectionString(options.connectionString);
    const config: pg.ClientConfig = {
      connectionString: this.#connectionString,
      application_name: options.applicationName ?? 'steerable',
      connectionTimeoutMillis: 10_000,
    };
    this.#pool = new pg.Pool({ ...config, max: options.poolSize ?? 10 });
    // An idle connection that breaks (PostgreSQL restarting) is dropped by the pool; the
    // next query opens a new one. Without a listener the error would crash the process.
    this.#pool.on('error', () => undefined);
    this.#policy = { timeoutMs: options.reconnectTimeoutMs ?? 30_000 };
    this.#livenessCheckMs = options.livenessCheckMs ?? 1_000;
    this.#batchSize = options.batchSize ?? 500;
    this.#listener = new Listener(config);
    this.#leases = new LeaseManager(config, this.#policy);
    this.inbox = {
      submit: (conversationId, requests) => this.#submit(conversationId, requests),
      hasMessage: (conversationId, messageId) =>
        this.#query('read the inbox', () => hasMessage(this.#pool, conversationId, messageId)),
      whenHandled: (conversationId, requestId) => this.#whenHandled(conversationId, requestId),
    };
  }

  /**
   * Creates or upgrades the tables and checks the connection. Every operation does it
   * on first use; call it to fail fast at startup.
   *
   * @throws PostgresConnectionError, PostgresPermissionError or SchemaVersionError.
   */
  connect(): Promise<void> {
    this.#schema ??= migrate(this.#pool).catch((error: unknown) => {
      this.#schema = undefined;
      throw toStoreError(error, this.#connectionString, 'create the steerable tables');
    });
    return this.#schema;
  }

  /**
   * Takes the conversation's lease, reads its events and the requests waiting for it.
   * With `initialEvents` (a fork), a new log starts with them.
   *
   * @throws ConversationLeasedError when another runner (any process) holds it;
   *   ConversationExistsError for `initialEvents` on a log that has events.
   */
  async open(conversationId: string, options: OpenLogOptions = {}): Promise<PostgresLogHandle> {
    this.#assertUsable(conversationId);
    await this.connect();
    let handle: PostgresLogHandle | undefined;
    let lostEarly: Error | undefined;
    const leaseTakenAt = await this.#leases
      .acquire(conversationId, (error) => (handle ? handle.fail(error) : (lostEarly = error)))
      .catch((error: unknown) => {
        throw toStoreError(error, this.#connectionString, 'take the lease');
      });
    try {
      await this.#pool.query(
        `INSERT INTO steerable_conversations (conversation_id, metadata) VALUES ($1, $2)
         ON CONFLICT (conversation_id) DO NOTHING`,
        [conversationId, JSON.stringify(options.metadata ?? {})],
      );
      let existing = await readEvents(this.#pool, conversationId);
      if (options.initialEvents?.length) {
        if (existing.length > 0) throw new ConversationExistsError(conversationId);
        existing = [...options.initialEvents];
        await insertEvents(this.#pool, conversationId, existing);
      }
      const initialRequests = await readRequests(this.#pool, conversationId, 0);
      const writer = new EventWriter(
        this.#pool,
        conversationId,
        this.#policy,
        this.#batchSize,
        (error) => handle?.fail(error),
        () => this.#leases.whenHeld(conversationId),
      );
      handle = new PostgresLogHandle({
        conversationId,
        existing,
        writer,
        initialRequests,
        leaseTakenAt,
        inbox: {
          listener: this.#listener,
          read: (after) => this.#retry(() => readRequests(this.#pool, conversationId, after)),
          // The events the request caused are stored before its sender hears it was handled.
          markHandled: async (requestId) => {
            await writer.flush().catch(() => undefined);
            await this.#retry(() => markHandled(this.#pool, conversationId, requestId));
          },
        },
        release: () => this.#leases.release(conversationId),
      });
      if (lostEarly) handle.fail(lostEarly);
      return handle;
    } catch (error) {
      await this.#leases.release(conversationId);
      throw toStoreError(error, this.#connectionString, 'read the conversation');
    }
  }

  /** The events of a conversation from `fromSeq`, oldest first. */
  async read(conversationId: string, fromSeq = 0): Promise<ConversationEvent[]> {
    this.#assertUsable(conversationId);
    await this.connect();
    return this.#query('read events', () => readEvents(this.#pool, conversationId, fromSeq));
  }

  /**
   * Follows a conversation's events through LISTEN/NOTIFY, with a catch-up read, so none
   * is missed or repeated (see `EventStore.subscribe`).
   */
  subscribe(
    conversationId: string,
    listener: (event: ConversationEvent) => void,
    fromSeq?: number,
  ): () => void {
    this.#assertUsable(conversationId);
    return followEvents(
      conversationId,
      {
        listener: this.#listener,
        read: (from) =>
          this.#retry(async () => {
            await this.connect();
            return readEvents(this.#pool, conversationId, from);
          }),
        nextSeq: () =>
          this.#retry(async () => {
            await this.connect();
            return nextSeq(this.#pool, conversationId);
          }),
      },
      listener,
      fromSeq,
    );
  }

  /** Whether a runner (in any process) holds the conversation's lease now. */
  async isRunning(conversationId: string): Promise<boolean> {
    this.#assertUsable(conversationId);
    await this.connect();
    return this.#query('read the leases', () => leaseHeld(this.#pool, conversationId));
  }

  /**
   * Ends the pool and the LISTEN and lease connections. Close the conversations on this
   * store first: their leases end with it.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const stop of [...this.#waits]) stop();
    await Promise.all([this.#listener.close(), this.#leases.close()]);
    await this.#pool.end();
  }

  async #submit(conversationId: string, requests: readonly RunnerRequest[]): Promise<void> {
    this.#assertUsable(conversationId);
    await this.connect();
    await this.#query('store the requests', () =>
      this.#retry(() => submitRequests(this.#pool, conversationId, requests)),
    );
  }

  #whenHandled(conversationId: string, requestId: string): Promise<RequestResult> {
    return new Promise<RequestResult>((resolve) => {
      let settled = false;
      const finish = (result: RequestResult) => {
        if (settled) return;
        settled = true;
        this.#waits.delete(stop);
        remove();
        clearInterval(timer);
        resolve(result);
      };
      const stop = () => finish('no_runner');
      this.#waits.add(stop);
      const check = async () => {
        try {
          if (await isHandled(this.#pool, conversationId, requestId)) return finish('handled');
          if (!(await leaseHeld(this.#pool, conversationId))) finish('no_runner');
        } catch {
          // Unreachable for now: the next check tries again.
        }
      };
      const remove = this.#listener.add(conversationId, (notice) => {
        if (notice.k === 'a' && notice.r === requestId) finish('handled');
        else if (notice.k === 'ready') void check();
      });
      const timer = setInterval(() => void check(), this.#livenessCheckMs);
      timer.unref();
      if (this.#closed) finish('no_runner');
    });
  }

  #retry<T>(operation: () => Promise<T>): Promise<T> {
    return withReconnect(operation, this.#policy, () => this.#closed);
  }

  async #query<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toStoreError(error, this.#connectionString, operation);
    }
  }

  #assertUsable(conversationId: string): void {
    if (this.#closed) throw new PostgresStoreError('PostgresEventStore is closed');
    assertConversationId(conversationId);
  }
}
