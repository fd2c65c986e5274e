import { abortError, raceAbort, sleep, throwIfAborted } from './abort.js';
import { LLMError } from './llm-error.js';

/** How failed model requests are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 5. */
  maxRetries: number;
  /** Delay before the first retry, before jitter. Default 1000 ms. */
  baseDelayMs: number;
  /** Largest backoff delay (a `Retry-After` may ask for more). Default 30 000 ms. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the call fails. Default 300 000 ms. */
  maxRetryAfterMs: number;
  /** Fraction of each backoff delay taken off at random (0 = none). Default 0.25. */
  jitter: number;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  random: () => number;
  /** Waits between attempts; must end early with the abort error when the signal fires. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The defaults of `RetryPolicy`. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
  jitter: 0.25,
  random: Math.random,
  sleep,
});

/** What `onRetry` hears before each wait. */
export interface RetryInfo {
  /** 1 for the first retry, 2 for the second, ... */
  retry: number;
  /** The delay chosen, in ms. */
  delayMs: number;
  /** The error of the attempt that failed. */
  error: LLMError;
}

/**
 * The delay before retry number `retry + 1` (so `retry` is 0 before the first retry):
 * exponential backoff from `baseDelayMs`, capped at `maxDelayMs`, minus up to `jitter` of
 * it at random; never shorter than the provider's `Retry-After`.
 *
 * @example
 * ```ts
 * backoffDelay(2, undefined, { ...DEFAULT_RETRY_POLICY, jitter: 0 }); // 4000
 * backoffDelay(0, 7000, DEFAULT_RETRY_POLICY); // 7000
 * ```
 */
export function backoffDelay(
  retry: number,
  retryAfterMs: number | undefined,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter' | 'random'>,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  const jittered = Math.round(exponential * (1 - policy.jitter * policy.random()));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * Runs `attempt` until it succeeds, retrying `LLMError`s marked `retryable` up to
 * `policy.maxRetries` times with `backoffDelay` between attempts. Other errors, an abort
 * of `signal` (also during a wait) and a `Retry-After` above `maxRetryAfterMs` end it at
 * once. When the retries are used up it rejects with the last error, its message
 * saying how many attempts were made.
 *
 * @example
 * ```ts
 * const response = await withRetries((n) => send(n), DEFAULT_RETRY_POLICY, { signal });
 * ```
 */
export async function withRetries<T>(
  attempt: (attemptIndex: number) => Promise<T>,
  policy: RetryPolicy,
  options: { signal?: AbortSignal; onRetry?: (info: RetryInfo) => void } = {},
): Promise<T> {
  const { signal, onRetry } = options;
  for (let retry = 0; ; retry++) {
    throwIfAborted(signal);
    try {
      return await attempt(retry);
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (!(error instanceof LLMError)) throw error;
      const attempts = retry + 1;
      if (!error.retryable) throw withAttempts(error, attempts, '');
      if (retry >= policy.maxRetries) {
        throw withAttempts(
          error,
          attempts,
          attempts > 1 ? ` (gave up after ${attempts} attempts)` : '',
        );
      }
      if (error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs) {
        const wait = Math.ceil(error.retryAfterMs / 1000);
        const limit = Math.round(policy.maxRetryAfterMs / 1000);
        throw withAttempts(
          error,
          attempts,
          ` (the provider asked to retry after ${wait} s, more than the ${limit} s allowed)`,
        );
      }
      const delayMs = backoffDelay(retry, error.retryAfterMs, policy);
      onRetry?.({ retry: attempts, delayMs, error });
      await raceAbort(policy.sleep(delayMs, signal), signal);
    }
  }
}

function withAttempts(error: LLMError, attempts: number, note: string): LLMError {
  if (attempts === error.attempts && note === '') return error;
  return new LLMError(error.code, error.message + note, {
    status: error.status,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    attempts,
    cause: error.cause,
  });
}

/**
 * The wait a response asks for, in ms: `retry-after-ms`, or `retry-after` in seconds or
 * as an HTTP date. `undefined` when there is no such header or it cannot be read.
 *
 * @example
 * ```ts
 * parseRetryAfter(new Headers({ 'retry-after': '2' })); // 2000
 * ```
 */
export function parseRetryAfter(
  headers: Headers | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) {
    return Math.max(0, Number(ms));
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
