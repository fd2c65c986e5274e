let lastMs = Number.NaN;
let lastIso = '';

/**
 * The current time as an ISO 8601 string (`new Date().toISOString()`), formatted once per
 * millisecond: a conversation appends several events per step, often within the same one.
 *
 * @example
 * ```ts
 * isoNow(); // '2025-11-25T15:30:00.123Z'
 * ```
 */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
