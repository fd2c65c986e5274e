import { hostname } from 'node:os';
import pg from 'pg';
import type { LockOwner } from '../errors/conversation-locked-error.js';
import { ConversationLeasedError, LeaseLostError } from './errors.js';
import { lockKey, lockKeyHalves } from './keys.js';
import { type ReconnectPolicy, withReconnect } from './retry.js';

interface Held {
  key: string;
  /** Called once if the lease is lost for good. */
  onLost: (error: Error) => void;
}

/**
 * The leases of this process's runners: one session-level advisory lock per
 * conversation, all held on one dedicated connection. When the process dies the
 * connection closes and PostgreSQL ends every lease at once. When the connection drops
 * while the process lives (PostgreSQL restarted), it reconnects with backoff and takes
 * each lease again; a lease another runner took meanwhile, or a reconnect that takes
 * longer than the policy allows, is reported to that conversation as lost.
 */
export class LeaseManager {
  readonly #config: pg.ClientConfig;
  readonly #policy: ReconnectPolicy;
  readonly #held = new Map<string, Held>();
  #client: Promise<pg.Client> | undefined;
  /** Pending while the leases are being taken again after the connection dropped. */
  #retaking: Promise<void> | undefined;
  #closed = false;

  constructor(config: pg.ClientConfig, policy: ReconnectPolicy) {
    // Names the process, so a refused runner learns who holds the lease.
    this.#config = {
      ...config,
      application_name: `${LEASE_APP}${process.pid}@${hostname()}`.slice(0, 63),
    };
    this.#policy = policy;
  }

  /**
   * Takes the lease of a conversation.
   *
   * @throws ConversationLeasedError when a runner (here or elsewhere) holds it.
   */
  async acquire(conversationId: string, onLost: (error: Error) => void): Promise<Date> {
    if (this.#held.has(conversationId)) throw new ConversationLeasedError(conversationId);
    const key = lockKey('lease', conversationId);
    // Reserve the id at once, so a second open in this process fails fast.
    const held: Held = { key, onLost };
    this.#held.set(conversationId, held);
    try {
      const client = await this.#connection();
      const { rows } = await client.query<{ ok: boolean; at: Date }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS ok, clock_timestamp() AS at',
        [key],
      );
      if (!rows[0]?.ok) {
        throw new ConversationLeasedError(conversationId, await leaseOwner(client, key));
      }
      return rows[0].at;
    } catch (error) {
      if (this.#held.get(conversationId) === held) this.#held.delete(conversationId);
      throw error;
    }
  }

  /**
   * Resolves while this process holds the conversation's lease; waits while the leases
   * are being taken again after a dropped connection.
   *
   * @throws LeaseLostError when the lease is not held (any more).
   */
  async whenHeld(conversationId: string): Promise<void> {
    await this.#retaking;
    if (!this.#held.has(conversationId)) throw new LeaseLostError(conversationId);
  }

  /** Gives a lease up. */
  async release(conversationId: string): Promise<void> {
    const held = this.#held.get(conversationId);
    if (!held) return;
    this.#held.delete(conversationId);
    const client = await this.#client?.catch(() => undefined);
    await client?.query('SELECT pg_advisory_unlock($1::bigint)', [held.key]).catch(() => undefined);
  }

  /** Ends the connection (and so every lease). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#held.clear();
    const client = await this.#client?.catch(() => undefined);
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  #connection(): Promise<pg.Client> {
    this.#client ??= this.#connect().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client(this.#config);
    client.on('error', () => undefined);
    await client.connect().catch(async (error: unknown) => {
      await client.end().catch(() => undefined);
      throw error;
    });
    client.on('end', () => {
      this.#retaking ??= this.#lost(client).finally(() => (this.#retaking = undefined));
    });
    return client;
  }

  /** The lease connection dropped: take every lease again on a new one. */
  async #lost(client: pg.Client): Promise<void> {
    const current = await this.#client?.catch(() => undefined);
    if (current !== client || this.#closed) return;
    this.#client = undefined;
    if (this.#held.size === 0) return;
    // Leases taken again on the connection they were taken on (a retry on the same
    // connection must not stack a second lock).
    let retakenOn: pg.Client | undefined;
    const retaken = new Set<string>();
    try {
      await withReconnect(
        async () => {
          const fresh = await this.#connection();
          if (fresh !== retakenOn) {
            retaken.clear();
            retakenOn = fresh;
          }
          for (const [conversationId, held] of [...this.#held]) {
            if (retaken.has(conversationId)) continue;
            const { rows } = await fresh.query<{ ok: boolean }>(
              'SELECT pg_try_advisory_lock($1::bigint) AS ok',
              [held.key],
            );
            retaken.add(conversationId);
            if (!rows[0]?.ok && this.#held.get(conversationId) === held) {
              this.#held.delete(conversationId);
              held.onLost(new LeaseLostError(conversationId));
            }
          }
        },
        this.#policy,
        () => this.#closed,
      );
    } catch (error) {
      const lost = error instanceof Error ? error : new Error(String(error));
      for (const [conversationId, held] of [...this.#held]) {
        this.#held.delete(conversationId);
        held.onLost(lost);
      }
    }
  }
}

const LEASE_APP = 'steerable-lease:';

/** The process holding a lease, from its lease connection's `application_name`. */
async function leaseOwner(client: pg.Client, key: string): Promise<LockOwner> {
  const { classid, objid } = lockKeyHalves(key);
  const { rows } = await client
    .query<{ name: string | null; since: Date | null }>(
      `SELECT a.application_name AS name, a.backend_start AS since
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
         AND l.classid = $1::oid AND l.objid = $2::oid`,
      [classid, objid],
    )
    .catch(() => ({ rows: [] as { name: string | null; since: Date | null }[] }));
  const match = /^steerable-lease:(\d+)@(.*)$/.exec(rows[0]?.name ?? '');
  if (!match) return { pid: 0, hostname: 'unknown' };
  return {
    pid: Number(match[1]),
    hostname: match[2]!,
    ...(rows[0]?.since ? { since: rows[0].since.toISOString() } : {}),
  };
}

/** Whether a runner holds the lease of a conversation (any process). */
export async function leaseHeld(pool: pg.Pool, conversationId: string): Promise<boolean> {
  const { classid, objid } = lockKeyHalves(lockKey('lease', conversationId));
  const { rows } = await pool.query<{ held: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_locks
       WHERE locktype = 'advisory' AND objsubid = 1 AND granted
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND classid = $1::oid AND objid = $2::oid
     ) AS held`,
    [classid, objid],
  );
  return rows[0]?.held ?? false;
}
