import { ConversationMismatchError } from '../errors/conversation-mismatch-error.js';
import { CorruptLogError } from '../errors/corrupt-log-error.js';
import { ConversationEventSchema, type ConversationEvent } from '../events/schema.js';
import type { ParseOptions, SkippedLine } from './jsonl.js';

/** The key of a skip marker line (see `skipMarkerLine`). */
export const SKIP_KEY = '$skipped';

/**
 * Parses an `events.jsonl` file piece by piece, as it is read or as a writer appends to
 * it: `push` takes any text (a piece may end mid-line) and returns the events of the lines
 * it completed; `end` says the text is complete. The rules are those of
 * `parseEventLines`, which is built on it: a torn last line (no newline, not JSON) is
 * skipped and reported, a torn fragment followed by its skip marker is skipped, any other
 * bad line throws `CorruptLogError`, a line of another conversation throws
 * `ConversationMismatchError`, and `seq` must run 0, 1, 2…
 *
 * A complete line that is not JSON is held until the next line arrives (it may be a torn
 * fragment whose skip marker follows); `holding` says so, and `end` throws for it.
 * After a throw the parser is unusable.
 *
 * @example
 * ```ts
 * const parser = new EventLineParser('events.jsonl');
 * for await (const chunk of stream) for (const event of parser.push(chunk)) show(event);
 * parser.end();
 * ```
 */
export class EventLineParser {
  /** The file the text comes from (named in errors). */
  readonly file: string;
  /** Torn fragments a writer marked as skipped, so far. */
  readonly skipped: SkippedLine[] = [];
  /** Set by `end` when the last line was torn and was skipped. */
  tornLastLine: SkippedLine | undefined;
  #expectedId: string | undefined;
  #rest = '';
  #lines = 0;
  #nextSeq = 0;
  #held: SkippedLine | undefined;

  constructor(file: string, options: ParseOptions = {}) {
    this.file = file;
    this.#expectedId = options.conversationId;
  }

  /** The `seq` the next event must have (the number of events parsed so far). */
  get nextSeq(): number {
    return this.#nextSeq;
  }

  /** The text after the last newline: a line still being written. */
  get partialLine(): string {
    return this.#rest;
  }

  /** The number of the first line not parsed yet (1-based). */
  get nextLine(): number {
    return this.#lines + 1;
  }

  /** Whether a complete line that is not JSON waits for the next line (its skip marker?). */
  get holding(): boolean {
    return this.#held !== undefined;
  }

  /**
   * Parses the lines `text` completes (with what earlier pieces left unfinished).
   *
   * @throws CorruptLogError, ConversationMismatchError
   */
  push(text: string): ConversationEvent[] {
    const events: ConversationEvent[] = [];
    this.feed(text, (event) => events.push(event));
    return events;
  }

  /**
   * Like `push`, but hands each event to `onEvent` as soon as its line is parsed, so the
   * events before a bad line are not lost when it throws.
   *
   * @throws CorruptLogError, ConversationMismatchError
   */
  feed(text: string, onEvent: (event: ConversationEvent) => void): void {
    const lines = (this.#rest + text).split('\n');
    this.#rest = lines.pop()!;
    for (const raw of lines) {
      const event = this.#line(raw, false);
      if (event) onEvent(event);
    }
  }

  /**
   * The writer is idle (everything written so far was pushed): a held bad line has no
   * skip marker after it, so it is corrupt. An unfinished last line is left alone.
   *
   * @throws CorruptLogError for a held line
   */
  settle(): void {
    if (this.#held) throw new CorruptLogError(this.file, this.#held.line, 'not valid JSON');
  }

  /**
   * The text is complete: an unfinished last line is parsed (or, when it is not JSON,
   * skipped as torn and reported in `tornLastLine`), and a held bad line throws.
   *
   * @throws CorruptLogError, ConversationMismatchError
   */
  end(): ConversationEvent[] {
    const events: ConversationEvent[] = [];
    if (this.#rest !== '') {
      const raw = this.#rest;
      this.#rest = '';
      const event = this.#line(raw, true);
      if (event) events.push(event);
    }
    this.settle();
    return events;
  }

  #line(raw: string, unterminated: boolean): ConversationEvent | undefined {
    const lineNo = ++this.#lines;
    const held = this.#held;
    if (held) {
      this.#held = undefined;
      if (!marks(raw, held)) throw new CorruptLogError(this.file, held.line, 'not valid JSON');
      this.skipped.push(held);
      return undefined;
    }
    if (raw.trim() === '') {
      throw new CorruptLogError(this.file, lineNo, 'empty line in the middle of the log');
    }
    const json = tryParse(raw);
    if (json === undefined) {
      if (unterminated) this.tornLastLine = { line: lineNo, text: raw };
      else this.#held = { line: lineNo, text: raw };
      return undefined;
    }
    if (isRecord(json) && SKIP_KEY in json) {
      throw new CorruptLogError(this.file, lineNo, 'a skip marker that follows no torn line');
    }
    if (isRecord(json) && typeof json.conversationId === 'string') {
      this.#expectedId ??= json.conversationId;
      if (json.conversationId !== this.#expectedId) {
        throw new ConversationMismatchError(
          this.file,
          lineNo,
          this.#expectedId,
          json.conversationId,
        );
      }
    }
    const parsed = ConversationEventSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CorruptLogError(
        this.file,
        lineNo,
        `not a valid event (${issue ? `${issue.path.join('.') || 'event'}: ${issue.message}` : 'schema mismatch'})`,
      );
    }
    if (parsed.data.seq !== this.#nextSeq) {
      throw new CorruptLogError(
        this.file,
        lineNo,
        `expected seq ${this.#nextSeq}, found ${parsed.data.seq} (a gap or a duplicate)`,
      );
    }
    this.#nextSeq += 1;
    return parsed.data;
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

/** Whether `next` is the skip marker of the fragment `held`. */
function marks(next: string, held: SkippedLine): boolean {
  const json = tryParse(next);
  if (!isRecord(json) || !isRecord(json[SKIP_KEY])) return false;
  const marker = json[SKIP_KEY];
  return marker.line === held.line && marker.length === held.text.length;
}
