import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConversationLockedError, type LockOwner } from '../errors/conversation-locked-error.js';

/** A held writer lock. */
export interface WriterLock {
  /** The lock file. */
  readonly file: string;
  /** Removes the lock file if it is still ours. Idempotent, never throws. */
  release(): void;
}

const ATTEMPTS = 5;

/**
 * Takes the writer lock of a conversation: a file holding `{ pid, hostname, since,
 * token }`. It is created complete in one step (written to a temporary file, then
 * hard-linked into place, which fails if the lock exists), so a reader never sees a
 * half-written lock.
 *
 * A lock whose owner is a dead process on this host is stale and taken over: it is
 * renamed aside (atomic, so two processes cannot both take it), checked to be the one
 * judged stale, and replaced. A lock held by a live process (this one included), or by
 * a process on another host (whose liveness cannot be checked), throws
 * `ConversationLockedError`.
 */
export function acquireLock(file: string, conversationId: string): WriterLock {
  const token = randomUUID();
  const owner: LockOwner & { token: string } = {
    pid: process.pid,
    hostname: hostname(),
    since: new Date().toISOString(),
    token,
  };
  const content = JSON.stringify(owner);
  let lastOwner: LockOwner | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryCreate(file, content, token)) return lockHandle(file, content);
    const existing = readLock(file);
    if (existing === undefined) continue; // vanished meanwhile: try again
    const parsed = parseOwner(existing);
    if (parsed && isAlive(parsed)) throw new ConversationLockedError(conversationId, parsed, file);
    lastOwner = parsed;
    takeOver(file, existing, token);
  }
  throw new ConversationLockedError(
    conversationId,
    lastOwner ?? { pid: Number.NaN, hostname: 'unknown' },
    file,
  );
}

/** Whether the owner of a lock still runs. Owners on other hosts count as alive. */
export function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== hostname()) return true;
  if (owner.pid === process.pid) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(file: string, content: string, token: string): boolean {
  const tmp = `${file}.${token}.tmp`;
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(tmp);
  }
}

/** Moves a stale lock aside; puts it back if it turns out to be a fresh one. */
function takeOver(file: string, stale: string, token: string): void {
  const aside = `${file}.${token}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readLock(aside) !== stale) {
    // Another process replaced the stale lock between our read and our rename: restore it.
    try {
      linkSync(aside, file);
    } catch {
      // A third lock appeared; the newest one stands.
    }
  }
  unlinkQuietly(aside);
}

function lockHandle(file: string, content: string): WriterLock {
  let released = false;
  return {
    file,
    release: () => {
      if (released) return;
      released = true;
      if (readLock(file) === content) unlinkQuietly(file);
    },
  };
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const json = JSON.parse(text) as Partial<LockOwner>;
    if (typeof json.pid === 'number' && typeof json.hostname === 'string') {
      return {
        pid: json.pid,
        hostname: json.hostname,
        ...(json.since ? { since: json.since } : {}),
      };
    }
  } catch {
    // An unreadable lock cannot belong to a live writer: locks are created complete.
  }
  return undefined;
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
