import { Subject } from 'rxjs';
import type { MessageEvent } from '../events/schema.js';

/**
 * The inbox of a conversation: an RxJS `Subject` of the user messages it accepted, and
 * the list of those the model has not read yet. `thinking` drains it on every entry.
 * Messages leave it in the order they arrived.
 */
export class Inbox {
  /** Every user message accepted, as it arrives. */
  readonly messages$ = new Subject<MessageEvent>();
  #pending: MessageEvent[] = [];

  /** Messages not read yet, oldest first. */
  get pending(): readonly MessageEvent[] {
    return this.#pending;
  }

  /**
   * Accepts a message. Pending messages stay in log order (`seq`), even when a message is
   * pushed after one that was logged later (a `sendMessage` from inside an `events$`
   * subscriber logs its message before the outer call returns).
   */
  push(message: MessageEvent): void {
    let at = this.#pending.length;
    while (at > 0 && this.#pending[at - 1]!.seq > message.seq) at -= 1;
    this.#pending.splice(at, 0, message);
    this.messages$.next(message);
  }

  /** Whether a message waits that the next `thinking` would read. */
  hasUnread(includeQueued: boolean): boolean {
    return includeQueued
      ? this.#pending.length > 0
      : this.#pending.some((m) => m.delivery !== 'queue');
  }

  /** Whether a `queue` message waits. */
  hasQueued(): boolean {
    return this.#pending.some((m) => m.delivery === 'queue');
  }

  /**
   * Takes the messages the model reads now: every `steer` and `interrupt` message, and
   * the `queue` messages too when `includeQueued`.
   */
  drain(includeQueued: boolean): MessageEvent[] {
    if (this.#pending.length === 0) return [];
    if (includeQueued) {
      const all = this.#pending;
      this.#pending = [];
      return all;
    }
    const taken: MessageEvent[] = [];
    const kept: MessageEvent[] = [];
    for (const m of this.#pending) (m.delivery === 'queue' ? kept : taken).push(m);
    this.#pending = kept;
    return taken;
  }

  /** Removes a pending message; false when it is not pending. */
  remove(messageId: string): boolean {
    const index = this.#pending.findIndex((m) => m.id === messageId);
    if (index < 0) return false;
    this.#pending.splice(index, 1);
    return true;
  }

  /** Ends the subject; returns what was still pending. */
  close(): MessageEvent[] {
    const left = this.#pending;
    this.#pending = [];
    this.messages$.complete();
    return left;
  }
}
