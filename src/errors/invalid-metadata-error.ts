import { SteerableError } from './steerable-error.js';

/** A conversation's metadata file is missing (while events exist), unreadable or malformed. */
export class InvalidMetadataError extends SteerableError {
  /** The metadata file. */
  readonly file: string;

  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.file = file;
  }
}
