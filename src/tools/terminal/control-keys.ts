/**
 * Parses a control key written the way the terminal tool's callers write it: `C-c`,
 * `C-d`, `C-z` (any letter, either case; `^C` is accepted too). Returns the control
 * character to type into the terminal, or `undefined` when the text is not a control key.
 *
 * @example
 * ```ts
 * parseControlKey('C-c'); // '\x03' (interrupt)
 * parseControlKey('ls'); // undefined
 * ```
 */
export function parseControlKey(text: string): string | undefined {
  const match = /^(?:C-|\^)([a-z])$/i.exec(text.trim());
  const letter = match?.[1];
  if (!letter) return undefined;
  return String.fromCharCode(letter.toLowerCase().charCodeAt(0) - 96);
}

/** The control character that interrupts the foreground job (Ctrl+C). */
export const CTRL_C = '\x03';
