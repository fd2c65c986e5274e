/** A text as lines, and whether it ends with a newline. */
export interface Lines {
  lines: string[];
  finalNewline: boolean;
}

/** Splits text into lines; a final newline ends the last line instead of starting an empty one. */
export function splitLines(text: string): Lines {
  if (text === '') return { lines: [], finalNewline: false };
  const finalNewline = text.endsWith('\n');
  return { lines: (finalNewline ? text.slice(0, -1) : text).split('\n'), finalNewline };
}

/** The inverse of `splitLines`. */
export function joinLines({ lines, finalNewline }: Lines): string {
  return lines.join('\n') + (finalNewline && lines.length > 0 ? '\n' : '');
}

/** The number of the line (1-based) where character `index` of `text` is. */
export function lineNumberAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Lines numbered the way `cat -n` numbers them: the number right-aligned in 6 columns, a tab, the line. */
export function numberLines(lines: readonly string[], firstLine = 1): string {
  return lines.map((line, i) => `${String(firstLine + i).padStart(6)}\t${line}`).join('\n');
}

/** Default limit of what `view` and the edit snippets return, in characters. */
export const DEFAULT_MAX_VIEW_CHARS = 16_000;

/** Cuts a long response at a line boundary and appends `notice`. */
export function clipResponse(text: string, maxChars: number, notice: string): string {
  if (text.length <= maxChars) return text;
  const cut = text.lastIndexOf('\n', maxChars);
  return `${text.slice(0, cut > 0 ? cut : maxChars)}\n${notice}`;
}

/** What `view` says when a file's content was clipped. */
export const FILE_CLIPPED_NOTICE =
  '<response clipped><NOTE>Only part of this file is shown, to save context. View the rest with `view_range`; find line numbers with `grep -n` in the terminal.</NOTE>';

/** What `view` says when a directory listing was clipped. */
export const DIRECTORY_CLIPPED_NOTICE =
  '<response clipped><NOTE>Only part of the listing is shown. View a subdirectory, or use `ls` or `find` in the terminal.</NOTE>';
