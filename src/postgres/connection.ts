import {
  type ConnectionFailure,
  InvalidConnectionStringError,
  PostgresConnectionError,
  PostgresPermissionError,
} from './errors.js';
import { SteerableError } from '../errors/steerable-error.js';

/**
 * The connection string to use: the option, else `DATABASE_URL`. Checked to be a
 * `postgres://` or `postgresql://` URL.
 *
 * @throws InvalidConnectionStringError when there is none or it is malformed.
 */
export function resolveConnectionString(option: string | undefined): string {
  const value = option ?? process.env.DATABASE_URL;
  if (value === undefined || value === '') {
    throw new InvalidConnectionStringError(
      'no connection string: pass `connectionString` or set DATABASE_URL (postgres://user:password@host:5432/database)',
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidConnectionStringError(
      `the connection string is not a URL (expected postgres://user:password@host:5432/database)`,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new InvalidConnectionStringError(
      `the connection string must start with postgres:// or postgresql://, got ${url.protocol}//`,
    );
  }
  if (url.port !== '' && !(Number(url.port) > 0 && Number(url.port) < 65536)) {
    throw new InvalidConnectionStringError(`the port ${url.port} is not a valid port`);
  }
  return value;
}

/** The connection string with its password replaced by `***`, for messages. */
export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<invalid connection string>';
  }
}

/** The SQLSTATE of a PostgreSQL error, if the error came from the server. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

const NETWORK_CODES: Record<string, ConnectionFailure> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ETIMEDOUT: 'timeout',
};

/**
 * Whether an error is the connection's (server restarting, network gone), so the
 * operation may succeed on a new connection, rather than the statement's.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof SteerableError) return false;
  const state = sqlState(error);
  if (state === undefined) return true;
  return state.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(state);
}

/**
 * Turns a failure to connect or to run a statement into a typed error: a refused or
 * unreachable server, a bad password or a missing database become
 * `PostgresConnectionError`, a missing privilege `PostgresPermissionError`.
 */
export function toStoreError(error: unknown, connectionString: string, operation: string): Error {
  if (error instanceof SteerableError) return error;
  const target = redact(connectionString);
  const state = sqlState(error);
  if (state === '42501') return new PostgresPermissionError(operation, error);
  if (state === '28P01' || state === '28000') {
    return new PostgresConnectionError('authentication', target, error);
  }
  if (state === '3D000') return new PostgresConnectionError('database_missing', target, error);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in NETWORK_CODES) {
    return new PostgresConnectionError(NETWORK_CODES[code]!, target, error);
  }
  if (isTransient(error)) return new PostgresConnectionError('other', target, error);
  return error instanceof Error ? error : new Error(String(error));
}
