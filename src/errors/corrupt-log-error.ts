import { SteerableError } from './steerable-error.js';

/**
 * A line of an events file that is not a valid event (bad JSON in the middle of the
 * log, a schema mismatch, a gap or a duplicate `seq`). Names the file and the line.
 *
 * @example
 * ```ts
 * try {
 *   new Conversation({ agent, persistenceDir, conversationId: 'c1' });
 * } catch (err) {
 *   if (err instanceof CorruptLogError) console.error(`fix ${err.file} line ${err.line}`);
 * }
 * ```
 */
export class CorruptLogError extends SteerableError {
  /** The events file. */
  readonly file: string;
  /** The 1-based line number. */
  readonly line: number;

  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.file = file;
    this.line = line;
  }
}
