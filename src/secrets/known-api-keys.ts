import type { LanguageModel } from '../llm/types.js';

/** Shortest value taken for an API key (shorter ones are test stand-ins, and masking them would garble text). */
const MIN_KEY_LENGTH = 8;

/**
 * API keys the conversation masks without being told: `LLM_API_KEY` and every other
 * `*_API_KEY` variable of the environment (a command such as `env` would print them),
 * and the model's own key (`secretValues()`, or an `apiKey` property).
 */
export function knownApiKeys(
  llm: LanguageModel,
  env: NodeJS.ProcessEnv = process.env,
): Array<[name: string, value: string]> {
  const keys: Array<[string, string]> = [];
  const own = [...(llm.secretValues?.() ?? []), (llm as { apiKey?: unknown }).apiKey];
  for (const value of new Set(own)) {
    if (typeof value === 'string' && value.length >= MIN_KEY_LENGTH) {
      keys.push(['LLM_API_KEY', value]);
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (/(^|_)API_KEY$/.test(name) && value && value.length >= MIN_KEY_LENGTH) {
      keys.push([name, value]);
    }
  }
  return keys;
}
