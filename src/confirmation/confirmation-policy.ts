import type { ActionEvent } from '../events/schema.js';

/**
 * Decides which actions wait for the user's approval before they run. When one action
 * of a model response needs it, the whole response waits (status
 * `waiting_for_confirmation`); `run()` approves, `rejectPendingActions()` rejects.
 */
export interface ConfirmationPolicy {
  /** A short name for logs and the inspector. */
  readonly name: string;
  /** Whether this action needs approval. `finish` never does. */
  needsConfirmation(action: ActionEvent): boolean;
}

/** Whether a value can serve as a confirmation policy (it has `needsConfirmation`). */
export function isConfirmationPolicy(value: unknown): value is ConfirmationPolicy {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { needsConfirmation?: unknown }).needsConfirmation === 'function'
  );
}

/**
 * Every action waits for approval (except `finish`).
 *
 * @example
 * ```ts
 * conversation.setConfirmationPolicy(AlwaysConfirm);
 * ```
 */
export const AlwaysConfirm: ConfirmationPolicy = Object.freeze({
  name: 'AlwaysConfirm',
  needsConfirmation: () => true,
});

/** No action waits for approval (the default). */
export const NeverConfirm: ConfirmationPolicy = Object.freeze({
  name: 'NeverConfirm',
  needsConfirmation: () => false,
});
