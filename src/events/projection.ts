import type { ChatMessage } from '../llm/types.js';
import type {
  ActionEvent,
  ConversationEvent,
  ConversationStatus,
  MessageEvent,
  UsageRecord,
} from './schema.js';

/** Where a user message stands. */
export type MessageState =
  | { status: 'pending' }
  | { status: 'delivered'; seq: number }
  | { status: 'retracted'; seq: number };

/** Usage and cost summed over a conversation's log. */
export interface ConversationMetrics {
  cost: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Model responses recorded in the log. */
  responses: number;
}

/** The top-level machine state (with its nested state) that the log implies. */
export type DerivedState =
  | 'idle'
  | 'idle.finished'
  | 'idle.error'
  | 'idle.stuck'
  | 'thinking'
  | 'acting'
  | 'paused'
  | 'paused.awaitingConfirmation';

/** The first line of the message that stands for condensed history in the model's context. */
export const SUMMARY_PREFIX = 'Summary of the earlier part of this conversation:';

const STATE_OF_STATUS: Record<ConversationStatus, DerivedState> = {
  idle: 'idle',
  running: 'thinking',
  paused: 'paused',
  waiting_for_confirmation: 'paused.awaitingConfirmation',
  finished: 'idle.finished',
  error: 'idle.error',
  stuck: 'idle.stuck',
};

/**
 * Everything the conversation derives from its log, kept up to date one event at a
 * time: the model's context (`messages`), the status, the user messages and where each
 * stands, the actions still without a result, and the metrics. Replaying a log through
 * `apply` gives the same view as the live run that wrote it.
 *
 * Appending is O(1) per event, so the cost of a step does not grow with the history.
 */
export class ConversationProjection {
  /** The chat messages the model sees next, in wire format. */
  readonly messages: ChatMessage[] = [];
  /** For each entry of `messages`, the id of the event it came from. */
  readonly messageSources: string[] = [];
  /** The status after the last event. */
  status: ConversationStatus = 'idle';
  /** The machine state the log implies (the visualizer's time travel uses it). */
  state: DerivedState = 'idle';
  /** The number of events applied (= the next `seq`). */
  length = 0;
  /** User messages by id. */
  readonly userMessages = new Map<string, MessageEvent>();
  /** Where each user message stands, by id. */
  readonly messageStates = new Map<string, MessageState>();
  /** Actions that have no observation (or rejection) yet, by tool call id, in order. */
  readonly openActions = new Map<string, ActionEvent>();
  readonly metrics: ConversationMetrics = {
    cost: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    responses: 0,
  };
  /** The last `data` each tool returned, by tool name (for tools that keep state in the log). */
  readonly toolData = new Map<string, unknown>();
  #lastResponseId: string | undefined;
  /** Tool calls whose assistant message a condensation removed while they had no result yet. */
  readonly #forgottenCalls = new Set<string>();

  /** Builds a projection from a whole log. */
  static from(events: Iterable<ConversationEvent>): ConversationProjection {
    const projection = new ConversationProjection();
    for (const event of events) projection.apply(event);
    return projection;
  }

  /** User messages the model has not read and that were not retracted, oldest first. */
  pendingMessages(): MessageEvent[] {
    const pending: MessageEvent[] = [];
    for (const [id, state] of this.messageStates) {
      if (state.status === 'pending') pending.push(this.userMessages.get(id)!);
    }
    return pending;
  }

  /** Whether the model has something to answer: the context ends with a user message or a tool result. */
  awaitsModel(): boolean {
    const last = this.messages.at(-1);
    return last !== undefined && (last.role === 'user' || last.role === 'tool');
  }

  /** Applies one event. Events must come in `seq` order. */
  apply(event: ConversationEvent): void {
    this.length = event.seq + 1;
    switch (event.kind) {
      case 'system_prompt':
        this.#push({ role: 'system', content: event.content }, event.id);
        break;
      case 'message':
        if (event.role === 'user') {
          this.userMessages.set(event.id, event);
          this.messageStates.set(event.id, { status: 'pending' });
        } else {
          this.#usage(event.usage);
          this.#lastResponseId = undefined;
          this.#push({ role: 'assistant', content: event.content }, event.id);
        }
        break;
      case 'message_delivered':
        for (const id of event.messageIds) {
          const message = this.userMessages.get(id);
          if (!message) continue;
          this.messageStates.set(id, { status: 'delivered', seq: event.seq });
          this.#push({ role: 'user', content: message.content }, id);
        }
        this.state = 'thinking';
        break;
      case 'message_retracted':
        this.messageStates.set(event.messageId, { status: 'retracted', seq: event.seq });
        break;
      case 'action':
        this.#action(event);
        break;
      case 'observation':
        if (event.data !== undefined) this.toolData.set(event.toolName, event.data);
        this.#result(event.toolCallId, event.content, event.id);
        break;
      case 'user_reject':
        this.#result(event.toolCallId, `The user rejected this action: ${event.reason}`, event.id);
        break;
      case 'state_update':
        this.status = event.status;
        this.state = STATE_OF_STATUS[event.status];
        if (event.status === 'running' && this.openActions.size > 0) this.state = 'acting';
        break;
      case 'condensation':
        this.#usage(event.usage);
        this.#condense(event.id, event.summary, new Set(event.forgottenEventIds));
        break;
      case 'pause':
      case 'agent_error':
        break;
    }
  }

