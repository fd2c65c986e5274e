import type { ConversationMetrics } from '../events/projection.js';
import type { ConversationEvent, ConversationStatus, Delivery } from '../events/schema.js';

/** The conversation's state at one point: what the page lights and shows in its panels. */
export interface InspectorSummary {
  /** The `seq` of the last event applied; -1 before the first. */
  seq: number;
  /** The machine state as a dotted path, e.g. `thinking.requesting` or `idle.finished`. */
  state: string;
  /** The ids of the active state nodes (the machine's root left out), outermost first. */
  active: string[];
  status: ConversationStatus;
  metrics: ConversationMetrics;
  /** Model requests of the current run (live conversations only). */
  iterations?: number;
  /** The ids of the user messages not yet read by the model, oldest first. */
  pending: string[];
}

/** A user message, where it arrived and where the model read it. */
export interface MessageView {
  id: string;
  content: string;
  delivery: Delivery;
  /** The `seq` of its `message` event. */
  seq: number;
  /** The `seq` of the `message_delivered` event that gave it to the model. */
  readSeq?: number;
  /** The `seq` of its `message_retracted` event. */
  retractedSeq?: number;
}

/** One row of the event timeline: the event and a readable one-line summary. */
export interface TimelineEntry {
  event: ConversationEvent;
  summary: string;
}

/** Everything the page needs to draw a conversation, sent when it connects. */
export interface InspectorSnapshot {
  /** `live`: a running conversation; `log`: a persisted log, replayed. */
  mode: 'live' | 'log';
  title: string;
  conversationId?: string;
  /** Whether the page may send messages, pause, resume and interrupt. */
  controls: boolean;
  timeline: TimelineEntry[];
  messages: MessageView[];
  /** The state now (live) or after the last event (log). */
  summary: InspectorSummary;
  /** For a log: the state after each event (index = `seq`), for time travel. */
  steps?: InspectorSummary[];
  /** Things the reader should know, e.g. a torn last line that was skipped. */
  warnings: string[];
  /** For a log: whether the inspector follows it as a writer appends to it. */
  following?: boolean;
}

/** What changed since the last update: new timeline rows, changed messages, the state now. */
export interface InspectorUpdate {
  /** New rows (a row the page already has, by `seq`, is to be ignored). */
  timeline: TimelineEntry[];
  /** The messages that arrived, were read or were retracted in these rows (replace by `id`). */
  messages: MessageView[];
  summary: InspectorSummary;
  /** A followed log: the state after each new row (append by `seq`, for time travel). */
  steps?: InspectorSummary[];
  /** A followed log: every warning now (replaces the list), when it changed. */
  warnings?: string[];
  /** A followed log: false once the inspector stopped following it. */
  following?: boolean;
}
