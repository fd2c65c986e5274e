import { fromPromise } from 'xstate';
import type { SecurityRisk } from '../events/schema.js';
import type { LLMToolCall } from '../llm/types.js';
import type { ConversationPorts } from '../machines/ports.js';

/** Input of the risk assessment actor. */
export interface AssessRiskInput {
  ports: ConversationPorts;
  calls: readonly LLMToolCall[];
  /** The text the model wrote with the calls. */
  thought?: string;
}

/**
 * Rates the tool calls of a response with an asynchronous security analyzer, as an
 * invoked promise actor of `thinking.assessing`. Leaving the state (pause, interrupt,
 * an `interrupt` message, close) aborts `signal`, which reaches the analyzer.
 */
export const assessRiskActor = fromPromise<SecurityRisk[], AssessRiskInput>(({ input, signal }) =>
  input.ports.assessRisk
    ? input.ports.assessRisk(input.calls, signal, input.thought)
    : Promise.resolve(input.calls.map(() => 'unknown' as const)),
);
