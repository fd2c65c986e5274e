import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { CHANNEL } from './schema.js';

/** What a notification on the `steerable` channel says about one conversation. */
export type Notice =
  /** Events up to `seq` `s` are stored. */
  | { k: 'e'; s: number }
  /** The inbox has new requests. */
  | { k: 'i' }
  /** The runner handled request `r`. */
  | { k: 'a'; r: string }
  /** The LISTEN connection is (re)established: notifications may have been missed, catch up. */
  | { k: 'ready' };

type Handler = (notice: Notice) => void;

/** The payload of a notification: the conversation id and the notice. */
export function noticePayload(conversationId: string, notice: Exclude<Notice, { k: 'ready' }>) {
  return JSON.stringify({ c: conversationId, ...notice });
}

/**
 * One LISTEN connection for the whole process, on one channel, fanning notifications
 * out by conversation id. When the connection drops it reconnects (with backoff, for as
 * long as anyone listens) and tells every handler `{ k: 'ready' }` so it reads what it
 * may have missed; a new handler gets `ready` once the connection listens, so its
 * catch-up read never misses a notification sent in between.
 */
export class Listener {
  readonly #config: pg.ClientConfig;
  readonly #handlers = new Map<string, Set<Handler>>();
  #client: pg.Client | undefined;
  #live = false;
  #connecting = false;
  #closed = false;

  constructor(config: pg.ClientConfig) {
    this.#config = config;
  }

  /** Calls `handler` with every notice about the conversation. Returns a function that stops it. */
  add(conversationId: string, handler: Handler): () => void {
    let set = this.#handlers.get(conversationId);
    if (!set) {
      set = new Set();
      this.#handlers.set(conversationId, set);
    }
    const handlers = set;
    handlers.add(handler);
    if (this.#live) queueMicrotask(() => handlers.has(handler) && handler({ k: 'ready' }));
    else void this.#connect();
    return () => {
      handlers.delete(handler);
      if (handlers.size === 0) this.#handlers.delete(conversationId);
    };
  }

  /** Ends the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#handlers.clear();
    const client = this.#client;
    this.#client = undefined;
    this.#live = false;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    if (this.#connecting || this.#live || this.#closed) return;
    this.#connecting = true;
    let delay = 50;
    try {
      while (!this.#closed && this.#handlers.size > 0) {
        const client = new pg.Client(this.#config);
        client.on('error', () => this.#lost(client));
        client.on('end', () => this.#lost(client));
        try {
          await client.connect();
          await client.query(`LISTEN ${CHANNEL}`);
        } catch {
          await client.end().catch(() => undefined);
          await sleep(delay / 2 + Math.random() * (delay / 2));
          delay = Math.min(delay * 2, 1000);
          continue;
        }
        if (this.#closed) {
          await client.end().catch(() => undefined);
          return;
        }
        client.on('notification', (message) => this.#dispatch(message.payload));
        this.#client = client;
        this.#live = true;
        for (const handlers of [...this.#handlers.values()]) {
          for (const handler of [...handlers]) handler({ k: 'ready' });
        }
        return;
      }
    } finally {
      this.#connecting = false;
    }
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#live = false;
    client.end().catch(() => undefined);
    void this.#connect();
  }

  #dispatch(payload: string | undefined): void {
    if (!payload) return;
    let parsed: { c?: unknown } & Notice;
    try {
      parsed = JSON.parse(payload) as { c?: unknown } & Notice;
    } catch {
      return;
    }
    if (typeof parsed.c !== 'string') return;
    const handlers = this.#handlers.get(parsed.c);
    if (!handlers) return;
    for (const handler of [...handlers]) handler(parsed);
  }
}
