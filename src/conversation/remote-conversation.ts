import { randomUUID } from 'node:crypto';
import { BehaviorSubject, type Observable, Subject } from 'rxjs';
import { ConversationClosedError } from '../errors/conversation-closed-error.js';
import { MessageNotPendingError, UnknownMessageError } from '../errors/message-errors.js';
import { ConversationProjection } from '../events/projection.js';
import {
  type ConversationEvent,
  type ConversationStatus,
  Delivery,
  type MessageEvent,
} from '../events/schema.js';
import type { EventStore, RemoteInbox, RunnerRequest } from '../persistence/event-store.js';
import type { SendMessageOptions } from './conversation.js';
import { type MessageOutcome, OutcomeTracker } from './message-handle.js';

/** What `RemoteConversation.sendMessage` resolves with, once the message is durable. */
export interface RemoteMessageHandle {
  /** The message id (given or generated). */
  id: string;
  /** The `message` event, once the runner has logged it (at once if it already had). */
  event: Promise<MessageEvent>;
  /**
   * Settles from the log: `delivered` (with the `seq` of the `message_delivered` event),
   * `retracted`, or `discarded` when this handle is closed before either. Never rejects.
   */
  outcome: Promise<MessageOutcome>;
}

interface Submission {
  request: RunnerRequest;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const SUBMIT_BATCH = 500;

/**
 * A conversation that runs in another process, seen and steered through its store
 * (`Conversation.attach`). It follows the log live and sends requests to the runner
 * through the store's inbox; it never runs the agent. With no runner alive, messages
 * wait in the store and the next runner reads them when it starts.
 *
 * @example
 * ```ts
 * const remote = await Conversation.attach({ store, conversationId: 'c1' });
 * remote.events$.subscribe((event) => console.log(event.seq, event.kind));
 * const { outcome } = await remote.sendMessage('also do X', { delivery: 'steer' });
 * await remote.pause();
 * await remote.close();
 * ```
 */
export class RemoteConversation {
  /** The conversation id. */
  readonly id: string;
  readonly #store: EventStore;
  readonly #inbox: RemoteInbox;
  readonly #steering: Delivery | undefined;
  readonly #events: ConversationEvent[] = [];
  readonly #projection = new ConversationProjection();
  readonly #events$ = new Subject<ConversationEvent>();
  readonly #status$ = new BehaviorSubject<ConversationStatus>('idle');
  readonly #outcomes = new OutcomeTracker();
  readonly #logged = new Map<
    string,
    {
      promise: Promise<MessageEvent>;
      resolve: (e: MessageEvent) => void;
      reject: (e: unknown) => void;
    }
  >();
  readonly #sent = new Set<string>();
  #toSubmit: Submission[] = [];
  #submitting = false;
  #unsubscribe: (() => void) | undefined;
  #closed = false;
  /** Rejects when the handle closes: what still waits for the runner stops waiting. */
  readonly #whenClosed: Promise<never>;
  #markClosed!: () => void;

