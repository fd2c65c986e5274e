import { clipResponse, FILE_CLIPPED_NOTICE, numberLines } from './lines.js';

/** Lines of context shown above and below an edit. */
export const SNIPPET_CONTEXT_LINES = 4;

/**
 * The lines around an edit, numbered like `cat -n`: from `SNIPPET_CONTEXT_LINES` before
 * line `first` to as many after line `last` (1-based, inclusive).
 */
export function editSnippet(
  lines: readonly string[],
  first: number,
  last: number,
  maxChars: number,
): string {
  const from = Math.max(1, first - SNIPPET_CONTEXT_LINES);
  const to = Math.min(lines.length, Math.max(first, last) + SNIPPET_CONTEXT_LINES);
  return clipResponse(numberLines(lines.slice(from - 1, to), from), maxChars, FILE_CLIPPED_NOTICE);
}
