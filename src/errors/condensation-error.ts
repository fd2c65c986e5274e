import { SteerableError } from './steerable-error.js';

/**
 * Condensing the model's context failed: the summarising model gave no summary, or
 * its call failed (the original error is the `cause`). The conversation's status
 * becomes `error`; `run()` again retries.
 */
export class CondensationError extends SteerableError {}
