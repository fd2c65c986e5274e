import { ConversationExistsError } from '../errors/conversation-exists-error.js';
import { ConversationLockedError } from '../errors/conversation-locked-error.js';
import type { ConversationEvent } from '../events/schema.js';
import type { EventLogHandle, EventStore, OpenLogOptions } from './event-store.js';
import { hostname } from 'node:os';

/**
 * Keeps logs in memory, for the life of the process. The default store of a
 * `Conversation` without `persistenceDir` or `store`. Like the other stores it has one
 * writer per conversation at a time: a second `open` before the first handle is closed
 * throws `ConversationLockedError`.
 */
export class MemoryEventStore implements EventStore {
  readonly #logs = new Map<string, ConversationEvent[]>();
  readonly #listeners = new Map<string, Set<(event: ConversationEvent) => void>>();
  readonly #writers = new Set<string>();

  open(conversationId: string, options: OpenLogOptions = {}): EventLogHandle {
    if (this.#writers.has(conversationId)) {
      throw new ConversationLockedError(conversationId, { pid: process.pid, hostname: hostname() });
    }
    let log = this.#logs.get(conversationId);
    if (!log) {
      log = [];
      this.#logs.set(conversationId, log);
    }
    if (options.initialEvents?.length) {
      if (log.length > 0) throw new ConversationExistsError(conversationId);
      log.push(...options.initialEvents);
    }
    this.#writers.add(conversationId);
    const events = log;
    let closed = false;
    return {
      existing: [...events],
      append: (event) => {
        if (closed) throw new Error(`MemoryEventStore: append to closed log ${conversationId}`);
        events.push(event);
        const listeners = this.#listeners.get(conversationId);
        if (listeners) for (const listener of listeners) listener(event);
      },
      flush: () => Promise.resolve(),
      close: () => {
        if (!closed) this.#writers.delete(conversationId);
        closed = true;
        return Promise.resolve();
      },
    };
  }

  read(conversationId: string, fromSeq = 0): Promise<ConversationEvent[]> {
    const events = this.#logs.get(conversationId) ?? [];
    return Promise.resolve(events.filter((e) => e.seq >= fromSeq));
  }

  subscribe(conversationId: string, listener: (event: ConversationEvent) => void): () => void {
    let listeners = this.#listeners.get(conversationId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(conversationId, listeners);
    }
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
}
