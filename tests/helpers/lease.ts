import pg from 'pg';
import { lockKey } from '../../src/postgres/keys.js';

/**
 * Resolves once no session holds the conversation's lease: takes the lease's advisory
 * lock (waiting, inside PostgreSQL, until a dead runner's backend has ended) and gives
 * it back. An explicit signal instead of polling after a `kill`.
 */
export async function leaseReleased(url: string, conversationId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const key = lockKey('lease', conversationId);
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
  } finally {
    await client.end();
  }
}
