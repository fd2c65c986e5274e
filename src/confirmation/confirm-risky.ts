import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { ActionEvent } from '../events/schema.js';
import { type KnownRisk, isKnownRisk, isRiskAtLeast } from '../security/security-risk.js';
import type { ConfirmationPolicy } from './confirmation-policy.js';

/** Options of `new ConfirmRisky(...)`. */
export interface ConfirmRiskyOptions {
  /** Actions rated at or above this wait for approval. Default `'high'`. */
  threshold?: KnownRisk;
  /** Whether actions rated `unknown` (or not rated) wait too. Default true. */
  confirmUnknown?: boolean;
}

/**
 * Asks for approval of the actions whose `securityRisk` (rated by the conversation's
 * security analyzer when the model proposed them) is at or above `threshold`, and of
 * unrated ones unless `confirmUnknown` is false. `finish` never waits.
 *
 * @example
 * ```ts
 * conversation.setConfirmationPolicy(new ConfirmRisky({ threshold: 'medium' }));
 * const { status } = await conversation.run(); // 'waiting_for_confirmation' on a risky command
 * if (status === 'waiting_for_confirmation') await conversation.run(); // approve
 * ```
 */
export class ConfirmRisky implements ConfirmationPolicy {
  readonly name = 'ConfirmRisky';
  readonly threshold: KnownRisk;
  readonly confirmUnknown: boolean;

  /** @throws InvalidOptionError when `threshold` is not `low`, `medium` or `high`. */
  constructor(options: ConfirmRiskyOptions = {}) {
    const threshold = options.threshold ?? 'high';
    if (!isKnownRisk(threshold)) {
      throw new InvalidOptionError(
        'threshold',
        `ConfirmRisky: threshold must be 'low', 'medium' or 'high', got ${JSON.stringify(threshold)}`,
      );
    }
    this.threshold = threshold;
    this.confirmUnknown = options.confirmUnknown ?? true;
  }

  needsConfirmation(action: ActionEvent): boolean {
    const risk = action.securityRisk ?? 'unknown';
    if (risk === 'unknown') return this.confirmUnknown;
    return isRiskAtLeast(risk, this.threshold);
  }
}
