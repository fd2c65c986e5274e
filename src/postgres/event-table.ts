import type pg from 'pg';
import type { ConversationEvent } from '../events/schema.js';
import { checkContiguous, decodeEvent, encodeEvent } from './event-codec.js';
import { LogConflictError } from './errors.js';
import { noticePayload } from './listener.js';
import { CHANNEL } from './schema.js';

const PAGE = 10_000;

/** The events of a conversation with `seq >= fromSeq`, oldest first, read in pages. */
export async function readEvents(
  pool: pg.Pool,
  conversationId: string,
  fromSeq = 0,
): Promise<ConversationEvent[]> {
  const events: ConversationEvent[] = [];
  for (;;) {
    const next = fromSeq + events.length;
    const { rows } = await pool.query<{ payload: unknown }>(
      `SELECT payload FROM steerable_events
       WHERE conversation_id = $1 AND seq >= $2 ORDER BY seq LIMIT ${PAGE}`,
      [conversationId, next],
    );
    const page = rows.map((row) => decodeEvent(row.payload));
    checkContiguous(conversationId, page, next);
    for (const event of page) events.push(event);
    if (rows.length < PAGE) return events;
  }
}

/** The `seq` the next event of a conversation will have. */
export async function nextSeq(pool: pg.Pool, conversationId: string): Promise<number> {
  const { rows } = await pool.query<{ next: string }>(
    'SELECT coalesce(max(seq) + 1, 0) AS next FROM steerable_events WHERE conversation_id = $1',
    [conversationId],
  );
  return Number(rows[0]?.next ?? 0);
}

/**
 * Stores a batch of events in one statement (one transaction) and notifies listeners.
 * Idempotent: a retry of a batch whose commit was not acknowledged stores nothing twice.
 *
 * @throws LogConflictError when a different event is already stored at one of the `seq`s.
 */
export async function insertEvents(
  pool: pg.Pool,
  conversationId: string,
  events: readonly ConversationEvent[],
): Promise<void> {
  const last = events.at(-1)!;
  const { rows } = await pool.query<{ inserted: number }>(
    `WITH ins AS (
       INSERT INTO steerable_events (conversation_id, seq, event_id, kind, payload)
       SELECT $1, (e->>'seq')::bigint, e->>'id', e->>'kind', e
       FROM jsonb_array_elements($2::jsonb) AS e
       ON CONFLICT (conversation_id, seq) DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted, pg_notify($3, $4)`,
    [
      conversationId,
      JSON.stringify(events.map(encodeEvent)),
      CHANNEL,
      noticePayload(conversationId, { k: 'e', s: last.seq }),
    ],
  );
  if ((rows[0]?.inserted ?? 0) === events.length) return;
  // Some were there already: fine if they are ours (an earlier attempt committed).
  const stored = await pool.query<{ seq: string; event_id: string }>(
    `SELECT seq, event_id FROM steerable_events
     WHERE conversation_id = $1 AND seq BETWEEN $2 AND $3`,
    [conversationId, events[0]!.seq, last.seq],
  );
  const ids = new Map(stored.rows.map((row) => [Number(row.seq), row.event_id]));
  for (const event of events) {
    if (ids.get(event.seq) !== event.id) throw new LogConflictError(conversationId, event.seq);
  }
}
