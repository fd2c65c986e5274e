import type { ChatMessage } from '../llm/types.js';
import type {
  ConversationMetrics,
  ConversationProjection,
  DerivedState,
  MessageState,
} from './projection.js';
import type { ActionEvent, ConversationStatus, MessageEvent } from './schema.js';

/** A frozen-in-time copy of what a projection shows: what an inspector draws for one moment. */
export interface ProjectionSnapshot {
  /** The machine state the log implies. */
  state: DerivedState;
  status: ConversationStatus;
  /** The number of events applied. */
  length: number;
  /** The chat messages the model would see next. */
  messages: ChatMessage[];
  /** User messages not read yet, oldest first. */
  pendingMessages: MessageEvent[];
  /** Where each user message stands, by id. */
  messageStates: Record<string, MessageState>;
  /** Actions still without a result. */
  openActions: ActionEvent[];
  metrics: ConversationMetrics;
  /** The last `data` of each tool (the task tracker's task list, say), by tool name. */
  toolData: Record<string, unknown>;
}

/** Copies what a projection shows now; later events do not change the copy. */
export function snapshotProjection(projection: ConversationProjection): ProjectionSnapshot {
  return {
    state: projection.state,
    status: projection.status,
    length: projection.length,
    messages: projection.messages.slice(),
    pendingMessages: projection.pendingMessages(),
    messageStates: Object.fromEntries(projection.messageStates),
    openActions: [...projection.openActions.values()],
    metrics: { ...projection.metrics },
    toolData: Object.fromEntries(projection.toolData),
  };
}
