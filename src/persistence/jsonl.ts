import type { ConversationEvent } from '../events/schema.js';
import { CorruptLogError } from '../errors/corrupt-log-error.js';
import { EventLineParser, SKIP_KEY } from './event-line-parser.js';

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
 * `ConversationMismatchError`. `seq` must run 0, 1, 2… (`EventLineParser` applies the
 * same rules line by line; `readEventFileSync` reads a file that way.)
 */
export function parseEventLines(text: string, file: string, options: ParseOptions = {}): ParsedLog {
  const parser = new EventLineParser(file, options);
  const events = parser.push(text);
  events.push(...parser.end());
  return parsedLog(parser, events);
}

/** The `ParsedLog` of a parser that has ended, with the events it gave. */
export function parsedLog(parser: EventLineParser, events: ConversationEvent[]): ParsedLog {
  return {
    events,
    ...(parser.tornLastLine ? { tornLastLine: parser.tornLastLine } : {}),
    ...(parser.skipped.length > 0 ? { skipped: parser.skipped } : {}),
  };
}
