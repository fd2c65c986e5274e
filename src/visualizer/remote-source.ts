import { attachConversation } from '../conversation/attach.js';
import type { RemoteConversation } from '../conversation/remote-conversation.js';
import type { EventStore } from '../persistence/event-store.js';
import { ConversationSource } from './conversation-source.js';

/**
 * The inspector's source for a conversation that runs in another process: it attaches
 * to the conversation through its store (`Conversation.attach`), follows its log live,
 * and steers it through the store's inbox. `run` is not offered (the runner runs it).
 * Closing the inspector closes the attached handle.
 */
export class RemoteSource extends ConversationSource {
  readonly #remote: RemoteConversation;

  private constructor(remote: RemoteConversation) {
    super(remote);
    this.#remote = remote;
  }

  /** Attaches to `conversationId` in `store` (a store with an inbox, e.g. `PostgresEventStore`). */
  static async attach(store: EventStore, conversationId: string): Promise<RemoteSource> {
    return new RemoteSource(await attachConversation({ store, conversationId }));
  }

  async close(): Promise<void> {
    await this.#remote.close();
  }
}
