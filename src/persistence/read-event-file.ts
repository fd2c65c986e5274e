import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { EventLineParser } from './event-line-parser.js';
import type { ConversationEvent } from '../events/schema.js';
import { type ParsedLog, type ParseOptions, parsedLog } from './jsonl.js';

/** What `readEventFileSync` found. */
export interface EventFile {
  parsed: ParsedLog;
  /** The file's size in bytes (0 when it does not exist). */
  bytes: number;
  /** Whether the file ends with a newline (false for an empty file). */
  endsWithNewline: boolean;
}

/** Read in pieces of this size: one large buffer and one large string cost more than many small ones. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Reads and parses an `events.jsonl` file in 64 KB pieces, line by line, with the rules
 * of `parseEventLines`. A missing file is an empty log. Reading a long log this way
 * never holds the whole file as one buffer and one string, which roughly halves the time
 * to resume a 100,000-event conversation.
 *
 * @example
 * ```ts
 * const { parsed, endsWithNewline } = readEventFileSync('conversations/c1/events.jsonl');
 * ```
 * @throws CorruptLogError or ConversationMismatchError for a bad line.
 */
export function readEventFileSync(file: string, options: ParseOptions = {}): EventFile {
  const parser = new EventLineParser(file, options);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { parsed: parsedLog(parser, parser.end()), bytes: 0, endsWithNewline: false };
    }
    throw error;
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    const events: ConversationEvent[] = [];
    const onEvent = (event: ConversationEvent) => events.push(event);
    let bytes = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      bytes += read;
      parser.feed(decoder.write(buffer.subarray(0, read)), onEvent);
    }
    parser.feed(decoder.end(), onEvent);
    const endsWithNewline = bytes > 0 && parser.partialLine === '';
    events.push(...parser.end());
    return { parsed: parsedLog(parser, events), bytes, endsWithNewline };
  } finally {
    closeSync(fd);
  }
}
