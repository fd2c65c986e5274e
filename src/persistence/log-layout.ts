import { join } from 'node:path';
import { InvalidConversationIdError } from '../errors/invalid-conversation-id-error.js';

/** The events file of a conversation directory. */
export const EVENTS_FILE = 'events.jsonl';
/** The metadata file of a conversation directory. */
export const METADATA_FILE = 'meta.json';
/** The lock file of a conversation directory (present while a writer holds it). */
export const LOCK_FILE = 'writer.lock';

/** The files of one conversation under a persistence directory. */
export interface ConversationPaths {
  dir: string;
  events: string;
  metadata: string;
  lock: string;
}

const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * The files of conversation `conversationId` under `persistenceDir`:
 * `<persistenceDir>/<conversationId>/events.jsonl`, `meta.json` and `writer.lock`.
 *
 * @throws InvalidConversationIdError when the id could escape the directory.
 */
export function conversationPaths(
  persistenceDir: string,
  conversationId: string,
): ConversationPaths {
  if (typeof conversationId !== 'string' || !SAFE_ID.test(conversationId)) {
    throw new InvalidConversationIdError(String(conversationId));
  }
  const dir = join(persistenceDir, conversationId);
  return {
    dir,
    events: join(dir, EVENTS_FILE),
    metadata: join(dir, METADATA_FILE),
    lock: join(dir, LOCK_FILE),
  };
}
