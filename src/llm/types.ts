import type { ToolSpec } from '../tools/tool-spec.js';

export type { ToolSpec };

/** One tool call inside an assistant message, in the OpenAI wire format. */
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * A chat message in the OpenAI Chat Completions wire format, which every
 * OpenAI-compatible provider accepts.
 */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** What the conversation asks of the model: the context so far and the tools it may call. */
export interface LLMRequest {
  messages: readonly ChatMessage[];
  tools: readonly ToolSpec[];
}

/** A tool call the model asked for. `arguments` is the raw JSON text the model produced. */
export interface LLMToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Token counts the provider reported for one response. */
export interface LLMUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
}

/** One model response, reduced to what the conversation needs. */
export interface LLMResponse {
  /** The provider's response id (or a generated one). */
  id: string;
  /** The model that answered. */
  model: string;
  /** Text of the answer; `null` when the model only called tools. */
  content: string | null;
  /** Tool calls, in the order the model made them. */
  toolCalls: LLMToolCall[];
  /** `stop`, `tool_calls`, `length`, ... as the provider said. */
  finishReason: string;
  usage?: LLMUsage;
  /** Cost of this response in USD (0 when the price is unknown). */
  cost?: number;
  /** Wall time of the request in milliseconds, retries included. */
  latencyMs?: number;
}

/** A piece of a streamed response, as it arrives. */
export interface LLMDelta {
  /** Text appended to the answer. */
  content?: string;
  /** A piece of a tool call's arguments (or its name when it starts). */
  toolCall?: { index: number; id?: string; name?: string; arguments?: string };
  /**
   * The stream broke and the request is being retried: drop the deltas received so far
   * for this call, the retried response streams from the start.
   */
  reset?: true;
}

/** Options of one completion call. */
export interface CompletionOptions {
  /** Aborts the request (and any retry) at once. */
  signal?: AbortSignal;
  /** Receives streamed deltas when the model streams. */
  onDelta?: (delta: LLMDelta) => void;
}

/**
 * The interface the conversation needs from a model. `LLM` implements it over the
 * `openai` client; `ScriptedLLM` (in `steerable/testing`) implements it from a script.
 */
export interface LanguageModel {
  /** The model name as configured (`provider/model`). */
  readonly model: string;
  /** Accumulated usage and cost of every call made through this instance. */
  readonly metrics: LLMMetricsSnapshotSource;
  /** Asks the model for the next response. Rejects with an `LLMError` on failure. */
  complete(request: LLMRequest, options?: CompletionOptions): Promise<LLMResponse>;
  /**
   * Values the conversation must mask wherever they appear in its log: the model's API
   * key, however it was given (`LLM` returns the key it uses). Optional.
   */
  secretValues?(): readonly string[];
}

/** Anything that can report accumulated metrics. */
export interface LLMMetricsSnapshotSource {
  readonly accumulatedCost: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cachedTokens: number;
  readonly calls: number;
  readonly latenciesMs: readonly number[];
}
