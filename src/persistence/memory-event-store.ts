import type { ConversationEvent } from '../events/schema.js';
import type { EventLogHandle, EventStore } from './event-store.js';

/**
 * Keeps logs in memory, for the life of the process. The default store of a
 * `Conversation` without `persistenceDir` or `store`.
 */
export class MemoryEventStore implements EventStore {
  readonly #logs = new Map<string, ConversationEvent[]>();
  readonly #listeners = new Map<string, Set<(event: ConversationEvent) => void>>();

  open(conversationId: string): EventLogHandle {
    let log = this.#logs.get(conversationId);
    if (!log) {
      log = [];
      this.#logs.set(conversationId, log);
    }
    const events = log;
    return {
      existing: [...events],
      append: (event) => {
        events.push(event);
        const listeners = this.#listeners.get(conversationId);
        if (listeners) for (const listener of listeners) listener(event);
      },
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
  }

  read(conversationId: string, fromSeq = 0): Promise<ConversationEvent[]> {
    const events = this.#logs.get(conversationId) ?? [];
    return Promise.resolve(events.filter((e) => e.seq >= fromSeq));
  }

  subscribe(
    conversationId: string,
    listener: (event: ConversationEvent) => void,
    fromSeq?: number,
  ): () => void {
    if (fromSeq !== undefined) {
      for (const event of this.#logs.get(conversationId) ?? []) {
        if (event.seq >= fromSeq) listener(event);
      }
    }
    let listeners = this.#listeners.get(conversationId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(conversationId, listeners);
    }
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
}
