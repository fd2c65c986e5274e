import { createHash } from 'node:crypto';

/** What an advisory lock protects. */
export type LockPurpose = 'lease' | 'schema';

/**
 * A 64-bit advisory lock key for a purpose and a conversation: the first 8 bytes of a
 * SHA-256, as the decimal text of a signed bigint (collisions are negligible, and the
 * purposes never share a key).
 */
export function lockKey(purpose: LockPurpose, conversationId = ''): string {
  const digest = createHash('sha256').update(`steerable:${purpose}:${conversationId}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/** The two halves of a bigint lock key as `pg_locks` shows them (`classid`, `objid`). */
export function lockKeyHalves(key: string): { classid: string; objid: string } {
  const unsigned = BigInt.asUintN(64, BigInt(key));
  return {
    classid: (unsigned >> 32n).toString(),
    objid: (unsigned & 0xffffffffn).toString(),
  };
}