  #push(message: ChatMessage, sourceId: string): void {
    this.messages.push(message);
    this.messageSources.push(sourceId);
  }

  #usage(usage: UsageRecord | undefined): void {
    if (!usage) return;
    this.metrics.cost += usage.cost;
    this.metrics.promptTokens += usage.promptTokens;
    this.metrics.completionTokens += usage.completionTokens;
    this.metrics.cachedTokens += usage.cachedTokens ?? 0;
    this.metrics.responses += 1;
  }

  #action(event: ActionEvent): void {
    this.#usage(event.usage);
    this.openActions.set(event.toolCallId, event);
    const toolCall = {
      id: event.toolCallId,
      type: 'function' as const,
      function: { name: event.toolName, arguments: event.rawArguments },
    };
    const last = this.messages.at(-1);
    if (this.#lastResponseId === event.responseId && last?.role === 'assistant') {
      this.messages[this.messages.length - 1] = {
        ...last,
        tool_calls: [...(last.tool_calls ?? []), toolCall],
      };
    } else {
      this.#push(
        { role: 'assistant', content: event.thought ?? null, tool_calls: [toolCall] },
        event.id,
      );
      this.#lastResponseId = event.responseId;
    }
    if (this.status === 'running') this.state = 'acting';
  }

  #result(toolCallId: string, content: string, sourceId: string): void {
    const action = this.openActions.get(toolCallId);
    if (action) {
      this.openActions.delete(toolCallId);
    }
    this.#lastResponseId = undefined;
    // Its tool call was condensed away: a result alone would be an invalid context.
    if (!this.#forgottenCalls.delete(toolCallId)) {
      this.#push({ role: 'tool', tool_call_id: toolCallId, content }, sourceId);
    }
    if (this.openActions.size === 0 && this.status === 'running') this.state = 'thinking';
  }

  /**
   * Replaces the messages of the forgotten events by the summary (at the place of the
   * first of them). A tool call and its results leave together: forgetting an assistant
   * message with tool calls forgets their results, and forgetting a result forgets its
   * assistant message (and so that message's other results), so the context never holds
   * a tool call without its results or a result without its call.
   */
  #condense(eventId: string, summary: string, forgotten: Set<string>): void {
    const drop = new Set<number>();
    const callAt = new Map<string, number>();
    const resultAt = new Map<string, number>();
    this.messages.forEach((message, i) => {
      if (message.role === 'assistant')
        for (const call of message.tool_calls ?? []) callAt.set(call.id, i);
      if (message.role === 'tool') resultAt.set(message.tool_call_id, i);
      if (forgotten.has(this.messageSources[i]!)) drop.add(i);
    });
    for (const i of [...drop]) {
      const message = this.messages[i]!;
      const owner = message.role === 'tool' ? callAt.get(message.tool_call_id) : undefined;
      if (owner !== undefined) drop.add(owner);
    }
    for (const i of drop) {
      const message = this.messages[i]!;
      if (message.role !== 'assistant') continue;
      for (const call of message.tool_calls ?? []) {
        const result = resultAt.get(call.id);
        if (result !== undefined) drop.add(result);
        else this.#forgottenCalls.add(call.id);
      }
    }
    let insertAt = -1;
    let write = 0;
    for (let read = 0; read < this.messages.length; read++) {
      if (drop.has(read)) {
        if (insertAt < 0) insertAt = write;
        continue;
      }
      this.messages[write] = this.messages[read]!;
      this.messageSources[write] = this.messageSources[read]!;
      write++;
    }
    this.messages.length = write;
    this.messageSources.length = write;
    if (insertAt < 0) insertAt = write;
    this.messages.splice(insertAt, 0, {
      role: 'user',
      content: `${SUMMARY_PREFIX}\n${summary}`,
    });
    this.messageSources.splice(insertAt, 0, eventId);
  }
}
