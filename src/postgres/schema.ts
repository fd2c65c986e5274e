import type pg from 'pg';
import { lockKey } from './keys.js';
import { SchemaVersionError } from './errors.js';

/** The channel every process LISTENs on; payloads name the conversation. */
export const CHANNEL = 'steerable';

/**
 * The migrations, oldest first: migration `i` brings the schema to version `i + 1`.
 * Released migrations are never edited; a change is a new migration.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE steerable_conversations (
    conversation_id text PRIMARY KEY,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE steerable_events (
    conversation_id text NOT NULL,
    seq bigint NOT NULL,
    event_id text NOT NULL,
    kind text NOT NULL,
    payload jsonb NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, seq)
  );
  CREATE TABLE steerable_inbox (
    conversation_id text NOT NULL,
    position bigint NOT NULL,
    request_id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('message', 'retract', 'pause', 'interrupt')),
    content text,
    delivery text CHECK (delivery IN ('steer', 'interrupt', 'queue')),
    target_id text,
    sent_at timestamptz NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    done_at timestamptz,
    PRIMARY KEY (conversation_id, position),
    UNIQUE (conversation_id, request_id)
  );
  CREATE TABLE steerable_inbox_heads (
    conversation_id text PRIMARY KEY,
    last_position bigint NOT NULL
  );
  `,
];

/** The schema version this package writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database's steerable tables to `SCHEMA_VERSION`, creating them on first
 * use. Concurrent processes serialize on an advisory lock; each migration runs in the
 * same transaction as its row in `steerable_migrations`.
 *
 * @throws SchemaVersionError when the database is at a newer version.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  const current = await schemaVersion(pool);
  if (current === SCHEMA_VERSION) return;
  if (current > SCHEMA_VERSION) throw new SchemaVersionError(current, SCHEMA_VERSION);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(${lockKey('schema')})`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS steerable_migrations (
        version integer PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM steerable_migrations',
    );
    const version = rows[0]?.version ?? 0;
    if (version > SCHEMA_VERSION) throw new SchemaVersionError(version, SCHEMA_VERSION);
    for (let v = version; v < SCHEMA_VERSION; v++) {
      await client.query(MIGRATIONS[v]!);
      await client.query('INSERT INTO steerable_migrations (version) VALUES ($1)', [v + 1]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The schema version in the database (0 when the tables do not exist). */
export async function schemaVersion(pool: pg.Pool): Promise<number> {
  const exists = await pool.query<{ exists: boolean }>(
    `SELECT to_regclass('steerable_migrations') IS NOT NULL AS exists`,
  );
  if (!exists.rows[0]?.exists) return 0;
  const { rows } = await pool.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM steerable_migrations',
  );
  return rows[0]?.version ?? 0;
}
