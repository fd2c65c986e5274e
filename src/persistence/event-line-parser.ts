import { ConversationEventSchema, type ConversationEvent } from '../events/schema.js';
import { ConversationMismatchError } from '../errors/conversation-mismatch-error.js';
import { CorruptLogError } from '../errors/corrupt-log-error.js';
import type { ParsedLog, ParseOptions, SkippedLine } from './jsonl.js';

/** The key of a skip marker line (see `skipMarkerLine`). */
export const SKIP_KEY = '$skipped';

/**
 * Parses the lines of an `events.jsonl` file as they come, so a long log can be read in
 * pieces instead of as one string. Feed each complete line (without its newline) to
 * `line`, then call `end` with the text after the last newline (`''` when the file ends
 * with one). The rules are those of `parseEventLines`: a torn last line (no newline at
 * the end, not valid JSON) is skipped and reported; a torn fragment followed by the skip
 * marker a writer appended for it is skipped; any other bad line throws
 * `CorruptLogError` naming the file and the line; a line of another conversation throws
 * `ConversationMismatchError`; `seq` must run 0, 1, 2…
 *
 * @example
 * ```ts
 * const parser = new EventLineParser('events.jsonl');
 * for (const line of completeLines) parser.line(line);
 * const { events } = parser.end(textAfterLastNewline);
 * ```
 */
export class EventLineParser {
  readonly #file: string;
  readonly #events: ConversationEvent[] = [];
  readonly #skipped: SkippedLine[] = [];
  #expectedId: string | undefined;
  #lineNo = 0;
  /** A line that is not JSON, kept until the next line says whether it was marked as skipped. */
  #fragment: SkippedLine | undefined;

  constructor(file: string, options: ParseOptions = {}) {
    this.#file = file;
    this.#expectedId = options.conversationId;
  }

  /** Parses the next complete line. */
  line(raw: string): void {
    this.#lineNo += 1;
    if (this.#fragment) {
      this.#closeFragment(raw);
      return;
    }
    this.#parse(raw, false);
  }

  /** Parses `lastLine` (the text after the last newline), and returns the log. */
  end(lastLine: string): ParsedLog {
    let tornLastLine: SkippedLine | undefined;
    if (lastLine !== '') {
      this.#lineNo += 1;
      if (this.#fragment) this.#closeFragment(lastLine);
      else tornLastLine = this.#parse(lastLine, true);
    }
    if (this.#fragment) {
      throw new CorruptLogError(this.#file, this.#fragment.line, 'not valid JSON');
    }
    return {
      events: this.#events,
      ...(tornLastLine ? { tornLastLine } : {}),
      ...(this.#skipped.length > 0 ? { skipped: this.#skipped } : {}),
    };
  }

  /** `next` follows a line that is not JSON: its skip marker, or the log is corrupt. */
  #closeFragment(next: string): void {
    const fragment = this.#fragment!;
    if (!marks(next, fragment)) {
      throw new CorruptLogError(this.#file, fragment.line, 'not valid JSON');
    }
    this.#skipped.push(fragment);
    this.#fragment = undefined;
  }

  /** Parses one line; returns it when it is the torn last line. */
  #parse(raw: string, isTornLast: boolean): SkippedLine | undefined {
    const file = this.#file;
    const lineNo = this.#lineNo;
    if (raw.trim() === '') {
      throw new CorruptLogError(file, lineNo, 'empty line in the middle of the log');
    }
    const json = tryParse(raw);
    if (json === undefined) {
      if (isTornLast) return { line: lineNo, text: raw };
      this.#fragment = { line: lineNo, text: raw };
      return undefined;
    }
    if (isRecord(json) && SKIP_KEY in json) {
      throw new CorruptLogError(file, lineNo, 'a skip marker that follows no torn line');
    }
    if (isRecord(json) && typeof json.conversationId === 'string') {
      this.#expectedId ??= json.conversationId;
      if (json.conversationId !== this.#expectedId) {
        throw new ConversationMismatchError(file, lineNo, this.#expectedId, json.conversationId);
      }
    }
    const parsed = ConversationEventSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CorruptLogError(
        file,
        lineNo,
        `not a valid event (${issue ? `${issue.path.join('.') || 'event'}: ${issue.message}` : 'schema mismatch'})`,
      );
    }
    const events = this.#events;
    if (parsed.data.seq !== events.length) {
      throw new CorruptLogError(
        file,
        lineNo,
        `expected seq ${events.length}, found ${parsed.data.seq} (a gap or a duplicate)`,
      );
    }
    events.push(parsed.data);
    return undefined;
  }
}

function tryParse(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `next` is the skip marker of `fragment`. */
function marks(next: string, fragment: SkippedLine): boolean {
  const json = tryParse(next);
  if (!isRecord(json) || !isRecord(json[SKIP_KEY])) return false;
  const marker = json[SKIP_KEY];
  return marker.line === fragment.line && marker.length === fragment.text.length;
}
