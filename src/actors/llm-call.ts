import { fromPromise } from 'xstate';
import type { LLMRequest, LLMResponse } from '../llm/types.js';
import type { ConversationPorts } from '../machines/ports.js';

/** Input of the LLM call actor. */
export interface LLMCallInput {
  ports: ConversationPorts;
  request: LLMRequest;
}

/**
 * The model call, as an invoked promise actor. XState aborts `signal` when `thinking`
 * is left or re-entered (pause, interrupt, an `interrupt` message), and the signal goes
 * to the `openai` client, so the HTTP request ends with it.
 */
export const llmCallActor = fromPromise<LLMResponse, LLMCallInput>(({ input, signal }) =>
  input.ports.complete(input.request, signal),
);
