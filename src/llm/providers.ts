/** An OpenAI-compatible provider: where its Chat Completions endpoint lives and how it is keyed. */
export interface Provider {
  /** The prefix of model names (`openai` in `openai/gpt-4o`). */
  readonly name: string;
  /** The default base URL of its OpenAI-compatible API. */
  readonly baseUrl: string;
  /** Environment variable read for the key when neither `apiKey` nor `LLM_API_KEY` is set. */
  readonly apiKeyEnv?: string;
  /** Works without a key (a local server, or a proxy that may not check one). */
  readonly keyOptional?: boolean;
  /** Runs on the user's machine: its models cost nothing. */
  readonly local?: boolean;
}

/**
 * The providers a model prefix selects, each reached through its OpenAI-compatible
 * endpoint. `baseUrl` (or `LLM_BASE_URL`) overrides the default URL.
 */
export const PROVIDERS: Readonly<Record<string, Provider>> = Object.freeze({
  openai: { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
  anthropic: {
    name: 'anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
  },
  openrouter: {
    name: 'openrouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    apiKeyEnv: 'OPENROUTER_API_KEY',
  },
  groq: { name: 'groq', baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY' },
  together: {
    name: 'together',
    baseUrl: 'https://api.together.xyz/v1',
    apiKeyEnv: 'TOGETHER_API_KEY',
  },
  deepseek: {
    name: 'deepseek',
    baseUrl: 'https://api.deepseek.com/v1',
    apiKeyEnv: 'DEEPSEEK_API_KEY',
  },
  mistral: { name: 'mistral', baseUrl: 'https://api.mistral.ai/v1', apiKeyEnv: 'MISTRAL_API_KEY' },
  gemini: {
    name: 'gemini',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    apiKeyEnv: 'GEMINI_API_KEY',
  },
  xai: { name: 'xai', baseUrl: 'https://api.x.ai/v1', apiKeyEnv: 'XAI_API_KEY' },
  ollama: { name: 'ollama', baseUrl: 'http://localhost:11434/v1', keyOptional: true, local: true },
  lmstudio: {
    name: 'lmstudio',
    baseUrl: 'http://localhost:1234/v1',
    keyOptional: true,
    local: true,
  },
  litellm_proxy: {
    name: 'litellm_proxy',
    baseUrl: 'http://localhost:4000/v1',
    apiKeyEnv: 'LITELLM_PROXY_API_KEY',
    keyOptional: true,
  },
});

/** The provider used for a model name with no known prefix. */
export const DEFAULT_PROVIDER: Provider = PROVIDERS.openai as Provider;

/** A model name split into its provider and the name the provider knows it by. */
export interface ResolvedModel {
  /** The provider the prefix names (OpenAI when there is no known prefix). */
  provider: Provider;
  /** Whether the name had a known provider prefix. */
  prefixed: boolean;
  /** The model name sent in requests: the name without its provider prefix. */
  apiModel: string;
}

/**
 * Splits `provider/model` into the provider and the model name sent to it. The first
 * segment is a prefix only when it names a known provider, so `openrouter/anthropic/claude-sonnet-4.5`
 * sends `anthropic/claude-sonnet-4.5` to OpenRouter, and `gpt-4o` or `meta-llama/Llama-3`
 * are sent as they are.
 *
 * @example
 * ```ts
 * resolveModel('groq/llama-3.3-70b-versatile');
 * // { provider: PROVIDERS.groq, prefixed: true, apiModel: 'llama-3.3-70b-versatile' }
 * ```
 */
export function resolveModel(model: string): ResolvedModel {
  const slash = model.indexOf('/');
  const prefix = slash > 0 ? model.slice(0, slash).toLowerCase() : '';
  const provider = Object.hasOwn(PROVIDERS, prefix) ? PROVIDERS[prefix] : undefined;
  if (provider && slash < model.length - 1) {
    return { provider, prefixed: true, apiModel: model.slice(slash + 1) };
  }
  return { provider: DEFAULT_PROVIDER, prefixed: false, apiModel: model };
}
