import OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { abortError, throwIfAborted } from './abort.js';
import { toLLMError } from './errors-from-openai.js';
import { LLMError } from './llm-error.js';
import { LLMMetrics } from './metrics.js';
import { normalizeCompletion } from './normalize-response.js';
import { costOf, lookupPrice, type ModelPrice } from './pricing.js';
import { type Provider, resolveModel } from './providers.js';
import { buildRequestBody, type BodySettings } from './request-body.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetries } from './retry.js';
import { StreamAssembler } from './stream-assembler.js';
import type {
  CompletionOptions,
  LanguageModel,
  LLMDelta,
  LLMRequest,
  LLMResponse,
} from './types.js';

/** Options of `new LLM(...)`. */
export interface LLMOptions {
  /** `provider/model` (`openai/gpt-4o`, `anthropic/claude-sonnet-4-5-20250929`, ...). Default `LLM_MODEL`. */
  model?: string;
  /** The provider's key. Default `LLM_API_KEY`, then the provider's own variable (`OPENAI_API_KEY`, ...). */
  apiKey?: string;
  /** The OpenAI-compatible endpoint. Default `LLM_BASE_URL`, then the provider's URL. */
  baseUrl?: string;
  /** What this model is used for (`agent`, `condenser`, ...), for metrics and logs. Default `default`. */
  usageId?: string;
  temperature?: number;
  /** Upper bound of tokens generated per response. */
  maxOutputTokens?: number;
  /** Retries after a failed request (429, 5xx, timeout, dropped connection). Default 5. */
  maxRetries?: number;
  /** Time allowed per request, in ms; while streaming, the longest silence between chunks. Default 300 000. */
  timeoutMs?: number;
  /** Stream responses and pass each piece to `onDelta`. Default false. */
  stream?: boolean;
  /** Price of a prompt token in USD, instead of the built-in table. */
  inputCostPerToken?: number;
  /** Price of a completion token in USD, instead of the built-in table. */
  outputCostPerToken?: number;
  /** Fine-tuning of the backoff between retries (and the sleep function, for tests). */
  retry?: Partial<Omit<RetryPolicy, 'maxRetries'>>;
  /** Extra HTTP headers sent with every request (for example OpenRouter's `HTTP-Referer`). Not part of `describe()`. */
  headers?: Record<string, string>;
}

/** The settings of an `LLM` without its key (and headers): safe to print and to store. `new LLM(settings)` rebuilds it. */
export interface LLMSettings {
  model: string;
  baseUrl: string;
  usageId: string;
  temperature?: number;
  maxOutputTokens?: number;
  maxRetries: number;
  timeoutMs: number;
  stream: boolean;
  inputCostPerToken?: number;
  outputCostPerToken?: number;
}

/** Default time allowed per request, in ms. */
export const DEFAULT_TIMEOUT_MS = 300_000;

const warnedUnpriced = new Set<string>();

/**
 * A model reached through the `openai` client at any OpenAI-compatible endpoint. The
 * prefix of `model` picks the provider and its default base URL; the client's own retries
 * are off and this class retries instead (exponential backoff with jitter, `Retry-After`
 * honoured), so an abort of the call's signal ends it at once, during a request or a wait.
 * Failures reject with an `LLMError`; usage and cost add up in `metrics`. The API key is
 * never printed: `describe()`, `toJSON()` and `util.inspect` leave it out.
 *
 * @example
 * ```ts
 * const llm = new LLM({ model: 'anthropic/claude-sonnet-4-5-20250929', stream: true });
 * const response = await llm.complete({ messages: [{ role: 'user', content: 'Hi' }], tools: [] });
 * console.log(response.content, llm.metrics.accumulatedCost);
 * ```
 */
export class LLM implements LanguageModel {
  /** The model as configured (`provider/model`). */
  readonly model: string;
  /** The provider the model's prefix names (OpenAI when there is none). */
  readonly provider: Provider;
  /** The model name sent to the provider. */
  readonly apiModel: string;
  readonly baseUrl: string;
  readonly usageId: string;
  readonly temperature: number | undefined;
  readonly maxOutputTokens: number | undefined;
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly stream: boolean;
  /** Whether the model has a price (built in or given); without one its calls cost 0. */
  readonly priceKnown: boolean;
  readonly metrics = new LLMMetrics();
  readonly #apiKey: string | undefined;
  readonly #headers: Record<string, string> | undefined;
  readonly #costOverrides: Pick<LLMOptions, 'inputCostPerToken' | 'outputCostPerToken'>;
  readonly #price: ModelPrice;
  readonly #retry: RetryPolicy;
  readonly #body: BodySettings;
  /** OpenAI's own API (not another provider, not a proxy). */
  readonly #official: boolean;
  #client: OpenAI | undefined;

