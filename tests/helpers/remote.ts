import type { ConversationEvent, MessageEvent, RemoteConversation } from '../../src/index.js';

/** Resolves once the remote's view of the log satisfies `done` (checked on every event). */
export function until(
  remote: RemoteConversation,
  done: (events: readonly ConversationEvent[]) => boolean,
): Promise<void> {
  if (done(remote.events)) return Promise.resolve();
  return new Promise((resolve) => {
    const sub = remote.events$.subscribe(() => {
      if (done(remote.events)) {
        sub.unsubscribe();
        resolve();
      }
    });
  });
}

/** The user messages of a log. */
export const userMessages = (events: readonly ConversationEvent[]): MessageEvent[] =>
  events.filter((e): e is MessageEvent => e.kind === 'message' && e.role === 'user');
