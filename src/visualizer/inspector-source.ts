import type { AnyStateMachine } from 'xstate';
import type { Delivery } from '../events/schema.js';
import type { InspectorSnapshot, InspectorUpdate } from './inspector-view.js';

/** What the inspector's page can ask a live conversation to do. */
export interface InspectorControls {
  /** Appends a user message; resolves with its id and `seq`. */
  send(text: string, options: { delivery?: Delivery; id?: string }): { id: string; seq: number };
  /** Withdraws a pending message. Throws when it is unknown or was already read. */
  retract(id: string): void;
  /** Starts a run, or resumes a paused one. Settles when the run stops. */
  run(): Promise<unknown>;
  /** Pauses. Settles once paused. */
  pause(): Promise<void>;
  /** Pauses at once, aborting the model call and the running tool call. */
  interrupt(): Promise<void>;
}

/**
 * Where the inspector's data comes from: a live conversation, a log on disk, or (later)
 * a conversation that runs in another process. The server only talks to this.
 */
export interface InspectorSource {
  /** The machine whose chart the page draws. */
  readonly machine: AnyStateMachine;
  /** Everything the page shows, now. */
  snapshot(): InspectorSnapshot;
  /**
   * Calls `listener` after each change (coalesced: one call per burst of synchronous
   * changes). Returns a function that stops. A source that never changes may ignore it.
   */
  subscribe(listener: (update: InspectorUpdate) => void): () => void;
  /** Present when the page may steer the conversation. */
  readonly controls?: InspectorControls;
}
