import type { LanguageModel } from '../llm/types.js';

/** Shortest value taken for an API key found in the environment (shorter ones would mask noise). */
const MIN_KEY_LENGTH = 8;

/**
 * API keys the conversation masks without being told: `LLM_API_KEY` and every other
 * `*_API_KEY` variable of the environment (a command such as `env` would print them),
 * and the model's `apiKey` when it exposes one.
 */
export function knownApiKeys(
  llm: LanguageModel,
  env: NodeJS.ProcessEnv = process.env,
): Array<[name: string, value: string]> {
  const keys: Array<[string, string]> = [];
  const own = (llm as { apiKey?: unknown }).apiKey;
  if (typeof own === 'string' && own.length > 0) keys.push(['LLM_API_KEY', own]);
  for (const [name, value] of Object.entries(env)) {
    if (/(^|_)API_KEY$/.test(name) && value && value.length >= MIN_KEY_LENGTH) {
      keys.push([name, value]);
    }
  }
  return keys;
}
