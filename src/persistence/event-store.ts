import type { ConversationEvent } from '../events/schema.js';

/**
 * Where a conversation's log lives. Three implementations share this interface: in
 * memory (the default), files (`persistenceDir`) and PostgreSQL.
 *
 * A store hands out one writable `EventLogHandle` per conversation at a time (the
 * conversation's runner); any number of readers may `read` and `subscribe`.
 */
export interface EventStore {
  /**
   * Opens a conversation's log for writing, creating it when it does not exist. The
   * handle holds the events already there. Stores that can refuse a second writer
   * throw a typed error here (`ConversationLockedError`).
   */
  open(conversationId: string, options?: OpenLogOptions): EventLogHandle;
  /** The events of a conversation with `seq >= fromSeq` (all by default), oldest first. */
  read(conversationId: string, fromSeq?: number): Promise<ConversationEvent[]>;
  /**
   * Calls `listener` with every event appended from now on, in `seq` order, each once.
   * With `fromSeq`, starts at that `seq` instead (events already stored are delivered
   * first), so a reader can `read` and then `subscribe(id, listener, events.length)`
   * without missing anything in between. Returns an unsubscribe function.
   */
  subscribe(
    conversationId: string,
    listener: (event: ConversationEvent) => void,
    fromSeq?: number,
  ): () => void;
}

/** Options of `EventStore.open`. */
export interface OpenLogOptions {
  /** Settings to record with a new log (no secrets). Ignored when the log exists. */
  metadata?: Record<string, unknown>;
  /**
   * Events a new log starts with (a fork's copy), written as its first batch and
   * returned in `existing`. Throws `ConversationExistsError` if the log already has events.
   */
  initialEvents?: readonly ConversationEvent[];
}

/** The writable log of one conversation, as handed to its runner. */
export interface EventLogHandle {
  /** The events the log held when it was opened. */
  readonly existing: readonly ConversationEvent[];
  /** Appends one event (its `seq` must be the next one). Never blocks: writing happens behind it, in `seq` order. */
  append(event: ConversationEvent): void;
  /** Resolves once every appended event is stored. Rejects with the write error, if any. */
  flush(): Promise<void>;
  /** Flushes, then gives up the log (and any lock on it). Rejects with the write error, if any. */
  close(): Promise<void>;
}
