import { SteerableError } from './steerable-error.js';

/**
 * An option with a value that cannot work (a threshold of `unknown`, a condenser whose
 * `keepFirst` leaves no room to condense...). `option` names it.
 *
 * @example
 * ```ts
 * try {
 *   new ConfirmRisky({ threshold: 'unknown' as never });
 * } catch (err) {
 *   if (err instanceof InvalidOptionError) console.error(err.option); // 'threshold'
 * }
 * ```
 */
export class InvalidOptionError extends SteerableError {
  /** The option that was wrong, as the caller spelled it. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}
