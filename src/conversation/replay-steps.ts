import { type ProjectionSnapshot, snapshotProjection } from '../events/projection-snapshot.js';
import { replayEvents } from '../events/replay.js';
import type { ConversationEvent } from '../events/schema.js';

/** The state of a conversation right after one event of its log, as `Conversation.replay` gives it. */
export interface ConversationReplayStep extends ProjectionSnapshot {
  /** The event just applied. */
  event: ConversationEvent;
  /** Its `seq` (= the step's index). */
  seq: number;
}

/**
 * The state after each event of a log, each step an independent copy (so a slider can
 * jump anywhere). Copies grow with the log: for very long logs iterate `replayEvents`.
 */
export function replaySteps(events: Iterable<ConversationEvent>): ConversationReplayStep[] {
  return Array.from(replayEvents(events), (step) => ({
    event: step.event,
    seq: step.event.seq,
    ...snapshotProjection(step.projection),
  }));
}
