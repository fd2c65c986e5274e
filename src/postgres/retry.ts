import { setTimeout as sleep } from 'node:timers/promises';
import { isTransient } from './connection.js';
import { StoreUnavailableError } from './errors.js';

/** How long and how often to retry while PostgreSQL is unreachable. */
export interface ReconnectPolicy {
  /** Give up after this long without success. */
  timeoutMs: number;
  /** First wait between attempts; doubles up to `maxDelayMs`. Default 50. */
  initialDelayMs?: number;
  /** Default 1000. */
  maxDelayMs?: number;
}

/**
 * Runs `operation` until it succeeds. Errors of the connection (see `isTransient`) are
 * retried with exponential backoff and jitter; after `timeoutMs` without success it
 * throws `StoreUnavailableError`. Other errors are thrown at once. `stopped()` ends the
 * retrying early (the error is thrown as is).
 */
export async function withReconnect<T>(
  operation: () => Promise<T>,
  policy: ReconnectPolicy,
  stopped: () => boolean = () => false,
): Promise<T> {
  let firstFailure: number | undefined;
  let delay = policy.initialDelayMs ?? 50;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error) || stopped()) throw error;
      firstFailure ??= Date.now();
      if (Date.now() - firstFailure >= policy.timeoutMs) {
        throw new StoreUnavailableError(policy.timeoutMs, error);
      }
      await sleep(delay / 2 + Math.random() * (delay / 2));
      delay = Math.min(delay * 2, policy.maxDelayMs ?? 1000);
    }
  }
}
