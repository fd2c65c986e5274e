import type { ConversationEvent } from '../events/schema.js';
import type { Listener } from './listener.js';
import { pullLoop } from './pull-loop.js';

/** What `followEvents` needs. */
export interface EventFeedSource {
  listener: Listener;
  /** Reads the events from a `seq` (retrying while PostgreSQL is unreachable). */
  read(fromSeq: number): Promise<ConversationEvent[]>;
  /** The `seq` the next event will have. */
  nextSeq(): Promise<number>;
}

/**
 * Delivers a conversation's events to `deliver` in `seq` order, each once, from
 * `fromSeq` (or from the end of the log when the LISTEN connection is up, when
 * absent). Notifications only say "there is more up to seq n"; the events themselves
 * are read from the table, one read at a time, so nothing is missed between the
 * catch-up read and the live notifications, nor across a reconnect.
 */
export function followEvents(
  conversationId: string,
  source: EventFeedSource,
  deliver: (event: ConversationEvent) => void,
  fromSeq?: number,
): () => void {
  let next = fromSeq;
  let stopped = false;

  const pull = pullLoop(async () => {
    next ??= await source.nextSeq();
    const events = await source.read(next);
    for (const event of events) {
      if (stopped) return false;
      if (event.seq !== next) continue;
      next++;
      deliver(event);
    }
    return !stopped;
  });

  const remove = source.listener.add(conversationId, (notice) => {
    if (stopped) return;
    if (notice.k === 'ready' || (notice.k === 'e' && (next === undefined || notice.s >= next))) {
      void pull();
    }
  });
  return () => {
    stopped = true;
    remove();
  };
}
