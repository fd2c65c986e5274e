import { raceAbort, sleep, throwIfAborted } from '../llm/abort.js';
import { LLMError } from '../llm/llm-error.js';
import { LLMMetrics } from '../llm/metrics.js';
import type {
  ChatMessage,
  CompletionOptions,
  LanguageModel,
  LLMRequest,
  LLMResponse,
  LLMUsage,
} from '../llm/types.js';

/** A tool call in a scripted turn. Object arguments are sent as JSON; a string is sent as is. */
export interface ScriptedToolCall {
  name: string;
  arguments?: unknown;
  id?: string;
}

/** A fixed reply: text, tool calls, or both. */
export interface ScriptedReply {
  content?: string | null;
  toolCalls?: ScriptedToolCall[];
  usage?: LLMUsage;
  finishReason?: string;
  /** Holds the reply back: until the promise settles, or for that many ms. The abort signal still ends the call. */
  delay?: PromiseLike<unknown> | number;
  /** Makes the call fail with this error instead of replying. */
  error?: Error;
}

/** What a call of a scripted model sees. */
export interface ScriptedCall {
  /** 0-based number of this call. */
  index: number;
  /** A copy of the request as it was sent. */
  request: LLMRequest;
  signal: AbortSignal | undefined;
}

/** One turn of the script: a text reply, a reply object, or a function of the request. */
export type ScriptedTurn =
  | string
  | ScriptedReply
  | ((call: ScriptedCall) => string | ScriptedReply | Promise<string | ScriptedReply>);

/** Options of `new ScriptedLLM(...)`. */
export interface ScriptedLLMOptions {
  /** Name reported as the model. Default `scripted/model`. */
  model?: string;
  /** Cost charged for each call, in USD. Default 0. */
  costPerCall?: number;
  /** Answer once the script is used up: default an error naming the call. */
  whenExhausted?: ScriptedTurn;
}

/**
 * A deterministic stand-in for `LLM`: each call answers with the next turn of a script.
 * Turns are text, tool calls, or functions of the request, so a test can make the
 * "model" react to what it was sent. It honours the abort signal, records every
 * request, and can hold a turn back until a promise settles.
 *
 * @example
 * ```ts
 * const llm = new ScriptedLLM([
 *   { toolCalls: [{ name: 'terminal', arguments: { command: 'ls' } }] },
 *   ({ request }) => `I saw ${request.messages.length} messages`,
 * ]);
 * ```
 */
export class ScriptedLLM implements LanguageModel {
  readonly model: string;
  readonly metrics = new LLMMetrics();
  /** Every request received, in order (copies). */
  readonly requests: LLMRequest[] = [];
  /** Every call, with its signal (check `signal.aborted`). */
  readonly calls: ScriptedCall[] = [];
  readonly #turns: ScriptedTurn[];
  readonly #options: ScriptedLLMOptions;
  #next = 0;

  constructor(turns: readonly ScriptedTurn[] = [], options: ScriptedLLMOptions = {}) {
    this.#turns = [...turns];
    this.#options = options;
    this.model = options.model ?? 'scripted/model';
  }

  /** A text reply turn. */
  static say(content: string): ScriptedReply {
    return { content };
  }

  /** A turn calling one tool (with optional text before it). */
  static call(name: string, args: unknown = {}, content?: string): ScriptedReply {
    return { content: content ?? null, toolCalls: [{ name, arguments: args }] };
  }

  /** A turn calling `finish` with a message. */
  static finish(message = 'Done.'): ScriptedReply {
    return ScriptedLLM.call('finish', { message });
  }

  /** Adds turns to the end of the script. */
  push(...turns: ScriptedTurn[]): this {
    this.#turns.push(...turns);
    return this;
  }

  /** Turns not used yet. */
  get remaining(): number {
    return this.#turns.length - this.#next;
  }

  /** The last user message of a request (handy in function turns). */
  static lastUserMessage(request: LLMRequest): string | undefined {
    for (let i = request.messages.length - 1; i >= 0; i--) {
      const message = request.messages[i] as ChatMessage;
      if (message.role === 'user') return message.content;
    }
    return undefined;
  }

  async complete(request: LLMRequest, options: CompletionOptions = {}): Promise<LLMResponse> {
    const started = performance.now();
    const index = this.calls.length;
    const copy: LLMRequest = { messages: [...request.messages], tools: request.tools };
    const call: ScriptedCall = { index, request: copy, signal: options.signal };
    this.requests.push(copy);
    this.calls.push(call);
    throwIfAborted(options.signal);

    const turn = this.#takeTurn(index);
    let reply = typeof turn === 'function' ? await raceAbort(turn(call), options.signal) : turn;
    if (typeof reply === 'string') reply = { content: reply };
    if (reply.delay !== undefined) await wait(reply.delay, options.signal);
    throwIfAborted(options.signal);
    if (reply.error) throw reply.error;

    const toolCalls = (reply.toolCalls ?? []).map((tc, i) => ({
      id: tc.id ?? `call_${index}_${i}`,
      name: tc.name,
      arguments:
        typeof tc.arguments === 'string' ? tc.arguments : JSON.stringify(tc.arguments ?? {}),
    }));
    const latencyMs = performance.now() - started;
    const cost = this.#options.costPerCall ?? 0;
    this.metrics.record(reply.usage, cost, latencyMs);
    return {
      id: `scripted-${index}`,
      model: this.model,
      content: reply.content ?? null,
      toolCalls,
      finishReason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
      usage: reply.usage,
      cost,
      latencyMs,
    };
  }

  #takeTurn(index: number): ScriptedTurn {
    const turn = this.#turns[this.#next];
    if (turn !== undefined) {
      this.#next += 1;
      return turn;
    }
    if (this.#options.whenExhausted !== undefined) return this.#options.whenExhausted;
    throw new LLMError(
      'no_script',
      `ScriptedLLM has no turn left for call ${index + 1} (the script has ${this.#turns.length})`,
    );
  }
}

function wait(
  delay: PromiseLike<unknown> | number,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  return typeof delay === 'number' ? sleep(delay, signal) : raceAbort(delay, signal);
}
