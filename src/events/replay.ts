import { ConversationProjection, type DerivedState } from './projection.js';
import type { ConversationEvent, ConversationStatus } from './schema.js';

/** The state of a conversation right after one event of its log. */
export interface ReplayStep {
  /** The event just applied. */
  event: ConversationEvent;
  /** The machine state the log implies after it. */
  state: DerivedState;
  status: ConversationStatus;
  /** The projection after this event. Shared between steps: copy what you keep. */
  projection: ConversationProjection;
}

/**
 * Replays a log event by event, yielding the state after each. The visualizer's time
 * travel and `Conversation.replay` are built on it.
 *
 * @example
 * ```ts
 * for (const step of replayEvents(conversation.events)) console.log(step.event.seq, step.state);
 * ```
 */
export function* replayEvents(events: Iterable<ConversationEvent>): Generator<ReplayStep> {
  const projection = new ConversationProjection();
  for (const event of events) {
    projection.apply(event);
    yield { event, state: projection.state, status: projection.status, projection };
  }
}
