/**
 * Where the persistence layer reports what it skipped or failed to write. Inject your
 * own (a test collector, pino, ...) through the store's options.
 */
export interface PersistenceLogger {
  /** Something was skipped but nothing is lost (a torn last line). */
  warn(message: string): void;
  /** Something could not be written. */
  error(message: string): void;
}

/** The default logger: `console.warn` / `console.error`, prefixed with `[steerable]`. */
export const consoleLogger: PersistenceLogger = {
  warn: (message) => console.warn(`[steerable] ${message}`),
  error: (message) => console.error(`[steerable] ${message}`),
};
