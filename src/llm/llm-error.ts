import { SteerableError } from '../errors/steerable-error.js';

/** Why a model call failed. */
export type LLMErrorCode =
  | 'rate_limit'
  | 'server_error'
  | 'timeout'
  | 'connection'
  | 'bad_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'context_length_exceeded'
  | 'malformed_response'
  | 'no_script'
  | 'unknown';

/**
 * A failed model call. `code` says why, `status` is the HTTP status when there was one,
 * and `retryable` whether retrying could help.
 */
export class LLMError extends SteerableError {
  readonly code: LLMErrorCode;
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** How long the provider asked to wait before retrying (its `Retry-After`), in ms. */
  readonly retryAfterMs: number | undefined;
  /** How many requests were made before giving up (1 when there was no retry). */
  readonly attempts: number;

  constructor(code: LLMErrorCode, message: string, options: LLMErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.attempts = options.attempts ?? 1;
  }
}

/** Options of `new LLMError(...)`. */
export interface LLMErrorOptions {
  status?: number;
  retryable?: boolean;
  retryAfterMs?: number;
  attempts?: number;
  cause?: unknown;
}
