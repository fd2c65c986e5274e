import type { LLMUsage } from '../llm/types.js';

/** A tool call in a fake reply. Object arguments are sent as JSON; a string is sent as is (even if it is not JSON). */
export interface FakeToolCall {
  name: string;
  arguments?: unknown;
  id?: string;
}

/** Options every turn accepts. */
export interface FakeTurnTiming {
  /** Holds the answer back: until the promise settles, or for that many ms. A client that leaves ends the wait. */
  delay?: PromiseLike<unknown> | number;
}

/** A reply of the model: text, tool calls, or both (like `ScriptedLLM`'s replies). */
export interface FakeReply extends FakeTurnTiming {
  content?: string | null;
  toolCalls?: FakeToolCall[];
  /** Token counts to report. Default: a rough count (4 characters a token) of the request and the reply. */
  usage?: LLMUsage;
  /** Default `tool_calls` when there are tool calls, else `stop`. Any string is sent as is. */
  finishReason?: string;
  /** Default: the model of the request. */
  model?: string;
  /** The response id. Default `chatcmpl-fake-<n>`. */
  id?: string;
  /** Streaming: characters of text or arguments per chunk. Default 4. */
  chunkSize?: number;
  /** Streaming: send this many chunks, then wait for `resume` (or, without it, until the client leaves). */
  pauseAfterChunks?: number;
  /** Streaming: ends the pause of `pauseAfterChunks`. */
  resume?: PromiseLike<unknown>;
  /**
   * Closes the connection instead of answering fully: `before` any byte of the response,
   * or `midStream` after half of it (half of the chunks, or half of the JSON body).
   */
  dropConnection?: 'before' | 'midStream';
}

/** An HTTP error answer, as providers send them. */
export interface FakeFault extends FakeTurnTiming {
  status: number;
  /** The error message. Default `Fake <status> error`. */
  message?: string;
  /** The `error.code` of the body (`context_length_exceeded`, `insufficient_quota`, ...). */
  code?: string;
  /** The whole JSON body, instead of `{ error: { message, type, code } }`. */
  body?: unknown;
  /** Response headers, such as `{ 'retry-after': '2' }`. */
  headers?: Record<string, string>;
}

/** A 200 answer whose body is exactly this text (malformed JSON, say). */
export interface FakeRaw extends FakeTurnTiming {
  raw: string;
  /** Default `application/json`, or `text/event-stream` for a streaming request. */
  contentType?: string;
}

/** A 200 JSON answer with exactly this body (a completion with no choices, say). */
export interface FakeJson extends FakeTurnTiming {
  json: unknown;
}

/** A 200 SSE answer made of exactly these chunks, each sent as a `data:` event. */
export interface FakeChunks extends FakeTurnTiming {
  chunks: unknown[];
  /** Ends with `data: [DONE]`. Default true. */
  done?: boolean;
}

/** One answer of the fake server. A string is a text reply. */
export type FakeTurn = string | FakeReply | FakeFault | FakeRaw | FakeJson | FakeChunks;

/** The request as the fake server received it. */
export interface FakeRequest {
  /** 0-based position in `requests`. */
  index: number;
  method: string;
  /** The path, such as `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (or the raw text when it is not JSON). */
  body: unknown;
  /** Whether the request asked for a stream (`"stream": true`). */
  stream: boolean;
  /** True once the client closed the connection before the whole response was sent. */
  clientDisconnected: boolean;
  /**
   * Settles when the exchange is over: `completed` (the whole response was sent),
   * `disconnected` (the client left first) or `dropped` (the script closed the connection).
   */
  settled: Promise<'completed' | 'disconnected' | 'dropped'>;
}

/** A turn, or a function of the request (and of the turn's 0-based number) that returns one. */
export type FakeScriptEntry =
  FakeTurn | ((request: FakeRequest, turnIndex: number) => FakeTurn | Promise<FakeTurn>);

const CHARS_PER_TOKEN = 4;

/** The JSON of the tool calls of a reply, with ids. */
function toolCallsOf(reply: FakeReply, turnIndex: number) {
  return (reply.toolCalls ?? []).map((call, i) => ({
    id: call.id ?? `call_${turnIndex}_${i}`,
    type: 'function' as const,
    function: {
      name: call.name,
      arguments:
        typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
    },
  }));
}

function usageOf(reply: FakeReply, requestBody: unknown, completionText: string) {
  const usage = reply.usage ?? {
    promptTokens: Math.ceil(JSON.stringify(requestBody ?? '').length / CHARS_PER_TOKEN),
    completionTokens: Math.ceil(completionText.length / CHARS_PER_TOKEN),
  };
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    ...(usage.cachedTokens === undefined
      ? {}
      : { prompt_tokens_details: { cached_tokens: usage.cachedTokens } }),
  };
}

function header(reply: FakeReply, request: FakeRequest, turnIndex: number) {
  const body = request.body as { model?: unknown } | undefined;
  return {
    id: reply.id ?? `chatcmpl-fake-${turnIndex}`,
    created: 1_700_000_000 + turnIndex,
    model: reply.model ?? (typeof body?.model === 'string' ? body.model : 'fake-model'),
  };
}

/** The `chat.completion` body of a reply. */
export function completionBody(reply: FakeReply, request: FakeRequest, turnIndex: number) {
  const toolCalls = toolCallsOf(reply, turnIndex);
  const content = reply.content ?? null;
  const text =
    (content ?? '') + toolCalls.map((c) => c.function.name + c.function.arguments).join('');
  return {
    ...header(reply, request, turnIndex),
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
        logprobs: null,
      },
    ],
    usage: usageOf(reply, request.body, text),
  };
}

/**
 * The `chat.completion.chunk`s of a reply, as OpenAI streams them: the role, the text in
 * pieces, each tool call (id and name first, then its arguments in pieces), the finish
 * reason, and the usage when the request asked for it (`stream_options.include_usage`).
 */
export function completionChunks(reply: FakeReply, request: FakeRequest, turnIndex: number) {
  const base = { ...header(reply, request, turnIndex), object: 'chat.completion.chunk' };
  const size = Math.max(1, reply.chunkSize ?? 4);
  const chunk = (delta: object, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const toolCalls = toolCallsOf(reply, turnIndex);
  const content = reply.content ?? null;
  const chunks: object[] = [chunk({ role: 'assistant', content: content === null ? null : '' })];
  for (const piece of pieces(content ?? '', size)) chunks.push(chunk({ content: piece }));
  toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [
          {
            index,
            id: call.id,
            type: 'function',
            function: { name: call.function.name, arguments: '' },
          },
        ],
      }),
    );
    for (const piece of pieces(call.function.arguments, size)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop')));
  const options = (request.body as { stream_options?: { include_usage?: unknown } } | undefined)
    ?.stream_options;
  if (options?.include_usage === true) {
    const text =
      (content ?? '') + toolCalls.map((c) => c.function.name + c.function.arguments).join('');
    chunks.push({ ...base, choices: [], usage: usageOf(reply, request.body, text) });
  }
  return chunks;
}

/** The JSON error body of a fault. */
export function faultBody(fault: FakeFault): unknown {
  if (fault.body !== undefined) return fault.body;
  return {
    error: {
      message: fault.message ?? `Fake ${fault.status} error`,
      type:
        fault.status === 429
          ? 'rate_limit_error'
          : fault.status >= 500
            ? 'server_error'
            : 'invalid_request_error',
      param: null,
      code: fault.code ?? null,
    },
  };
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
