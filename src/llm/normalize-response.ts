import { isRecord } from './is-record.js';
import { LLMError } from './llm-error.js';
import type { LLMResponse, LLMToolCall, LLMUsage } from './types.js';

/** The finish reasons of the Chat Completions API. */
export const FINISH_REASONS: readonly string[] = [
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  'function_call',
];

/** Finish reasons some OpenAI-compatible providers send, and the standard one each means. */
const FINISH_REASON_ALIASES: Readonly<Record<string, string>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  eos: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
};

/** What `normalizeCompletion` needs besides the body. */
export interface NormalizeContext {
  /** The provider's name, for messages. */
  provider: string;
  /** The model reported when the response names none. */
  model: string;
}

/**
 * Reduces a Chat Completions response body (as parsed JSON, from any OpenAI-compatible
 * provider) to an `LLMResponse`, checking it on the way. A body that is not a completion,
 * an empty choice list, an unknown `finish_reason`, a tool call without a name, and an
 * answer with neither text nor tool calls each throw a non-retryable
 * `LLMError('malformed_response')` whose message says what was wrong.
 *
 * Tool-call arguments are passed on as the model wrote them, JSON or not (empty ones
 * become `{}`): the conversation answers arguments that are not JSON with an error
 * observation the model can correct, exactly as for `ScriptedLLM`.
 *
 * @example
 * ```ts
 * const response = normalizeCompletion(await res.json(), { provider: 'openai', model: 'gpt-4o' });
 * ```
 */
export function normalizeCompletion(body: unknown, context: NormalizeContext): LLMResponse {
  const { provider } = context;
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw malformed(`${provider} sent a response that is not a chat completion: ${preview(body)}`);
  }
  const choice: unknown = body.choices[0];
  if (choice === undefined) throw malformed(`${provider} sent a response with no choices`);
  if (!isRecord(choice) || !isRecord(choice.message)) {
    throw malformed(`${provider} sent a choice with no message: ${preview(choice)}`);
  }
  const message = choice.message;
  const id = typeof body.id === 'string' && body.id !== '' ? body.id : generatedId();
  const finishReason = normalizeFinishReason(choice.finish_reason, provider);
  const toolCalls = readToolCalls(message.tool_calls, id, provider);
  let content = readContent(message.content, provider);
  if (content === null && toolCalls.length === 0 && typeof message.refusal === 'string') {
    content = message.refusal;
  }
  if (toolCalls.length > 0 && content === '') content = null;
  if ((content === null || content === '') && toolCalls.length === 0) {
    const why =
      finishReason === 'length'
        ? ' (it was cut off at the output token limit)'
        : finishReason === 'content_filter'
          ? ' (the provider’s content filter stopped it)'
          : '';
    throw malformed(`The model's response has neither text nor tool calls${why}`);
  }
  return {
    id,
    model: typeof body.model === 'string' && body.model !== '' ? body.model : context.model,
    content,
    toolCalls,
    finishReason: finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: readUsage(body.usage),
  };
}

/**
 * The token counts of a `usage` object, with cached prompt tokens from
 * `prompt_tokens_details.cached_tokens` (or DeepSeek's `prompt_cache_hit_tokens`).
 * `undefined` when there is no usage.
 */
export function readUsage(usage: unknown): LLMUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const promptTokens = count(usage.prompt_tokens);
  const completionTokens = count(usage.completion_tokens);
  if (promptTokens === undefined && completionTokens === undefined) return undefined;
  const details = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const cachedTokens = count(details.cached_tokens) ?? count(usage.prompt_cache_hit_tokens);
  return {
    promptTokens: promptTokens ?? 0,
    completionTokens: completionTokens ?? 0,
    ...(cachedTokens === undefined ? {} : { cachedTokens }),
  };
}

function normalizeFinishReason(value: unknown, provider: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string')
    throw malformed(`${provider} sent a finish_reason that is not a string: ${preview(value)}`);
  const lower = value.toLowerCase();
  const standard = FINISH_REASON_ALIASES[lower] ?? lower;
  if (!FINISH_REASONS.includes(standard)) {
    throw malformed(
      `${provider} sent an unknown finish_reason "${value}" (expected one of ${FINISH_REASONS.join(', ')})`,
    );
  }
  return standard;
}

function readContent(value: unknown, provider: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  // Some providers send content as a list of parts; keep the text ones.
  if (Array.isArray(value)) {
    return value
      .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  throw malformed(`${provider} sent message content that is not text: ${preview(value)}`);
}

function readToolCalls(value: unknown, responseId: string, provider: string): LLMToolCall[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    throw malformed(`${provider} sent tool_calls that are not a list: ${preview(value)}`);
  }
  return value.map((call: unknown, index) => {
    const fn = isRecord(call) && isRecord(call.function) ? call.function : undefined;
    const name = fn?.name;
    if (typeof name !== 'string' || name === '') {
      throw malformed(`Tool call ${index + 1} of the model's response has no function name`);
    }
    const id =
      isRecord(call) && typeof call.id === 'string' && call.id !== ''
        ? call.id
        : `${responseId}_call_${index}`;
    const raw = fn?.arguments;
    const args = raw === undefined || raw === null || raw === '' ? '{}' : raw;
    if (typeof args === 'string') return { id, name, arguments: args };
    // A few providers send the arguments as an object rather than JSON text.
    if (isRecord(args)) return { id, name, arguments: JSON.stringify(args) };
    throw malformed(`The model's call of tool "${name}" (${id}) has arguments that are not text`);
  });
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? Math.round(value)
    : undefined;
}

function malformed(message: string): LLMError {
  return new LLMError('malformed_response', message);
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return truncate(text);
}

function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

let nextId = 0;
function generatedId(): string {
  nextId += 1;
  return `response-${Date.now().toString(36)}-${nextId}`;
}
