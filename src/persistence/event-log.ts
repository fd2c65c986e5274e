import { isoNow } from './iso-now.js';
import { newId } from './new-id.js';
import { Subject } from 'rxjs';
import { ConversationProjection } from '../events/projection.js';
import type { ConversationEvent, EventDraft } from '../events/schema.js';
import type { EventLogHandle } from './event-store.js';

/**
 * The append-only log of one conversation, in memory, with its projection kept up to
 * date and a store handle writing behind it. `append` gives each event its `seq`
 * (no gaps), an `id` and a timestamp, and notifies subscribers in `seq` order even
 * when a subscriber appends from inside its callback.
 */
export class EventLog {
  readonly events: ConversationEvent[] = [];
  readonly events$ = new Subject<ConversationEvent>();
  readonly projection = new ConversationProjection();
  #handle: EventLogHandle | undefined;
  readonly #redact: ((event: ConversationEvent) => ConversationEvent) | undefined;
  readonly #toEmit: ConversationEvent[] = [];
  #emitting = false;

  constructor(handle?: EventLogHandle, redact?: (event: ConversationEvent) => ConversationEvent) {
    this.#redact = redact;
    if (handle) this.load(handle);
  }

  /**
   * Takes the store handle of a log opened after this object was made (stores that open
   * asynchronously): its existing events become this log's first events. Only on an
   * empty log without a handle.
   */
  load(handle: EventLogHandle): void {
    if (this.#handle || this.events.length > 0) {
      throw new Error('EventLog.load: the log already has a store handle or events');
    }
    this.#handle = handle;
    for (const event of handle.existing) {
      this.events.push(event);
      this.projection.apply(event);
    }
  }

  /** The number of events (= the next `seq`). */
  get length(): number {
    return this.events.length;
  }

  /** Appends an event, returns it as logged. */
  append(draft: EventDraft): ConversationEvent {
    // Object.assign, not a spread: V8 gives every object spread from drafts of several
    // kinds a map of its own, which makes each event larger and every read of it slow.
    let event = Object.assign({}, draft, {
      id: draft.id ?? newId(),
      seq: this.events.length,
      timestamp: draft.timestamp ?? isoNow(),
    }) as ConversationEvent;
    if (this.#redact) event = this.#redact(event);
    this.events.push(event);
    this.projection.apply(event);
    this.#handle?.append(event);
    this.#emit(event);
    return event;
  }

  /** Waits until the store has every event. */
  flush(): Promise<void> {
    return this.#handle?.flush() ?? Promise.resolve();
  }

  /** Flushes, releases the store handle and completes `events$`. */
  async close(): Promise<void> {
    try {
      await this.#handle?.close();
    } finally {
      this.events$.complete();
    }
  }

  #emit(event: ConversationEvent): void {
    this.#toEmit.push(event);
    if (this.#emitting) return;
    this.#emitting = true;
    try {
      for (let i = 0; i < this.#toEmit.length; i++) this.events$.next(this.#toEmit[i]!);
    } finally {
      this.#toEmit.length = 0;
      this.#emitting = false;
    }
  }
}
