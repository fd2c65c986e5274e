/** The default limit of the terminal tool's output, in characters. */
export const DEFAULT_MAX_OUTPUT_CHARS = 30_000;

/** Text whose middle may already be missing: `omitted` characters were dropped between `head` and `tail`. */
export interface ClippedText {
  head: string;
  tail: string;
  omitted: number;
}

/** The line put where the middle of a long output was cut. */
export function omissionMarker(omitted: number): string {
  return `\n[... ${omitted} characters omitted from the middle of the output ...]\n`;
}

/**
 * Cuts text longer than `maxChars` in the middle, keeping its head and its tail and
 * putting a marker that says how much was left out. The result is at most `maxChars`
 * long (unless `maxChars` is smaller than the marker itself).
 *
 * @example
 * ```ts
 * truncateMiddle('a'.repeat(50_000) + 'END', 30_000).endsWith('END'); // true
 * ```
 */
export function truncateMiddle(
  input: string | ClippedText,
  maxChars: number = DEFAULT_MAX_OUTPUT_CHARS,
): string {
  const { head, tail, omitted } =
    typeof input === 'string' ? { head: input, tail: '', omitted: 0 } : input;
  const total = head.length + tail.length + omitted;
  if (omitted === 0 && total <= maxChars) return head + tail;

  // The marker's length depends on the number it shows; size the budget for the largest.
  const budget = Math.max(0, maxChars - omissionMarker(total).length);
  const headBudget = Math.ceil(budget / 2);
  const tailBudget = budget - headBudget;
  const whole = omitted === 0 ? head + tail : undefined;
  let keptHead = (whole ?? head).slice(0, headBudget);
  const tailSource = whole ?? tail;
  let keptTail =
    tailBudget > 0 ? tailSource.slice(Math.max(0, tailSource.length - tailBudget)) : '';
  // Never split a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(keptHead)) keptHead = keptHead.slice(0, -1);
  if (/^[\uDC00-\uDFFF]/.test(keptTail)) keptTail = keptTail.slice(1);
  return keptHead + omissionMarker(total - keptHead.length - keptTail.length) + keptTail;
}
