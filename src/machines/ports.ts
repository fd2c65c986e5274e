import type { Agent } from '../agent/agent.js';
import type { Inbox } from '../conversation/inbox.js';
import type { ConversationProjection } from '../events/projection.js';
import type { CondensationResult } from '../condenser/condenser.js';
import type {
  ActionEvent,
  ConversationEvent,
  Delivery,
  EventDraft,
  SecurityRisk,
} from '../events/schema.js';
import type { LLMRequest, LLMResponse, LLMToolCall } from '../llm/types.js';
import type { ToolResult } from '../tools/define-tool.js';

/** A user message as the machine receives it. */
export interface UserMessageInput {
  id?: string;
  content: string;
  delivery?: Delivery;
  /** Send time (ISO 8601); defaults to now. */
  timestamp?: string;
}

/** Why a run stops before its next model request, if it must. */
export interface RunLimitHit {
  code: 'max_iterations' | 'budget_exceeded';
  message: string;
}

/** A loop the stuck detector found. */
export interface StuckReport {
  pattern: string;
  message: string;
}

/**
 * What the conversation machine needs from the world. The machine's actions and
 * actors reach the log, the inbox, the model and the tools only through these, so the
 * definition stays serializable and a test can hand in its own.
 */
export interface ConversationPorts {
  readonly conversationId: string;
  readonly agent: Agent;
  /** The projection of the log (the model's context, the status, pending messages...). */
  readonly state: ConversationProjection;
  readonly inbox: Inbox;
  /** Appends an event to the log and returns it. */
  append(draft: EventDraft): ConversationEvent;
  /** Logs a user message and puts it in the inbox; a second call with the same id does nothing. */
  acceptMessage(input: UserMessageInput): ConversationEvent;
  /** The request for the next model call (after any condensation). */
  buildRequest(): LLMRequest;
  /** Calls the model. */
  complete(request: LLMRequest, signal: AbortSignal): Promise<LLMResponse>;
  /** Runs one action's tool. Never rejects for a tool failure: that is an error result. */
  executeTool(action: ActionEvent, signal: AbortSignal): Promise<ToolResult>;
  /** Whether these freshly proposed actions wait for the user's approval. */
  needsConfirmation(actions: readonly ActionEvent[]): boolean;
  /** A limit the run has reached before its next model request (iterations, budget). */
  runLimit(run: { iterations: number; costAtStart: number }): RunLimitHit | undefined;
  /** A loop the agent is stuck in, judged from the log. */
  detectStuck(): StuckReport | undefined;
  /**
   * The risk of a proposed tool call, rated at once (by a synchronous security analyzer
   * or the tool's own rating), recorded as the action's `securityRisk`. Absent or
   * `undefined`: not rated.
   */
  rateAction?(call: LLMToolCall, thought?: string): SecurityRisk | undefined;
  /** Whether these calls are rated by an asynchronous analyzer, in `thinking.assessing`. Absent: never. */
  assessesAsync?(calls: readonly LLMToolCall[]): boolean;
  /** Rates tool calls with the asynchronous analyzer (`thought`: the text that came with them). Rejects only when `signal` aborts. */
  assessRisk?(
    calls: readonly LLMToolCall[],
    signal: AbortSignal,
    thought?: string,
  ): Promise<SecurityRisk[]>;
  /** Whether the model's context is past the condenser's limit. Absent: never. */
  shouldCondense?(): boolean;
  /** Whether a context-length error can be condensed away and the request retried. Absent: no. */
  canCondense?(): boolean;
  /** Condenses the model's context; `undefined` when nothing can be condensed. */
  condense?(force: boolean, signal: AbortSignal): Promise<CondensationResult | undefined>;
}
