import { LLM, type LLMOptions } from './llm.js';

/** The model used when `LLM_API_KEY` is set and `LLM_MODEL` is not. */
export const DEFAULT_ENV_MODEL = 'openai/gpt-4o-mini';

/**
 * The real model configured by the environment, or `undefined` when `LLM_API_KEY` is not
 * set: `LLM_MODEL` (default `openai/gpt-4o-mini`), `LLM_API_KEY` and `LLM_BASE_URL`. A
 * command can fall back on a scripted model when there is no key.
 *
 * @example
 * ```ts
 * const llm = llmFromEnv() ?? new ScriptedLLM(turns);
 * ```
 */
export function llmFromEnv(options: Omit<LLMOptions, 'apiKey'> = {}): LLM | undefined {
  const key = process.env.LLM_API_KEY;
  if (key === undefined || key.trim() === '') return undefined;
  const model = process.env.LLM_MODEL?.trim() || DEFAULT_ENV_MODEL;
  return new LLM({ model, ...options });
}
