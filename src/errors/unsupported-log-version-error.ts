import { SteerableError } from './steerable-error.js';

/**
 * A conversation's metadata file declares a `formatVersion` this version of steerable
 * cannot read (written by a newer release, or not a steerable log at all).
 */
export class UnsupportedLogVersionError extends SteerableError {
  /** The metadata file. */
  readonly file: string;
  /** The version the file declares. */
  readonly version: unknown;
  /** The versions this release reads. */
  readonly supported: readonly number[];

  constructor(file: string, version: unknown, supported: readonly number[]) {
    super(
      `${file}: unsupported log format version ${JSON.stringify(version)} (this steerable reads version ${supported.join(', ')})`,
    );
    this.file = file;
    this.version = version;
    this.supported = supported;
  }
}
