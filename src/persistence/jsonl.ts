import { ConversationEventSchema, type ConversationEvent } from '../events/schema.js';
import { SteerableError } from '../errors/steerable-error.js';

/** A line of an events file that is not a valid event. */
export class CorruptLogError extends SteerableError {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.file = file;
    this.line = line;
  }
}

/** The result of parsing an events file. */
export interface ParsedLog {
  events: ConversationEvent[];
  /** Set when the last line was torn (the writer died mid-line) and was skipped. */
  tornLastLine?: { line: number; text: string };
}

/** One event as a line of JSONL (no trailing newline). */
export function serializeEvent(event: ConversationEvent): string {
  return JSON.stringify(event);
}

/**
 * Parses the text of an `events.jsonl` file. A torn last line (no newline at the end
 * and not valid JSON) is skipped and reported; any other bad line throws
 * `CorruptLogError` naming the file and the line. `seq` must run 0, 1, 2…
 */
export function parseEventLines(text: string, file: string): ParsedLog {
  const lines = text.split('\n');
  const endsClean = text.length === 0 || text.endsWith('\n');
  if (endsClean) lines.pop();
  const events: ConversationEvent[] = [];
  let tornLastLine: ParsedLog['tornLastLine'];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const isLast = i === lines.length - 1;
    if (raw.trim() === '') {
      throw new CorruptLogError(file, lineNo, 'empty line in the middle of the log');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      if (isLast && !endsClean) {
        tornLastLine = { line: lineNo, text: raw };
        break;
      }
      throw new CorruptLogError(file, lineNo, 'not valid JSON');
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
  return tornLastLine ? { events, tornLastLine } : { events };
}
