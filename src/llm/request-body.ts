import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { isRecord } from './is-record.js';
import type { LLMRequest, ToolSpec } from './types.js';

/** The request settings of an `LLM` that end up in the body. */
export interface BodySettings {
  /** The model name as the provider knows it (no provider prefix). */
  apiModel: string;
  temperature?: number;
  maxOutputTokens?: number;
  /** OpenAI's own API wants `max_completion_tokens`; other providers `max_tokens`. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
}

/**
 * A tool in the Chat Completions format. The parameters are the tool's JSON schema,
 * completed where needed so that every provider accepts it: `type: 'object'` and a
 * `properties` object are always there.
 *
 * @example
 * ```ts
 * toOpenAITool(toToolSpec(myTool));
 * // { type: 'function', function: { name, description, parameters: { type: 'object', properties, required } } }
 * ```
 */
export function toOpenAITool(spec: ToolSpec): ChatCompletionFunctionTool {
  const parameters: Record<string, unknown> = { ...spec.parameters };
  delete parameters.$schema;
  parameters.type = 'object';
  if (!isRecord(parameters.properties)) parameters.properties = {};
  return {
    type: 'function',
    function: { name: spec.name, description: spec.description, parameters },
  };
}

/**
 * The wire form of frozen tool lists (an agent's `toolSpecs`), built once: the tools are
 * the same in every request of a conversation, and serializing converted copies is
 * slower than serializing the same objects again.
 */
const wireTools = new WeakMap<readonly ToolSpec[], ChatCompletionFunctionTool[]>();

/** The tools in the Chat Completions format (cached for a frozen list, which cannot change). */
function toOpenAITools(tools: readonly ToolSpec[]): ChatCompletionFunctionTool[] {
  if (!Object.isFrozen(tools)) return tools.map(toOpenAITool);
  let wire = wireTools.get(tools);
  if (wire === undefined) {
    wire = tools.map(toOpenAITool);
    wireTools.set(tools, wire);
  }
  return wire;
}

/**
 * The body of a Chat Completions request: the messages, the tools (left out when there
 * are none, as some providers refuse an empty list) and the optional settings. A
 * streaming body asks for usage in the last chunk.
 *
 * @example
 * ```ts
 * const body = buildRequestBody(request, { apiModel: 'gpt-4o', maxTokensField: 'max_completion_tokens' }, false);
 * ```
 */
export function buildRequestBody(
  request: LLMRequest,
  settings: BodySettings,
  stream: false,
): ChatCompletionCreateParamsNonStreaming;
export function buildRequestBody(
  request: LLMRequest,
  settings: BodySettings,
  stream: true,
): ChatCompletionCreateParamsStreaming;
export function buildRequestBody(
  request: LLMRequest,
  settings: BodySettings,
  stream: boolean,
): ChatCompletionCreateParamsNonStreaming | ChatCompletionCreateParamsStreaming {
  const base = {
    model: settings.apiModel,
    messages: request.messages as ChatCompletionMessageParam[],
    ...(request.tools.length > 0 ? { tools: toOpenAITools(request.tools) } : {}),
    ...(settings.temperature === undefined ? {} : { temperature: settings.temperature }),
    ...(settings.maxOutputTokens === undefined
      ? {}
      : { [settings.maxTokensField]: settings.maxOutputTokens }),
  };
  return stream ? { ...base, stream: true, stream_options: { include_usage: true } } : base;
}
