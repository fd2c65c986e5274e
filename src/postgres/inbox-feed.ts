import type { RunnerRequest } from '../persistence/event-store.js';
import type { InboxRow } from './inbox-table.js';
import type { Listener } from './listener.js';
import { pullLoop } from './pull-loop.js';

/** What `followInbox` needs. */
export interface InboxFeedSource {
  listener: Listener;
  /** The requests stored after a position (retrying while PostgreSQL is unreachable). */
  read(afterPosition: number): Promise<InboxRow[]>;
  /** Marks a `pause` or `interrupt` handled (retrying while PostgreSQL is unreachable). */
  markHandled(requestId: string): Promise<void>;
}

/**
 * Hands a runner the requests in its conversation's inbox, in position order: first
 * those stored before it started (`initial`, read when the log was opened, delivered
 * synchronously: messages and retractions; a `pause` or `interrupt`
 * stored before the runner took its lease was meant for a runner that is gone, so it is
 * marked handled without being carried out), then each new one as NOTIFY announces it.
 * `handler` runs synchronously, in order; a command counts as handled when the promise
 * it returns settles.
 */
export function followInbox(
  conversationId: string,
  source: InboxFeedSource,
  leaseTakenAt: Date,
  handler: (request: RunnerRequest) => void | Promise<void>,
  initial: readonly InboxRow[] = [],
): () => void {
  let cursor = 0;
  let stopped = false;

  const acknowledge = (requestId: string) => {
    source.markHandled(requestId).catch(() => undefined);
  };

  const deliver = (row: InboxRow) => {
    const { request } = row;
    if (request.kind === 'pause' || request.kind === 'interrupt') {
      if (row.done) return;
      if (row.storedAt < leaseTakenAt) return acknowledge(request.id);
      let result: void | Promise<void>;
      try {
        result = handler(request);
      } catch {
        result = undefined;
      }
      void Promise.resolve(result)
        .catch(() => undefined)
        .then(() => acknowledge(request.id));
      return;
    }
    try {
      void handler(request);
    } catch {
      // A request the conversation cannot carry out (closed): it stays in the store.
    }
  };

  const pull = pullLoop(async () => {
    const rows = await source.read(cursor);
    for (const row of rows) {
      if (stopped) return false;
      cursor = row.position;
      deliver(row);
    }
    return !stopped;
  });

  for (const row of initial) {
    cursor = row.position;
    deliver(row);
  }
  const remove = source.listener.add(conversationId, (notice) => {
    if (!stopped && (notice.k === 'i' || notice.k === 'ready')) void pull();
  });
  return () => {
    stopped = true;
    remove();
  };
}
