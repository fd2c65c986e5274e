import type { ConversationEvent, Delivery } from '../events/schema.js';

/**
 * Where a conversation's log lives. Three implementations share this interface: in
 * memory (the default), files (`persistenceDir`) and PostgreSQL (`steerable/postgres`).
 *
 * A store hands out one writable `EventLogHandle` per conversation at a time (the
 * conversation's runner); any number of readers may `read` and `subscribe`.
 *
 * Local stores open synchronously. A networked store may return a promise from `open`;
 * the `Conversation` then becomes usable once `conversation.ready` resolves (messages
 * sent before that are queued in order).
 */
export interface EventStore {
  /**
   * Opens a conversation's log for writing, creating it when it does not exist. The
   * handle holds the events already there. Stores that can refuse a second writer
   * throw (or reject with) a typed error here (`ConversationLockedError`).
   */
  open(conversationId: string, options?: OpenLogOptions): EventLogHandle | Promise<EventLogHandle>;
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
  /**
   * Present on stores whose conversations other processes can steer
   * (`Conversation.attach`): requests wait here, durably, for the conversation's runner.
   */
  readonly inbox?: RemoteInbox;
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
  /**
   * Stores with a `RemoteInbox`: starts handing the runner the requests other processes
   * make, in the order they were stored (requests stored before the runner took the log
   * come first). The runner calls it once, when it is ready. `handler` may return a
   * promise: a `pause` or `interrupt` request counts as handled when it settles.
   * Returns a function that stops the delivery.
   */
  listen?(handler: (request: RunnerRequest) => void | Promise<void>): () => void;
  /**
   * Networked stores: `handler` is called once if the store is lost for good (it cannot
   * reconnect in time, or another runner took the log). The conversation then stops
   * with status `error` and an `agent_error` event.
   */
  onFailure?(handler: (error: Error) => void): void;
}

/** A request for a conversation's runner, made from another process (`Conversation.attach`). */
export type RunnerRequest =
  | {
      kind: 'message';
      /** The message id (the request id too). */
      id: string;
      content: string;
      /** Absent: the runner's `steering` default. */
      delivery?: Delivery;
      /** Send time, ISO 8601. */
      timestamp: string;
    }
  | { kind: 'retract'; id: string; messageId: string }
  | { kind: 'pause'; id: string }
  | { kind: 'interrupt'; id: string };

/** What became of a `pause` or `interrupt` request. */
export type RequestResult =
  /** The runner carried it out. */
  | 'handled'
  /** No runner held the conversation: nothing runs, nothing was done. */
  | 'no_runner';

/**
 * The side of a store that other processes use to reach a conversation's runner.
 * Requests are stored durably and reach the runner in the order they were stored.
 */
export interface RemoteInbox {
  /**
   * Stores requests, in this order, and wakes the runner. Resolves once they are
   * durable. A message whose id is already stored is not stored again.
   */
  submit(conversationId: string, requests: readonly RunnerRequest[]): Promise<void>;
  /** Whether a message with this id was ever submitted for the conversation. */
  hasMessage(conversationId: string, messageId: string): Promise<boolean>;
  /**
   * Resolves once the runner handled a submitted `pause` or `interrupt` request, or
   * with `'no_runner'` when no runner holds the conversation (now, or after it died).
   */
  whenHandled(conversationId: string, requestId: string): Promise<RequestResult>;
}
