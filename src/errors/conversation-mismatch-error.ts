import { SteerableError } from './steerable-error.js';

/**
 * A log file holds events (or metadata) of another conversation than the one being
 * opened: a file copied into the wrong directory, or two logs concatenated.
 */
export class ConversationMismatchError extends SteerableError {
  /** The file holding the foreign data. */
  readonly file: string;
  /** The 1-based line of the first foreign event; undefined for the metadata file. */
  readonly line: number | undefined;
  /** The conversation being opened. */
  readonly expected: string;
  /** The conversation the file says it belongs to. */
  readonly found: string;

  constructor(file: string, line: number | undefined, expected: string, found: string) {
    super(
      `${line === undefined ? file : `${file}:${line}`}: belongs to conversation ${found}, not ${expected}`,
    );
    this.file = file;
    this.line = line;
    this.expected = expected;
    this.found = found;
  }
}
