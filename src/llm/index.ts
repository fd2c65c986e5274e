/** The LLM layer: `LLM` over the `openai` client, providers, retries, pricing, metrics and errors. */
export { LLMError, type LLMErrorCode } from './llm-error.js';
export { LLMMetrics } from './metrics.js';
export type * from './types.js';
export { LLM, DEFAULT_TIMEOUT_MS, type LLMOptions, type LLMSettings } from './llm.js';
export { llmFromEnv, DEFAULT_ENV_MODEL } from './llm-from-env.js';
export { PROVIDERS, resolveModel, type Provider, type ResolvedModel } from './providers.js';
export { lookupPrice, costOf, priceKey, type ModelPrice } from './pricing.js';
export {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  parseRetryAfter,
  type RetryPolicy,
  type RetryInfo,
} from './retry.js';
export type { LLMErrorOptions } from './llm-error.js';
export type { LLMCallRecord, LLMCallDetails, LLMMetricsSnapshot } from './metrics.js';