  /** Use `Conversation.attach`. */
  constructor(store: EventStore, inbox: RemoteInbox, conversationId: string, steering?: Delivery) {
    this.#store = store;
    this.#inbox = inbox;
    this.id = conversationId;
    this.#steering = steering;
    this.#whenClosed = new Promise<never>((_, reject) => {
      this.#markClosed = () =>
        reject(new ConversationClosedError(conversationId, 'wait for the runner'));
    });
    this.#whenClosed.catch(() => undefined);
  }

  /** Reads the log and follows it from there. Called once, by `Conversation.attach`. */
  async follow(): Promise<void> {
    const events = await this.#store.read(this.id);
    for (const event of events) this.#apply(event);
    this.#unsubscribe = this.#store.subscribe(
      this.id,
      (event) => this.#apply(event),
      this.#events.length,
    );
  }

  /** The log so far, oldest first. */
  get events(): readonly ConversationEvent[] {
    return this.#events;
  }

  /** Events as the runner appends them. */
  get events$(): Observable<ConversationEvent> {
    return this.#events$.asObservable();
  }

  /** The status, as the log says. */
  get status(): ConversationStatus {
    return this.#projection.status;
  }

  /** The status, now and as it changes. */
  get status$(): Observable<ConversationStatus> {
    return this.#status$.asObservable();
  }

  /**
   * Logged user messages the model has not read yet, oldest first. A message waiting in
   * the store for a runner appears here once the runner logs it.
   */
  get pendingMessages(): readonly MessageEvent[] {
    return this.#projection.pendingMessages();
  }

  /** Everything derived from the log, as in `Conversation.state`. */
  get state(): ConversationProjection {
    return this.#projection;
  }

  /**
   * Sends a user message to the runner. Resolves once the message is durable in the
   * store; the runner logs it and feeds it to its inbox (DESIGN.md section 3). Sending an
   * id again is the same message. Calls from one handle reach the log in call order.
   *
   * @throws ConversationClosedError after `close()`.
   */
  async sendMessage(text: string, options: SendMessageOptions = {}): Promise<RemoteMessageHandle> {
    this.#assertOpen('send a message');
    if (typeof text !== 'string') throw new TypeError('sendMessage: text must be a string');
    const delivery =
      options.delivery === undefined ? this.#steering : Delivery.parse(options.delivery);
    if (options.id !== undefined && (typeof options.id !== 'string' || options.id === '')) {
      throw new TypeError('sendMessage: id must be a non-empty string');
    }
    const id = options.id ?? randomUUID();
    const handle = this.#handle(id);
    if (this.#projection.userMessages.has(id)) return handle;
    this.#sent.add(id);
    await this.#submit({
      kind: 'message',
      id,
      content: text,
      timestamp: new Date().toISOString(),
      ...(delivery ? { delivery } : {}),
    });
    return handle;
  }

  /**
   * Withdraws a message the model has not read. Resolves once the runner has logged
   * `message_retracted`; with no runner alive, the request waits for the next one.
   *
   * @throws UnknownMessageError for an id never sent; MessageNotPendingError when it was read or retracted.
   */
  async retractMessage(id: string): Promise<void> {
    this.#assertOpen('retract a message');
    const state = this.#projection.messageStates.get(id);
    if (state && state.status !== 'pending') throw new MessageNotPendingError(id, state.status);
    if (!state && !this.#sent.has(id) && !(await this.#inbox.hasMessage(this.id, id))) {
      throw new UnknownMessageError(id);
    }
    await this.#submit({ kind: 'retract', id: randomUUID(), messageId: id });
    const outcome = await this.#outcomes.get(id);
    if (outcome.status === 'delivered') throw new MessageNotPendingError(id, 'delivered');
    if (outcome.status === 'discarded') {
      throw new ConversationClosedError(this.id, 'wait for the retraction');
    }
  }

  /**
   * Asks the runner to pause; resolves once it is paused (see `Conversation.pause`), or at
   * once when no runner holds the conversation.
   *
   * @throws ConversationClosedError when this handle is closed first.
   */
  async pause(): Promise<void> {
    await this.#command('pause');
  }

  /**
   * Asks the runner to interrupt: its LLM request and running tool call are aborted (see
   * `Conversation.interrupt`). Resolves once it is paused, or at once when no runner holds
   * the conversation.
   */
  async interrupt(): Promise<void> {
    await this.#command('interrupt');
  }

  /**
   * Stops following the log. Outcomes not known yet settle as `discarded`; the messages
   * themselves stay in the store for the runner. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#markClosed();
    this.#unsubscribe?.();
    for (const id of this.#sent) {
      this.#outcomes.settle(id, { status: 'discarded', reason: 'the attached handle was closed' });
    }
    for (const [, logged] of this.#logged) {
      logged.reject(new ConversationClosedError(this.id, 'wait for the message event'));
    }
    this.#events$.complete();
    this.#status$.complete();
  }

  async #command(kind: 'pause' | 'interrupt'): Promise<void> {
    this.#assertOpen(kind);
    const id = randomUUID();
    await this.#submit({ kind, id });
    const result = await Promise.race([this.#inbox.whenHandled(this.id, id), this.#whenClosed]);
    if (result === 'handled') {
      // The runner stored the request's events before answering: show them now.
      for (const event of await this.#store.read(this.id, this.#events.length)) this.#apply(event);
    }
  }

  #assertOpen(operation: string): void {
    if (this.#closed) throw new ConversationClosedError(this.id, operation);
  }

  #handle(id: string): RemoteMessageHandle {
    let logged = this.#logged.get(id);
    if (!logged) {
      let resolve!: (e: MessageEvent) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<MessageEvent>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined);
      logged = { promise, resolve, reject };
      this.#logged.set(id, logged);
      const known = this.#projection.userMessages.get(id);
      if (known) resolve(known);
    }
    const state = this.#projection.messageStates.get(id);
    if (state?.status === 'delivered') {
      this.#outcomes.settle(id, { status: 'delivered', seq: state.seq });
    }
    if (state?.status === 'retracted') this.#outcomes.settle(id, { status: 'retracted' });
    return { id, event: logged.promise, outcome: this.#outcomes.get(id) };
  }

  /** Queues a request; requests go to the store in batches, one batch at a time, in order. */
  #submit(request: RunnerRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#toSubmit.push({ request, resolve, reject });
      if (!this.#submitting) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#submitting = true;
    try {
      while (this.#toSubmit.length > 0) {
        const batch = this.#toSubmit.splice(0, SUBMIT_BATCH);
        try {
          await this.#inbox.submit(
            this.id,
            batch.map((s) => s.request),
          );
          for (const s of batch) s.resolve();
        } catch (error) {
          for (const s of batch) s.reject(error);
        }
      }
    } finally {
      this.#submitting = false;
    }
  }

  #apply(event: ConversationEvent): void {
    if (this.#closed || event.seq !== this.#events.length) return;
    this.#events.push(event);
    this.#projection.apply(event);
    this.#outcomes.settleFrom(event);
    switch (event.kind) {
      case 'message':
        if (event.role === 'user') this.#logged.get(event.id)?.resolve(event);
        break;
      case 'state_update':
        this.#status$.next(event.status);
        break;
      default:
        break;
    }
    this.#events$.next(event);
  }
}
