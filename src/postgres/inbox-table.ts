import type pg from 'pg';
import type { Delivery } from '../events/schema.js';
import type { RunnerRequest } from '../persistence/event-store.js';
import { noticePayload } from './listener.js';
import { CHANNEL } from './schema.js';

/** A row of `steerable_inbox`, as the runner reads it. */
export interface InboxRow {
  position: number;
  request: RunnerRequest;
  /** When the row was stored (the database's clock). */
  storedAt: Date;
  /** Set once the runner handled a `pause` or `interrupt`. */
  done: boolean;
}

/**
 * Stores requests for a conversation's runner, in this order, and notifies, in one
 * statement (one transaction, one round trip). Positions come from the conversation's
 * row in `steerable_inbox_heads`, locked by the update until commit, so positions are
 * committed in increasing order: a reader that saw position `n` never finds a smaller
 * one later. A request id (a message id) already stored is skipped: a retried send is
 * one message.
 */
export async function submitRequests(
  pool: pg.Pool,
  conversationId: string,
  requests: readonly RunnerRequest[],
): Promise<void> {
  if (requests.length === 0) return;
  await pool.query(
    `WITH head AS (
       INSERT INTO steerable_inbox_heads AS h (conversation_id, last_position)
       VALUES ($1, $2)
       ON CONFLICT (conversation_id) DO UPDATE SET last_position = h.last_position + $2
       RETURNING last_position - $2 AS base
     ),
     ins AS (
       INSERT INTO steerable_inbox
         (conversation_id, position, request_id, kind, content, delivery, target_id, sent_at)
       SELECT $1, head.base + t.n, r->>'id', r->>'kind', r->>'content', r->>'delivery',
              r->>'messageId', coalesce((r->>'timestamp')::timestamptz, clock_timestamp())
       FROM head, jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, n)
       ORDER BY t.n
       ON CONFLICT (conversation_id, request_id) DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins) AS inserted, pg_notify($4, $5)`,
    [
      conversationId,
      requests.length,
      JSON.stringify(requests),
      CHANNEL,
      noticePayload(conversationId, { k: 'i' }),
    ],
  );
}

/** Whether a message with this id was ever submitted for the conversation. */
export async function hasMessage(
  pool: pg.Pool,
  conversationId: string,
  messageId: string,
): Promise<boolean> {
  const { rows } = await pool.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM steerable_inbox
       WHERE conversation_id = $1 AND request_id = $2 AND kind = 'message') AS found`,
    [conversationId, messageId],
  );
  return rows[0]?.found ?? false;
}

interface RawRow {
  position: string;
  request_id: string;
  kind: RunnerRequest['kind'];
  content: string | null;
  delivery: Delivery | null;
  target_id: string | null;
  sent_at: Date;
  stored_at: Date;
  done: boolean;
}

/** The requests stored after `position`, in order. */
export async function readRequests(
  pool: pg.Pool,
  conversationId: string,
  afterPosition: number,
): Promise<InboxRow[]> {
  const { rows } = await pool.query<RawRow>(
    `SELECT position, request_id, kind, content, delivery, target_id, sent_at, stored_at,
            done_at IS NOT NULL AS done
     FROM steerable_inbox WHERE conversation_id = $1 AND position > $2 ORDER BY position`,
    [conversationId, afterPosition],
  );
  return rows.map((row) => ({
    position: Number(row.position),
    request: toRequest(row),
    storedAt: row.stored_at,
    done: row.done,
  }));
}

/** Marks a `pause` or `interrupt` request handled and tells whoever waits for it. */
export async function markHandled(
  pool: pg.Pool,
  conversationId: string,
  requestId: string,
): Promise<void> {
  await pool.query(
    `WITH upd AS (
       UPDATE steerable_inbox SET done_at = clock_timestamp()
       WHERE conversation_id = $1 AND request_id = $2 AND done_at IS NULL RETURNING 1
     )
     SELECT (SELECT count(*) FROM upd) AS updated, pg_notify($3, $4)`,
    [conversationId, requestId, CHANNEL, noticePayload(conversationId, { k: 'a', r: requestId })],
  );
}

/** Whether a request was handled. */
export async function isHandled(
  pool: pg.Pool,
  conversationId: string,
  requestId: string,
): Promise<boolean> {
  const { rows } = await pool.query<{ done: boolean }>(
    `SELECT done_at IS NOT NULL AS done FROM steerable_inbox
     WHERE conversation_id = $1 AND request_id = $2`,
    [conversationId, requestId],
  );
  return rows[0]?.done ?? false;
}

function toRequest(row: RawRow): RunnerRequest {
  switch (row.kind) {
    case 'message':
      return {
        kind: 'message',
        id: row.request_id,
        content: row.content ?? '',
        timestamp: row.sent_at.toISOString(),
        ...(row.delivery ? { delivery: row.delivery } : {}),
      };
    case 'retract':
      return { kind: 'retract', id: row.request_id, messageId: row.target_id ?? '' };
    case 'pause':
    case 'interrupt':
      return { kind: row.kind, id: row.request_id };
  }
}
