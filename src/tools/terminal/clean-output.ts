import type { ClippedText } from './truncate.js';

// CSI sequences (colours, cursor moves), OSC sequences (titles, links), and two-byte escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// Control characters other than tab, newline and carriage return.
// eslint-disable-next-line no-control-regex
const OTHER_CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/**
 * Makes terminal output readable as plain text: removes ANSI escape sequences and other
 * control characters, and applies carriage returns the way a terminal shows them (a
 * progress bar redrawn with `\r` keeps only its last state).
 *
 * @example
 * ```ts
 * cleanTerminalText('\x1b[31merror\x1b[0m 10%\r100%\n'); // 'error 100%\n'
 * ```
 */
export function cleanTerminalText(text: string): string {
  const plain = text.replace(ANSI, '').replace(OTHER_CONTROLS, '').replace(/\r+\n/g, '\n');
  if (!plain.includes('\r')) return plain;
  return plain
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .join('\n');
}

/** The text that replaces a secret's value in terminal output. */
export const SECRET_MASK = '<secret-hidden>';

/**
 * Replaces every occurrence of the given secret values with `<secret-hidden>`. Values
 * shorter than 4 characters are left alone (they would mask ordinary text).
 */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  let masked = text;
  for (const value of secrets) {
    if (value.length >= 4) masked = masked.split(value).join(SECRET_MASK);
  }
  return masked;
}

/** Cleans both ends of a clipped output (see `cleanTerminalText`) and masks secrets. */
export function cleanClipped(clipped: ClippedText, secrets: Iterable<string> = []): ClippedText {
  const values = [...secrets];
  return {
    head: maskSecrets(cleanTerminalText(clipped.head), values),
    tail: maskSecrets(cleanTerminalText(clipped.tail), values),
    omitted: clipped.omitted,
  };
}
