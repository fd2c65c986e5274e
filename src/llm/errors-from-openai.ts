import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { LLMError, type LLMErrorCode } from './llm-error.js';
import { parseRetryAfter } from './retry.js';

/** What `toLLMError` needs to know besides the error. */
export interface ErrorContext {
  /** The provider's name, for messages (`openai`, `groq`, ...). */
  provider: string;
  /** A secret to blank out of messages should a provider echo it. */
  apiKey?: string;
}

const CONTEXT_LENGTH =
  /context[_ ]length[_ ]exceeded|maximum context length|context window|prompt is too long|input is too long|too many (?:input )?tokens|reduce the length of the messages|exceeds? the (?:model's )?(?:maximum )?(?:context|token limit|input limit)/i;

const LABELS: Partial<Record<LLMErrorCode, string>> = {
  rate_limit: 'Rate limited',
  server_error: 'Server error',
  timeout: 'Request timeout',
  authentication: 'Authentication failed',
  permission: 'Permission denied',
  not_found: 'Not found',
  bad_request: 'Bad request',
  context_length_exceeded: 'Context length exceeded',
  unknown: 'Request failed',
};

/**
 * Maps an error thrown by the `openai` client (or by `fetch` while a response was read)
 * to an `LLMError` whose code says what happened and whether a retry can help:
 * 429 (except an exhausted quota), 408, 409, 5xx, timeouts and dropped connections are
 * retryable; 400, 401, 403, 404, context-length errors and malformed responses are not.
 * The provider's message is kept; the API key never appears in it.
 *
 * @example
 * ```ts
 * try { await client.chat.completions.create(body); }
 * catch (err) { throw toLLMError(err, { provider: 'openai' }); }
 * ```
 */
export function toLLMError(error: unknown, context: ErrorContext): LLMError {
  const mapped = map(error, context);
  const message = redact(mapped.message, context.apiKey);
  if (message === mapped.message) return mapped;
  return new LLMError(mapped.code, message, {
    status: mapped.status,
    retryable: mapped.retryable,
    retryAfterMs: mapped.retryAfterMs,
    cause: mapped.cause,
  });
}

/** Whether a provider's error message or code says the prompt is longer than the model accepts. */
export function isContextLengthMessage(text: string): boolean {
  return CONTEXT_LENGTH.test(text);
}

function map(error: unknown, { provider }: ErrorContext): LLMError {
  if (error instanceof LLMError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new LLMError('timeout', `The request to ${provider} timed out`, {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof APIUserAbortError) {
    return new LLMError('unknown', `The request to ${provider} was aborted`, { cause: error });
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${describeCause(error.cause)}` : '';
    return new LLMError('connection', `Could not reach ${provider}${cause}`, {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof APIError) return fromAPIError(error, provider);
  if (error instanceof SyntaxError) {
    return new LLMError(
      'malformed_response',
      `${provider} sent a response that is not valid JSON (${error.message})`,
      { cause: error },
    );
  }
  if (isDroppedConnection(error)) {
    return new LLMError(
      'connection',
      `The connection to ${provider} was closed before the response was complete (${describeCause(error as Error)})`,
      { retryable: true, cause: error },
    );
  }
  if (error instanceof Error) {
    return new LLMError('unknown', `The request to ${provider} failed: ${error.message}`, {
      cause: error,
    });
  }
  return new LLMError('unknown', `The request to ${provider} failed: ${String(error)}`, {
    cause: error,
  });
}

function fromAPIError(error: APIError, provider: string): LLMError {
  const body = (error.error ?? {}) as Record<string, unknown>;
  const bodyCode = body.code;
  // An error inside a stream has no HTTP status; some providers put one in its `code`.
  const status =
    error.status ??
    (typeof bodyCode === 'number' && bodyCode >= 400 && bodyCode < 600 ? bodyCode : undefined);
  const providerMessage =
    typeof body.message === 'string' && body.message !== ''
      ? body.message
      : error.message.replace(/^\d{3} /, '');
  const codeText = typeof bodyCode === 'string' ? bodyCode : '';
  const retryAfterMs = parseRetryAfter(error.headers);

  let code: LLMErrorCode;
  let retryable: boolean;
  if (
    codeText === 'context_length_exceeded' ||
    (status !== 429 && isContextLengthMessage(providerMessage))
  ) {
    code = 'context_length_exceeded';
    retryable = false;
  } else if (status === undefined) {
    code = 'server_error';
    retryable = true;
  } else {
    [code, retryable] = classifyStatus(status, codeText);
  }
  const shouldRetry = error.headers?.get('x-should-retry');
  if (code !== 'context_length_exceeded' && (shouldRetry === 'true' || shouldRetry === 'false')) {
    retryable = shouldRetry === 'true';
  }

  const label = LABELS[code] ?? 'Request failed';
  const where = status === undefined ? 'in the stream' : `(HTTP ${status})`;
  return new LLMError(code, `${label} ${where} from ${provider}: ${providerMessage}`, {
    status,
    retryable,
    retryAfterMs,
    cause: error,
  });
}

function classifyStatus(status: number, codeText: string): [LLMErrorCode, boolean] {
  if (status === 429) return ['rate_limit', codeText !== 'insufficient_quota'];
  if (status >= 500) return ['server_error', true];
  if (status === 408) return ['timeout', true];
  if (status === 409) return ['unknown', true];
  if (status === 401) return ['authentication', false];
  if (status === 403) return ['permission', false];
  if (status === 404) return ['not_found', false];
  if (status >= 400) return ['bad_request', false];
  return ['unknown', false];
}

const DROPPED =
  /terminated|other side closed|socket hang up|fetch failed|ECONNRESET|EPIPE|UND_ERR_SOCKET/i;

function isDroppedConnection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return DROPPED.test(describeCause(error));
}

function describeCause(error: Error): string {
  const parts = [error.message];
  let cause: unknown = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    const code = (cause as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${cause.message} [${code}]` : cause.message);
    cause = cause.cause;
  }
  return parts.filter((part) => part !== '').join(': ');
}

function redact(message: string, secret: string | undefined): string {
  if (!secret || secret.length < 8) return message;
  return message.replaceAll(secret, '[redacted]');
}
