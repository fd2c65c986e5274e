import { fromPromise } from 'xstate';
import type { CondensationResult } from '../condenser/condenser.js';
import type { ConversationPorts } from '../machines/ports.js';

/** Input of the condensation actor. */
export interface CondenseInput {
  ports: ConversationPorts;
  /** Condense even below the size limit (after a context-length error). */
  force: boolean;
}

/**
 * Condenses the model's context, as an invoked promise actor of `thinking.condensing`.
 * Leaving the state (pause, interrupt, close) aborts `signal`, and with it the
 * summarising model call.
 */
export const condenseActor = fromPromise<CondensationResult | undefined, CondenseInput>(
  ({ input, signal }) =>
    input.ports.condense ? input.ports.condense(input.force, signal) : Promise.resolve(undefined),
);
