import { SteerableError } from './steerable-error.js';

/**
 * Writing a conversation's log failed (disk full, file system gone read-only...). The
 * events in memory are intact; the file holds everything before the failed batch.
 * `close()` and every later flush reject with it.
 */
export class LogWriteError extends SteerableError {
  /** The file that could not be written. */
  readonly file: string;

  constructor(file: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Could not write the log ${file}: ${reason}`, { cause });
    this.file = file;
  }
}
