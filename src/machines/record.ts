import { INTERRUPTED_MESSAGE, NOT_RUN_MESSAGE } from '../actors/execute-tool.js';
import type { ActionEvent, EventDraft, SecurityRisk, UsageRecord } from '../events/schema.js';
import type { LLMResponse } from '../llm/types.js';
import type { ToolResult } from '../tools/define-tool.js';
import type { ConversationPorts } from './ports.js';

/**
 * Logs a model response: one `action` per tool call (with its `securityRisk` from
 * `risks`, same order, when rated), or the agent's `message`.
 */
export function recordResponse(
  ports: ConversationPorts,
  response: LLMResponse,
  risks: readonly (SecurityRisk | undefined)[] = [],
): void {
  const usage: UsageRecord = {
    model: response.model,
    promptTokens: response.usage?.promptTokens ?? 0,
    completionTokens: response.usage?.completionTokens ?? 0,
    ...(response.usage?.cachedTokens !== undefined
      ? { cachedTokens: response.usage.cachedTokens }
      : {}),
    cost: response.cost ?? 0,
    latencyMs: response.latencyMs ?? 0,
  };
  if (response.toolCalls.length === 0) {
    ports.append({
      kind: 'message',
      source: 'agent',
      role: 'assistant',
      content: response.content ?? '',
      responseId: response.id,
      usage,
    });
    return;
  }
  response.toolCalls.forEach((call, i) => {
    const draft: EventDraft = {
      kind: 'action',
      source: 'agent',
      toolName: call.name,
      toolCallId: call.id,
      arguments: parseArguments(call.arguments),
      rawArguments: call.arguments,
      responseId: response.id,
      ...(i === 0 && response.content ? { thought: response.content } : {}),
      ...(risks[i] !== undefined ? { securityRisk: risks[i] } : {}),
      ...(i === 0 ? { usage } : {}),
    };
    ports.append(draft);
  });
}

/** Logs the observation of an action. */
export function recordToolResult(
  ports: ConversationPorts,
  action: ActionEvent,
  result: ToolResult,
): void {
  ports.append({
    kind: 'observation',
    source: 'environment',
    toolName: action.toolName,
    toolCallId: action.toolCallId,
    actionId: action.id,
    content: result.content,
    isError: result.isError ?? false,
    ...(result.data !== undefined ? { data: result.data } : {}),
  });
}

/**
 * Gives every action of an interrupted batch its result: the first (running) one was
 * interrupted, the others never started. The model's history stays valid.
 */
export function recordInterruptedBatch(
  ports: ConversationPorts,
  actions: readonly ActionEvent[],
): void {
  actions.forEach((action, i) =>
    recordToolResult(ports, action, {
      content: i === 0 ? INTERRUPTED_MESSAGE : NOT_RUN_MESSAGE,
      isError: true,
    }),
  );
}

/** Parses tool-call arguments; invalid JSON is kept as the raw string. */
export function parseArguments(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
