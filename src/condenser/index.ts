/** Condensers: keeping the history the model sees within its context. */
export type { Condenser, ContextView, CondensationResult, CondenseOptions } from './condenser.js';
export {
  LLMSummarizingCondenser,
  type LLMSummarizingCondenserOptions,
} from './llm-summarizing-condenser.js';
export { estimateTokens, estimateMessageTokens } from './estimate-tokens.js';
