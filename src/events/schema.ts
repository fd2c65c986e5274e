import { z } from 'zod';

/** Who produced an event. */
export const EventSource = z.enum(['user', 'agent', 'environment']);
/** Who produced an event. */
export type EventSource = z.infer<typeof EventSource>;

/** How a user message reaches the model (DESIGN.md section 3). */
export const Delivery = z.enum(['steer', 'interrupt', 'queue']);
/** How a user message reaches the model (DESIGN.md section 3). */
export type Delivery = z.infer<typeof Delivery>;

/** The status of a conversation, as `conversation.status` reports it. */
export const ConversationStatus = z.enum([
  'idle',
  'running',
  'paused',
  'waiting_for_confirmation',
  'finished',
  'error',
  'stuck',
]);
/** The status of a conversation, as `conversation.status` reports it. */
export type ConversationStatus = z.infer<typeof ConversationStatus>;

/** The risk of an action, as rated by a security analyzer. */
export const SecurityRisk = z.enum(['low', 'medium', 'high', 'unknown']);
/** The risk of an action, as rated by a security analyzer. */
export type SecurityRisk = z.infer<typeof SecurityRisk>;

/** Token usage and cost of one model response, carried by the first event it produced. */
export const UsageRecord = z.object({
  model: z.string(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  cachedTokens: z.number().int().nonnegative().optional(),
  cost: z.number().nonnegative(),
  latencyMs: z.number().nonnegative(),
});
/** Token usage and cost of one model response. */
export type UsageRecord = z.infer<typeof UsageRecord>;

/** A tool as the model sees it: name, description and JSON schema of its parameters. */
export const ToolSpecSchema = z.object({
  name: z.string(),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
});

const common = {
  id: z.string().min(1),
  seq: z.number().int().nonnegative(),
  timestamp: z.iso.datetime({ offset: true }),
  source: EventSource,
};

/** The system prompt and the tools offered to the model. */
export const SystemPromptEvent = z.object({
  ...common,
  kind: z.literal('system_prompt'),
  content: z.string(),
  tools: z.array(ToolSpecSchema),
});

/** A message: from the user (with its delivery mode) or the agent's answer. */
export const MessageEvent = z.object({
  ...common,
  kind: z.literal('message'),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  delivery: Delivery.optional(),
  responseId: z.string().optional(),
  usage: UsageRecord.optional(),
});

/** A tool call the model made. One model response may produce several, sharing `responseId`. */
export const ActionEvent = z.object({
  ...common,
  kind: z.literal('action'),
  toolName: z.string(),
  toolCallId: z.string(),
  /** Parsed arguments, or the raw text when the model sent invalid JSON. */
  arguments: z.unknown(),
  /** The raw JSON text of the arguments as the model sent them. */
  rawArguments: z.string(),
  thought: z.string().optional(),
  responseId: z.string(),
  securityRisk: SecurityRisk.optional(),
  usage: UsageRecord.optional(),
});

/** The result of an action. Every action gets exactly one. */
export const ObservationEvent = z.object({
  ...common,
  kind: z.literal('observation'),
  toolName: z.string(),
  toolCallId: z.string(),
  actionId: z.string(),
  content: z.string(),
  isError: z.boolean(),
  /** Structured result of the tool (for example the task list of the task tracker). */
  data: z.unknown().optional(),
});

/** The model has read these user messages (they are part of the next request). */
export const MessageDeliveredEvent = z.object({
  ...common,
  kind: z.literal('message_delivered'),
  messageIds: z.array(z.string()).min(1),
});

/** A pending user message was withdrawn before the model read it. */
export const MessageRetractedEvent = z.object({
  ...common,
  kind: z.literal('message_retracted'),
  messageId: z.string(),
});

/** Something went wrong on the agent's side: a model error, a limit, a stuck loop. */
export const AgentErrorEvent = z.object({
  ...common,
  kind: z.literal('agent_error'),
  code: z.string(),
  message: z.string(),
  detail: z.unknown().optional(),
});

/** The user rejected a pending action; the model sees the reason. */
export const UserRejectEvent = z.object({
  ...common,
  kind: z.literal('user_reject'),
  actionId: z.string(),
  toolName: z.string(),
  toolCallId: z.string(),
  reason: z.string(),
});

/** The user paused (or interrupted) the conversation. */
export const PauseEvent = z.object({
  ...common,
  kind: z.literal('pause'),
  interrupt: z.boolean().optional(),
});

/** The conversation's status changed. */
export const StateUpdateEvent = z.object({
  ...common,
  kind: z.literal('state_update'),
  status: ConversationStatus,
  previous: ConversationStatus.optional(),
});

/** Part of the model's context was replaced by a summary. The events themselves stay in the log. */
export const CondensationEvent = z.object({
  ...common,
  kind: z.literal('condensation'),
  summary: z.string(),
  forgottenEventIds: z.array(z.string()),
  /** Tokens and cost of the summarising model call. */
  usage: UsageRecord.optional(),
});

/** Any event of a conversation's log, discriminated on `kind`. */
export const ConversationEventSchema = z.discriminatedUnion('kind', [
  SystemPromptEvent,
  MessageEvent,
  ActionEvent,
  ObservationEvent,
  MessageDeliveredEvent,
  MessageRetractedEvent,
  AgentErrorEvent,
  UserRejectEvent,
  PauseEvent,
  StateUpdateEvent,
  CondensationEvent,
]);

/** Any event of a conversation's log. */
export type ConversationEvent = z.infer<typeof ConversationEventSchema>;
/** The `kind` of an event. */
export type EventKind = ConversationEvent['kind'];
/** The event of one kind. */
export type EventOf<K extends EventKind> = Extract<ConversationEvent, { kind: K }>;
/** The system prompt event. */
export type SystemPromptEvent = EventOf<'system_prompt'>;
/** A user or agent message event. */
export type MessageEvent = EventOf<'message'>;
/** A tool call event. */
export type ActionEvent = EventOf<'action'>;
/** A tool result event. */
export type ObservationEvent = EventOf<'observation'>;
/** Messages read by the model. */
export type MessageDeliveredEvent = EventOf<'message_delivered'>;
/** A withdrawn message. */
export type MessageRetractedEvent = EventOf<'message_retracted'>;
/** An agent error event. */
export type AgentErrorEvent = EventOf<'agent_error'>;
/** A rejected action. */
export type UserRejectEvent = EventOf<'user_reject'>;
/** A pause event. */
export type PauseEvent = EventOf<'pause'>;
/** A status change. */
export type StateUpdateEvent = EventOf<'state_update'>;
/** A condensation of the model's context. */
export type CondensationEvent = EventOf<'condensation'>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the log gives it `seq` and `timestamp` (and an `id` unless it has one). */
export type EventDraft = DistributiveOmit<ConversationEvent, 'id' | 'seq' | 'timestamp'> & {
  id?: string;
  timestamp?: string;
};
