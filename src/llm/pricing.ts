import type { LLMUsage } from './types.js';

/** The price of a model in USD per token. */
export interface ModelPrice {
  inputCostPerToken: number;
  outputCostPerToken: number;
  /** Price of prompt tokens read from the provider's cache; the input price when absent. */
  cachedInputCostPerToken?: number;
}

const M = 1_000_000;

/** [input, output, cached input] in USD per million tokens. */
type Row = readonly [number, number, number?];

/**
 * List prices of common models, in USD per million tokens (input, output, cached input),
 * as published by their makers in late 2025. Keys are model names in lower case with
 * dots written as dashes and without date suffixes (see `priceKey`). Override a price with
 * `inputCostPerToken` / `outputCostPerToken`.
 */
const TABLE: Readonly<Record<string, Row>> = {
  // OpenAI
  'gpt-5': [1.25, 10, 0.125],
  'gpt-5-codex': [1.25, 10, 0.125],
  'gpt-5-mini': [0.25, 2, 0.025],
  'gpt-5-nano': [0.05, 0.4, 0.005],
  'gpt-4-1': [2, 8, 0.5],
  'gpt-4-1-mini': [0.4, 1.6, 0.1],
  'gpt-4-1-nano': [0.1, 0.4, 0.025],
  'gpt-4o': [2.5, 10, 1.25],
  'gpt-4o-mini': [0.15, 0.6, 0.075],
  'gpt-4-turbo': [10, 30],
  'gpt-3-5-turbo': [0.5, 1.5],
  o1: [15, 60, 7.5],
  o3: [2, 8, 0.5],
  'o3-mini': [1.1, 4.4, 0.55],
  'o4-mini': [1.1, 4.4, 0.275],
  // Anthropic (cache reads at a tenth of the input price)
  'claude-opus-4-5': [5, 25, 0.5],
  'claude-opus-4-1': [15, 75, 1.5],
  'claude-opus-4': [15, 75, 1.5],
  'claude-sonnet-4-5': [3, 15, 0.3],
  'claude-sonnet-4': [3, 15, 0.3],
  'claude-3-7-sonnet': [3, 15, 0.3],
  'claude-3-5-sonnet': [3, 15, 0.3],
  'claude-haiku-4-5': [1, 5, 0.1],
  'claude-3-5-haiku': [0.8, 4, 0.08],
  'claude-3-haiku': [0.25, 1.25, 0.03],
  // DeepSeek (V3.2 prices; cache hits at a tenth)
  'deepseek-chat': [0.28, 0.42, 0.028],
  'deepseek-reasoner': [0.28, 0.42, 0.028],
  // Google Gemini (prompts up to 200k tokens)
  'gemini-2-5-pro': [1.25, 10],
  'gemini-2-5-flash': [0.3, 2.5],
  'gemini-2-0-flash': [0.1, 0.4],
  // Mistral
  'mistral-medium': [0.4, 2],
  'mistral-small': [0.1, 0.3],
  codestral: [0.3, 0.9],
  // xAI
  'grok-4': [3, 15, 0.75],
  'grok-code-fast-1': [0.2, 1.5, 0.02],
  // Groq-hosted open models
  'llama-3-3-70b-versatile': [0.59, 0.79],
  'llama-3-1-8b-instant': [0.05, 0.08],
};

const DATE_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest)$/;

/**
 * The key a model name is priced under: its last path segment, lower case, dots as
 * dashes, without a `:tag` and without a date or `-latest` suffix.
 *
 * @example
 * ```ts
 * priceKey('anthropic/claude-sonnet-4.5-20250929'); // 'claude-sonnet-4-5'
 * ```
 */
export function priceKey(model: string): string {
  const last = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  const untagged = last.split(':')[0] ?? last;
  return untagged.replaceAll('.', '-').replace(DATE_SUFFIX, '');
}

/**
 * The built-in price of a model (`undefined` when the table does not know it). The model
 * name may carry a provider prefix and a date suffix.
 *
 * @example
 * ```ts
 * lookupPrice('openai/gpt-4o-2024-08-06')?.inputCostPerToken; // 0.0000025
 * ```
 */
export function lookupPrice(model: string): ModelPrice | undefined {
  const row = TABLE[priceKey(model)];
  if (!row) return undefined;
  const [input, output, cached] = row;
  return {
    inputCostPerToken: input / M,
    outputCostPerToken: output / M,
    ...(cached === undefined ? {} : { cachedInputCostPerToken: cached / M }),
  };
}

/**
 * The cost in USD of one response: uncached prompt tokens at the input price, cached
 * ones at the cached-input price, completion tokens at the output price.
 *
 * @example
 * ```ts
 * costOf({ promptTokens: 1000, completionTokens: 100 }, lookupPrice('gpt-4o')!); // 0.0035
 * ```
 */
export function costOf(usage: LLMUsage | undefined, price: ModelPrice): number {
  if (!usage) return 0;
  const cached = Math.min(usage.cachedTokens ?? 0, usage.promptTokens);
  const uncached = usage.promptTokens - cached;
  return (
    uncached * price.inputCostPerToken +
    cached * (price.cachedInputCostPerToken ?? price.inputCostPerToken) +
    usage.completionTokens * price.outputCostPerToken
  );
}
