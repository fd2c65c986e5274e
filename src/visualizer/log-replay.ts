import type { AnyStateMachine } from 'xstate';
import { ConversationProjection } from '../events/projection.js';
import type { ConversationEvent } from '../events/schema.js';
import { activeStateIds, derivedStatePath } from './active-states.js';
import { toEntry } from './conversation-source.js';
import type { InspectorSummary, TimelineEntry } from './inspector-view.js';

/**
 * A log replayed one event at a time, as the inspector shows it: the timeline rows, the
 * state after each event (`steps`, index = `seq`) and the projection after the last one.
 * Applying an event costs the same whether it is the 1st or the 100 000th, so a log that
 * is still being written can be followed cheaply.
 */
export class LogReplay {
  readonly machine: AnyStateMachine;
  /** The projection after the last event applied. */
  readonly projection = new ConversationProjection();
  /** One row per event, in order. */
  readonly timeline: TimelineEntry[] = [];
  /** The state after each event (index = `seq`). */
  readonly steps: InspectorSummary[] = [];

  constructor(machine: AnyStateMachine) {
    this.machine = machine;
  }

  /** Applies the next event of the log and returns the state after it. */
  apply(event: ConversationEvent): InspectorSummary {
    const projection = this.projection;
    projection.apply(event);
    const path = derivedStatePath(projection.state);
    const step: InspectorSummary = {
      seq: event.seq,
      state: path,
      active: activeStateIds(this.machine.id, path),
      status: projection.status,
      metrics: { ...projection.metrics },
      pending: projection.pendingMessages().map((m) => m.id),
    };
    this.timeline.push(toEntry(event));
    this.steps.push(step);
    return step;
  }

  /** The state after the last event (before any: the machine's initial state). */
  summary(): InspectorSummary {
    const last = this.steps.at(-1);
    if (last) return last;
    const path = derivedStatePath(this.projection.state);
    return {
      seq: -1,
      state: path,
      active: activeStateIds(this.machine.id, path),
      status: this.projection.status,
      metrics: { ...this.projection.metrics },
      pending: [],
    };
  }
}