  constructor(options: LLMOptions = {}) {
    const model = options.model ?? env('LLM_MODEL');
    if (!model) {
      throw new TypeError('LLM needs a model: pass { model: "provider/model" } or set LLM_MODEL');
    }
    const resolved = resolveModel(model);
    this.model = model;
    this.provider = resolved.provider;
    this.apiModel = resolved.apiModel;
    this.baseUrl = (options.baseUrl ?? env('LLM_BASE_URL') ?? resolved.provider.baseUrl).replace(
      /\/+$/,
      '',
    );
    this.usageId = options.usageId ?? 'default';
    this.temperature = options.temperature;
    this.maxOutputTokens = checkCount('maxOutputTokens', options.maxOutputTokens, 1);
    this.maxRetries = checkCount('maxRetries', options.maxRetries, 0) ?? 5;
    this.timeoutMs = checkCount('timeoutMs', options.timeoutMs, 1) ?? DEFAULT_TIMEOUT_MS;
    this.stream = options.stream ?? false;
    this.#apiKey =
      options.apiKey ??
      env('LLM_API_KEY') ??
      (resolved.provider.apiKeyEnv ? env(resolved.provider.apiKeyEnv) : undefined);
    this.#headers = options.headers;
    this.#retry = {
      ...DEFAULT_RETRY_POLICY,
      ...definedOnly(options.retry ?? {}),
      maxRetries: this.maxRetries,
    };
    this.#official = this.provider.name === 'openai' && this.baseUrl === this.provider.baseUrl;
    // OpenAI's reasoning models refuse `max_tokens`; many other servers only know it.
    const openaiApi = this.#official || (resolved.prefixed && this.provider.name === 'openai');
    this.#body = {
      apiModel: this.apiModel,
      temperature: this.temperature,
      maxOutputTokens: this.maxOutputTokens,
      maxTokensField: openaiApi ? 'max_completion_tokens' : 'max_tokens',
    };

    const { inputCostPerToken, outputCostPerToken } = options;
    this.#costOverrides = { inputCostPerToken, outputCostPerToken };
    const listed = this.provider.local
      ? { inputCostPerToken: 0, outputCostPerToken: 0 }
      : lookupPrice(this.apiModel);
    this.priceKnown =
      listed !== undefined || (inputCostPerToken !== undefined && outputCostPerToken !== undefined);
    this.#price =
      inputCostPerToken === undefined && outputCostPerToken === undefined
        ? (listed ?? { inputCostPerToken: 0, outputCostPerToken: 0 })
        : {
            inputCostPerToken: inputCostPerToken ?? listed?.inputCostPerToken ?? 0,
            outputCostPerToken: outputCostPerToken ?? listed?.outputCostPerToken ?? 0,
          };
  }

  /**
   * Asks the model for the next response, retrying what can be retried. Rejects with an
   * `LLMError` when the call fails (after the retries), or with the abort error at once
   * when `options.signal` fires. With `stream`, each piece goes to `options.onDelta`.
   */
  async complete(request: LLMRequest, options: CompletionOptions = {}): Promise<LLMResponse> {
    const { signal } = options;
    throwIfAborted(signal);
    const started = performance.now();
    const client = this.#getClient();
    const body = this.stream
      ? buildRequestBody(request, this.#body, true)
      : buildRequestBody(request, this.#body, false);
    let attempts = 0;
    let deltasOfAttempt = 0;
    const onDelta =
      options.onDelta &&
      ((delta: LLMDelta) => {
        deltasOfAttempt += 1;
        options.onDelta?.(delta);
      });
    const response = await withRetries(
      (retry) => {
        attempts = retry + 1;
        if (deltasOfAttempt > 0) options.onDelta?.({ reset: true });
        deltasOfAttempt = 0;
        return this.#attempt(client, body, signal, onDelta);
      },
      this.#retry,
      { signal },
    );
    const latencyMs = performance.now() - started;
    const cost = costOf(response.usage, this.#price);
    this.#warnIfUnpriced();
    this.metrics.record(response.usage, cost, latencyMs, {
      responseId: response.id,
      model: response.model,
      attempts,
    });
    return { ...response, cost, latencyMs };
  }

  /** The settings without the key: safe to print, log and persist. */
  describe(): LLMSettings {
    return {
      model: this.model,
      baseUrl: this.baseUrl,
      usageId: this.usageId,
      ...(this.temperature === undefined ? {} : { temperature: this.temperature }),
      ...(this.maxOutputTokens === undefined ? {} : { maxOutputTokens: this.maxOutputTokens }),
      maxRetries: this.maxRetries,
      timeoutMs: this.timeoutMs,
      stream: this.stream,
      ...definedOnly(this.#costOverrides),
    };
  }

  /**
   * The key this model sends (from `apiKey` or the environment), for the conversation to
   * mask in its log; empty without one.
   */
  secretValues(): readonly string[] {
    return this.#apiKey ? [this.#apiKey] : [];
  }

  /** `JSON.stringify(llm)` gives `describe()`: never the key. */
  toJSON(): LLMSettings {
    return this.describe();
  }

  [Symbol.for('nodejs.util.inspect.custom')](
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    return `LLM ${inspect(this.describe(), options)}`;
  }

  async #attempt(
    client: OpenAI,
    body: ChatCompletionCreateParamsNonStreaming | ChatCompletionCreateParamsStreaming,
    signal: AbortSignal | undefined,
    onDelta: ((delta: LLMDelta) => void) | undefined,
  ): Promise<LLMResponse> {
    const context = { provider: this.provider.name, model: this.apiModel };
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const armTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeoutMs);
    };
    const requestOptions = { signal: controller.signal, maxRetries: 0, timeout: this.timeoutMs };
    armTimer();
    try {
      if (!body.stream) {
        const completion: unknown = await client.chat.completions.create(body, requestOptions);
        return normalizeCompletion(completion, context);
      }
      const stream = await client.chat.completions.create(body, requestOptions);
      const assembler = new StreamAssembler(onDelta);
      for await (const chunk of stream) {
        armTimer();
        assembler.push(chunk);
      }
      // The client ends the iteration quietly on an abort (ours or the timer's): the
      // response is then incomplete, and the catch below says why.
      if (assembler.sawChoice && !assembler.finished) {
        throw new LLMError(
          'connection',
          `The stream from ${this.provider.name} ended before the response was complete`,
          { retryable: true },
        );
      }
      return normalizeCompletion(assembler.toCompletion(), context);
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (timedOut) {
        throw new LLMError(
          'timeout',
          `No response from ${this.provider.name} within ${this.timeoutMs} ms`,
          { retryable: true, cause: error },
        );
      }
      throw toLLMError(error, { provider: this.provider.name, apiKey: this.#apiKey });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #getClient(): OpenAI {
    if (this.#client) return this.#client;
    if (!this.#apiKey && !this.provider.keyOptional && this.baseUrl === this.provider.baseUrl) {
      const own = this.provider.apiKeyEnv ? ` (or ${this.provider.apiKeyEnv})` : '';
      throw new LLMError(
        'authentication',
        `No API key for ${this.model}: pass { apiKey } or set LLM_API_KEY${own}`,
      );
    }
    this.#client = new OpenAI({
      apiKey: this.#apiKey ?? 'no-key',
      baseURL: this.baseUrl,
      maxRetries: 0,
      timeout: this.timeoutMs,
      logLevel: 'off',
      ...(this.#headers ? { defaultHeaders: this.#headers } : {}),
      // OPENAI_ORG_ID and OPENAI_PROJECT_ID belong to OpenAI only.
      ...(this.#official ? {} : { organization: null, project: null }),
    });
    return this.#client;
  }

  #warnIfUnpriced(): void {
    if (this.priceKnown || warnedUnpriced.has(this.model)) return;
    warnedUnpriced.add(this.model);
    process.emitWarning(
      `No price is known for model "${this.model}": its calls count as costing 0 USD. ` +
        'Pass inputCostPerToken and outputCostPerToken to price it.',
      { code: 'STEERABLE_UNKNOWN_PRICE' },
    );
  }
}

function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function checkCount(name: string, value: number | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`LLM option ${name} must be an integer of at least ${min}, got ${value}`);
  }
  return value;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
