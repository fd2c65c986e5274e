import { SteerableError } from './steerable-error.js';

/** Who holds a conversation's log for writing. */
export interface LockOwner {
  pid: number;
  hostname: string;
  /** When the owner took the lock (ISO 8601). */
  since?: string;
}

/**
 * A second writer tried to open a conversation that a live process (or another
 * `Conversation` in this process) already holds for writing. A lock left behind by a
 * process that died is taken over silently; this error means the owner still runs.
 *
 * @example
 * ```ts
 * try {
 *   new Conversation({ agent, persistenceDir, conversationId: 'c1' });
 * } catch (err) {
 *   if (err instanceof ConversationLockedError) console.error(`busy: pid ${err.owner.pid}`);
 * }
 * ```
 */
export class ConversationLockedError extends SteerableError {
  readonly conversationId: string;
  /** The process holding the lock. */
  readonly owner: LockOwner;
  /** The lock file, when the store uses one. */
  readonly lockFile: string | undefined;

  constructor(conversationId: string, owner: LockOwner, lockFile?: string) {
    super(
      `Conversation ${conversationId} is already open for writing by pid ${owner.pid} on ${owner.hostname}` +
        (lockFile
          ? ` (lock file ${lockFile}; delete it only if that process is gone)`
          : ' (close that Conversation first)'),
    );
    this.conversationId = conversationId;
    this.owner = owner;
    this.lockFile = lockFile;
  }
}
