import { ConversationEventSchema, type ConversationEvent } from '../events/schema.js';
import { ConversationMismatchError } from '../errors/conversation-mismatch-error.js';
import { CorruptLogError } from '../errors/corrupt-log-error.js';

export { CorruptLogError };

/** A line of an events file that was skipped: a torn write. */
export interface SkippedLine {
  /** 1-based line number. */
  line: number;
  /** The text of the fragment. */
  text: string;
}

/** The result of parsing an events file. */
export interface ParsedLog {
  events: ConversationEvent[];
  /** Set when the last line was torn (the writer died mid-line) and was skipped. */
  tornLastLine?: SkippedLine;
  /** Torn fragments earlier in the file that a writer already marked as skipped (see `skipMarkerLine`). */
  skipped?: SkippedLine[];
}

/** Options of `parseEventLines`. */
export interface ParseOptions {
  /**
   * The conversation the file must belong to. A line stamped with another conversation
   * id throws `ConversationMismatchError`. Default: the id of the first stamped line.
   */
  conversationId?: string;
}

/** The key of a skip marker line. */
const SKIP_KEY = '$skipped';

/**
 * One event as a line of JSONL (no trailing newline). With `conversationId`, the line is
 * stamped with it (as its first key), so a line that ends up in another conversation's
 * file is recognised on load.
 */
export function serializeEvent(event: ConversationEvent, conversationId?: string): string {
  return JSON.stringify(conversationId === undefined ? event : { conversationId, ...event });
}

/**
 * The line a writer appends (after a newline) when it resumes a log whose last line is
 * torn. The torn fragment is never removed or rewritten: it stays on its own line, and
 * this marker right after it names its line number and length, so later loads skip that
 * fragment knowingly, while any other bad line in the middle of a log is still an error.
 *
 * @example
 * `{"$skipped":{"line":12,"length":37,"reason":"torn write"}}`
 */
export function skipMarkerLine(fragment: SkippedLine): string {
  return JSON.stringify({
    [SKIP_KEY]: { line: fragment.line, length: fragment.text.length, reason: 'torn write' },
  });
}

/**
 * Parses the text of an `events.jsonl` file. A torn last line (no newline at the end
 * and not valid JSON) is skipped and reported; a torn fragment followed by the skip
 * marker a writer appended for it is skipped too. Any other bad line throws
 * `CorruptLogError` naming the file and the line; a line of another conversation throws
 * `ConversationMismatchError`. `seq` must run 0, 1, 2…
 */
export function parseEventLines(text: string, file: string, options: ParseOptions = {}): ParsedLog {
  const lines = text.split('\n');
  const endsClean = text.length === 0 || text.endsWith('\n');
  if (endsClean) lines.pop();
  const events: ConversationEvent[] = [];
  const skipped: SkippedLine[] = [];
  let expectedId = options.conversationId;
  let tornLastLine: SkippedLine | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const isLast = i === lines.length - 1;
    if (raw.trim() === '') {
      throw new CorruptLogError(file, lineNo, 'empty line in the middle of the log');
    }
    const json = tryParse(raw);
    if (json === undefined) {
      if (isLast && !endsClean) {
        tornLastLine = { line: lineNo, text: raw };
        break;
      }
      if (marks(lines[i + 1], lineNo, raw)) {
        skipped.push({ line: lineNo, text: raw });
        i += 1;
        continue;
      }
      throw new CorruptLogError(file, lineNo, 'not valid JSON');
    }
    if (isRecord(json) && SKIP_KEY in json) {
      throw new CorruptLogError(file, lineNo, 'a skip marker that follows no torn line');
    }
    if (isRecord(json) && typeof json.conversationId === 'string') {
      expectedId ??= json.conversationId;
      if (json.conversationId !== expectedId) {
        throw new ConversationMismatchError(file, lineNo, expectedId, json.conversationId);
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
    if (parsed.data.seq !== events.length) {
      throw new CorruptLogError(
        file,
        lineNo,
        `expected seq ${events.length}, found ${parsed.data.seq} (a gap or a duplicate)`,
      );
    }
    events.push(parsed.data);
  }
  return {
    events,
    ...(tornLastLine ? { tornLastLine } : {}),
    ...(skipped.length > 0 ? { skipped } : {}),
  };
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

/** Whether `next` is the skip marker of the fragment `raw` on line `lineNo`. */
function marks(next: string | undefined, lineNo: number, raw: string): boolean {
  if (next === undefined) return false;
  const json = tryParse(next);
  if (!isRecord(json) || !isRecord(json[SKIP_KEY])) return false;
  const marker = json[SKIP_KEY];
  return marker.line === lineNo && marker.length === raw.length;
}
