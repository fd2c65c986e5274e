import { ConversationLockedError, type LockOwner } from '../errors/conversation-locked-error.js';
import { SteerableError } from '../errors/steerable-error.js';

/** The base class of the errors `PostgresEventStore` throws on purpose. */
export class PostgresStoreError extends SteerableError {}

/**
 * No connection string (neither the `connectionString` option nor `DATABASE_URL`), or
 * one that is not a `postgres://` / `postgresql://` URL.
 */
export class InvalidConnectionStringError extends PostgresStoreError {
  constructor(reason: string) {
    super(`PostgresEventStore: ${reason}`);
  }
}

/** Why a connection to PostgreSQL failed. */
export type ConnectionFailure =
  'refused' | 'unreachable' | 'authentication' | 'database_missing' | 'timeout' | 'other';

/**
 * PostgreSQL could not be reached: connection refused, host unknown, wrong password,
 * database missing. `target` is the connection string with the password hidden.
 */
export class PostgresConnectionError extends PostgresStoreError {
  readonly reason: ConnectionFailure;
  readonly target: string;

  constructor(reason: ConnectionFailure, target: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot connect to PostgreSQL at ${target} (${reason.replace('_', ' ')}): ${detail}`, {
      cause,
    });
    this.reason = reason;
    this.target = target;
  }
}

/** The database role lacks a privilege the store needs (SQLSTATE 42501). */
export class PostgresPermissionError extends PostgresStoreError {
  constructor(operation: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      `PostgreSQL refused to ${operation}: ${detail}. Grant the store's role the privilege it needs (CREATE on the schema to create the tables on first use; SELECT, INSERT, UPDATE on the steerable_* tables).`,
      { cause },
    );
  }
}

/** The database holds the steerable schema at a version newer than this package knows. */
export class SchemaVersionError extends PostgresStoreError {
  readonly found: number;
  readonly supported: number;

  constructor(found: number, supported: number) {
    super(
      `The database has steerable schema version ${found}, but this version of steerable supports up to ${supported}: upgrade steerable in this process`,
    );
    this.found = found;
    this.supported = supported;
  }
}

/**
 * Another runner (in this process or any other) holds the conversation's lease. A
 * `ConversationLockedError`, as the file and memory stores throw; `owner` is the runner's
 * process as its lease connection reports it (pid 0 and host `unknown` when it has just
 * ended).
 */
export class ConversationLeasedError extends ConversationLockedError {
  constructor(conversationId: string, owner: LockOwner = { pid: 0, hostname: 'unknown' }) {
    super(conversationId, owner);
    const who = owner.pid > 0 ? ` (pid ${owner.pid} on ${owner.hostname})` : '';
    this.message = `Conversation ${conversationId} is already run by another runner${who}: its lease is held. Attach to it with Conversation.attach, or wait until that runner ends`;
  }
}

/** The runner lost its lease (its connection dropped) and another runner took the conversation. */
export class LeaseLostError extends PostgresStoreError {
  readonly conversationId: string;

  constructor(conversationId: string) {
    super(
      `Conversation ${conversationId}: the lease was lost while reconnecting and another runner holds it now`,
    );
    this.conversationId = conversationId;
  }
}

/** PostgreSQL stayed unreachable for longer than `reconnectTimeoutMs`. */
export class StoreUnavailableError extends PostgresStoreError {
  constructor(timeoutMs: number, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`PostgreSQL was unreachable for more than ${timeoutMs} ms: ${detail}`, { cause });
  }
}

/** Another writer stored a different event at a `seq` this runner wrote (two runners at once). */
export class LogConflictError extends PostgresStoreError {
  readonly conversationId: string;
  readonly seq: number;

  constructor(conversationId: string, seq: number) {
    super(
      `Conversation ${conversationId}: another writer stored a different event at seq ${seq}; this runner stops`,
    );
    this.conversationId = conversationId;
    this.seq = seq;
  }
}
