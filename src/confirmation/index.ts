/** Confirmation policies: when an action waits for a person. */
export { AlwaysConfirm, NeverConfirm, type ConfirmationPolicy } from './confirmation-policy.js';
export { ConfirmRisky, type ConfirmRiskyOptions } from './confirm-risky.js';
