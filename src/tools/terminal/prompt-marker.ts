/** What the shell reports each time it is ready for a command. */
export interface PromptMarker {
  /** `$?`: the exit status of the last command. */
  exitCode: number;
  /** `$$`: the process id of the shell. */
  pid: number;
  /** `$PWD`: the shell's working directory. */
  cwd: string;
}

/** A piece of the terminal's output stream: text, or the marker of a prompt. */
export type MarkerScanPiece =
  { kind: 'output'; text: string } | { kind: 'prompt'; marker: PromptMarker };

const RS = '\x1e';
const US = '\x1f';
/** A marker longer than this is not one (it is flushed as output). */
const MAX_MARKER_LENGTH = 16_384;

/**
 * The value of bash's `PROMPT_COMMAND` that prints a prompt marker: before each prompt,
 * bash prints `RS STEERABLE:<nonce> US <$?> US <$$> US <$PWD> RS`. The separators are
 * written as printf escapes, so the marker never appears verbatim in the variable itself
 * (printing `$PROMPT_COMMAND` or `declare -p` cannot fake a prompt).
 */
export function promptCommand(nonce: string): string {
  return `printf '\\036STEERABLE:%s\\037%s\\037%s\\037%s\\036' ${nonce} "$?" "$$" "$PWD"`;
}

/**
 * Splits the terminal's output stream into text and prompt markers. Chunks may cut a
 * marker anywhere; the scanner holds back what could be the start of one until it is
 * complete.
 *
 * @example
 * ```ts
 * const scanner = new PromptMarkerScanner(nonce);
 * for (const piece of scanner.push(chunk)) if (piece.kind === 'prompt') done(piece.marker);
 * ```
 */
export class PromptMarkerScanner {
  readonly #prefix: string;
  #pending = '';

  constructor(nonce: string) {
    this.#prefix = `${RS}STEERABLE:${nonce}${US}`;
  }

  push(text: string): MarkerScanPiece[] {
    this.#pending += text;
    const pieces: MarkerScanPiece[] = [];
    const emit = (output: string) => {
      if (output) pieces.push({ kind: 'output', text: output });
    };
    for (;;) {
      const start = this.#pending.indexOf(this.#prefix);
      if (start === -1) {
        const keep = partialPrefixLength(this.#pending, this.#prefix);
        emit(this.#pending.slice(0, this.#pending.length - keep));
        this.#pending = this.#pending.slice(this.#pending.length - keep);
        return pieces;
      }
      const end = this.#pending.indexOf(RS, start + this.#prefix.length);
      if (end === -1) {
        emit(this.#pending.slice(0, start));
        this.#pending = this.#pending.slice(start);
        if (this.#pending.length > MAX_MARKER_LENGTH) emit(this.flush());
        return pieces;
      }
      emit(this.#pending.slice(0, start));
      const marker = parseFields(this.#pending.slice(start + this.#prefix.length, end));
      if (marker) pieces.push({ kind: 'prompt', marker });
      else emit(this.#pending.slice(start, end + 1));
      this.#pending = this.#pending.slice(end + 1);
    }
  }

  /** Returns the text held back (at the end of the stream) and forgets it. */
  flush(): string {
    const rest = this.#pending;
    this.#pending = '';
    return rest;
  }
}

function parseFields(body: string): PromptMarker | undefined {
  const [code, pid, ...cwdParts] = body.split(US);
  const exitCode = Number(code);
  const pidNumber = Number(pid);
  if (!Number.isInteger(exitCode) || !Number.isInteger(pidNumber) || cwdParts.length === 0) {
    return undefined;
  }
  return { exitCode, pid: pidNumber, cwd: cwdParts.join(US) };
}

/** The length of the longest suffix of `text` that is a proper prefix of `prefix`. */
function partialPrefixLength(text: string, prefix: string): number {
  for (let length = Math.min(prefix.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(prefix.slice(0, length))) return length;
  }
  return 0;
}
