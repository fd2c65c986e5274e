/**
 * Quotes text as a bash ANSI-C string (`$'...'`): backslashes, single quotes and every
 * control character are escaped, so the result is one shell word holding exactly `text`
 * and contains no control character a terminal would act on.
 *
 * @example
 * ```ts
 * ansiCQuote("it's\n"); // $'it\'s\n'
 * ```
 */
export function ansiCQuote(text: string): string {
  let quoted = "$'";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') quoted += '\\\\';
    else if (char === "'") quoted += "\\'";
    else if (char === '\n') quoted += '\\n';
    else if (char === '\t') quoted += '\\t';
    else if (char === '\r') quoted += '\\r';
    else if (code < 0x20 || code === 0x7f) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    else quoted += char;
  }
  return `${quoted}'`;
}

/** Code points per line of an `evalLine` (each line stays far below the tty's 4,096-byte limit). */
const CHUNK_CODE_POINTS = 256;

/**
 * The input line that makes an interactive bash run `command` in the current shell:
 * `eval` of the command quoted with `ansiCQuote`, split into short physical lines joined
 * by backslash-newline. The terminal's line discipline truncates lines longer than 4,095
 * bytes, so a long command (a heredoc writing a big file) must never be one line. Syntax
 * errors in the command are reported by `eval` instead of leaving bash waiting for more.
 *
 * @example
 * ```ts
 * evalLine('cd /tmp && ls'); // "eval $'cd /tmp && ls'\n"
 * ```
 */
export function evalLine(command: string): string {
  const codePoints = [...command];
  const words: string[] = [];
  for (let i = 0; i < codePoints.length; i += CHUNK_CODE_POINTS) {
    words.push(ansiCQuote(codePoints.slice(i, i + CHUNK_CODE_POINTS).join('')));
  }
  return `eval ${words.length > 0 ? words.join('\\\n') : "''"}\n`;
}
