import { AttachNotSupportedError } from '../errors/attach-not-supported-error.js';
import { Delivery } from '../events/schema.js';
import type { EventStore } from '../persistence/event-store.js';
import { RemoteConversation } from './remote-conversation.js';

/** Options of `Conversation.attach`. */
export interface AttachOptions {
  /** A store other processes can reach (it has an `inbox`), e.g. `PostgresEventStore`. */
  store: EventStore;
  /** The conversation to steer. It need not exist yet: messages wait for its runner. */
  conversationId: string;
  /** The delivery mode of `sendMessage` when none is given. Default: the runner's `steering`. */
  steering?: Delivery;
}

/**
 * Attaches to a conversation that runs (or will run) in another process: reads its log,
 * follows it live and returns a `RemoteConversation`. `Conversation.attach` delegates here.
 *
 * @throws AttachNotSupportedError when the store has no inbox (memory and file stores).
 */
export async function attachConversation(options: AttachOptions): Promise<RemoteConversation> {
  const { store, conversationId } = options ?? {};
  if (typeof store?.read !== 'function') {
    throw new TypeError('Conversation.attach needs a `store`');
  }
  if (typeof conversationId !== 'string' || conversationId === '') {
    throw new TypeError('Conversation.attach needs a `conversationId` (a non-empty string)');
  }
  if (!store.inbox) {
    throw new AttachNotSupportedError(conversationId, store.constructor?.name ?? 'this store');
  }
  const steering = options.steering === undefined ? undefined : Delivery.parse(options.steering);
  const remote = new RemoteConversation(store, store.inbox, conversationId, steering);
  await remote.follow();
  return remote;
}
