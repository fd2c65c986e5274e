/**
 * Runs `pass` when asked, one pass at a time: a request that comes while a pass runs asks
 * for one more pass after it (however many requests came), instead of a second read at
 * the same time. A pass that throws (PostgreSQL stayed unreachable) ends the loop; the
 * next request starts it again.
 *
 * `pass` returns `false` to stop early (its feed was closed).
 *
 * @example
 * ```ts
 * const pull = pullLoop(async () => {
 *   for (const row of await read(cursor)) deliver(row);
 * });
 * listener.add(id, () => void pull());
 * ```
 */
export function pullLoop(pass: () => Promise<boolean | void>): () => Promise<void> {
  let reading = false;
  let again = false;
  return async () => {
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      do {
        again = false;
        if ((await pass()) === false) return;
      } while (again);
    } catch {
      // Unreachable for longer than the read retries: the next notice (or reconnect) reads again.
    } finally {
      reading = false;
    }
  };
}
