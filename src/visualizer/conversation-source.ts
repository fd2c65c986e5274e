import type { Observable } from 'rxjs';
import type { AnyStateMachine } from 'xstate';
import type { ConversationProjection } from '../events/projection.js';
import type { ConversationEvent, Delivery, MessageEvent } from '../events/schema.js';
import { conversationMachine } from '../machines/conversation-machine.js';
import { activeStateIds, derivedStatePath, statePaths } from './active-states.js';
import { summarizeEvent } from './event-text.js';
import type { InspectorControls, InspectorSource } from './inspector-source.js';
import type {
  InspectorSnapshot,
  InspectorSummary,
  InspectorUpdate,
  MessageView,
  TimelineEntry,
} from './inspector-view.js';

/**
 * What the inspector needs of a conversation. `Conversation` has all of it; a handle on
 * a conversation that runs elsewhere (`RemoteConversation`: no `actor`, no `run`, sends
 * and retractions that settle later) fits too: its state is then the one its log implies.
 */
export interface InspectableConversation {
  readonly id: string;
  readonly events: readonly ConversationEvent[];
  readonly events$: Observable<ConversationEvent>;
  /** The projection of the log: metrics and where each message stands. */
  readonly state: ConversationProjection;
  readonly pendingMessages: readonly MessageEvent[];
  /** The running machine, for its exact state and the run's iterations. */
  readonly actor?: {
    getSnapshot(): { value: unknown; context: { iterations: number } };
    subscribe(observer: { next?: () => void; error?: (error: unknown) => void }): {
      unsubscribe(): void;
    };
  };
  sendMessage(
    text: string,
    options?: { delivery?: Delivery; id?: string },
  ): { id: string; event: { seq: number } } | Promise<{ id: string }>;
  retractMessage(id: string): void | Promise<void>;
  run?(): Promise<unknown>;
  pause(): Promise<void>;
  interrupt(): Promise<void>;
}

/** The inspector's source for a conversation in this process: live state, and controls. */
export class ConversationSource implements InspectorSource {
  readonly machine: AnyStateMachine;
  readonly controls: InspectorControls;
  readonly #conversation: InspectableConversation;
  readonly #listeners = new Set<(update: InspectorUpdate) => void>();
  #detach: (() => void) | undefined;
  #scheduled = false;
  #sentUpTo = -1;

  constructor(
    conversation: InspectableConversation,
    machine: AnyStateMachine = conversationMachine,
  ) {
    this.#conversation = conversation;
    this.machine = machine;
    this.controls = {
      send: (text, options) => {
        const handle = conversation.sendMessage(text, options);
        if ('then' in handle) return handle.then(({ id }) => ({ id }));
        return { id: handle.id, seq: handle.event.seq };
      },
      retract: (id) => conversation.retractMessage(id),
      run: () => {
        if (!conversation.run) {
          return Promise.reject(new TypeError('This conversation is run by another process'));
        }
        return conversation.run();
      },
      pause: () => conversation.pause(),
      interrupt: () => conversation.interrupt(),
    };
  }

  snapshot(): InspectorSnapshot {
    const conversation = this.#conversation;
    return {
      mode: 'live',
      title: `conversation ${conversation.id}`,
      conversationId: conversation.id,
      controls: true,
      timeline: conversation.events.map(toEntry),
      messages: this.#messages(),
      summary: this.#summary(),
      warnings: [],
    };
  }

  subscribe(listener: (update: InspectorUpdate) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#detach) this.#attach();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#detach?.();
        this.#detach = undefined;
      }
    };
  }

  #attach(): void {
    const changed = () => this.#schedule();
    this.#sentUpTo = this.#conversation.events.length - 1;
    const events = this.#conversation.events$.subscribe({ next: changed, complete: changed });
    const actor = this.#conversation.actor?.subscribe({ next: changed, error: changed });
    this.#detach = () => {
      events.unsubscribe();
      actor?.unsubscribe();
    };
  }

  /** One update per burst: a macrostep appends events and changes state synchronously. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (this.#listeners.size === 0) return;
      const events = this.#conversation.events;
      const fresh = events.slice(this.#sentUpTo + 1);
      const update: InspectorUpdate = {
        timeline: fresh.map(toEntry),
        messages: messageViews(this.#conversation.state, touchedMessages(fresh)),
        summary: this.#summary(),
      };
      this.#sentUpTo = events.length - 1;
      for (const listener of this.#listeners) listener(update);
    });
  }

  #summary(): InspectorSummary {
    const conversation = this.#conversation;
    const projection = conversation.state;
    const snapshot = conversation.actor?.getSnapshot();
    const value = snapshot ? snapshot.value : derivedStatePath(projection.state);
    return {
      seq: conversation.events.length - 1,
      state: statePaths(value).join(', '),
      active: activeStateIds(this.machine.id, value),
      status: projection.status,
      metrics: { ...projection.metrics },
      ...(snapshot ? { iterations: snapshot.context.iterations } : {}),
      pending: conversation.pendingMessages.map((m) => m.id),
    };
  }

  #messages(): MessageView[] {
    return messageViews(this.#conversation.state);
  }
}

/** The ids of the user messages that these events send, deliver or retract. */
export function touchedMessages(events: readonly ConversationEvent[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.kind === 'message' && event.role === 'user') ids.add(event.id);
    if (event.kind === 'message_delivered') for (const id of event.messageIds) ids.add(id);
    if (event.kind === 'message_retracted') ids.add(event.messageId);
  }
  return ids;
}

/**
 * The user messages of a projection (all, or those in `only`) with where each arrived,
 * was read or was retracted.
 */
export function messageViews(
  projection: ConversationProjection,
  only?: ReadonlySet<string>,
): MessageView[] {
  const views: MessageView[] = [];
  for (const [id, message] of projection.userMessages) {
    if (only && !only.has(id)) continue;
    const state = projection.messageStates.get(id);
    views.push({
      id,
      content: message.content,
      delivery: message.delivery ?? 'steer',
      seq: message.seq,
      ...(state?.status === 'delivered' ? { readSeq: state.seq } : {}),
      ...(state?.status === 'retracted' ? { retractedSeq: state.seq } : {}),
    });
  }
  return views;
}

/** A timeline row for an event. */
export function toEntry(event: ConversationEvent): TimelineEntry {
  return { event, summary: summarizeEvent(event) };
}
