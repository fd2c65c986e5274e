import { stat, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ConversationEvent } from '../events/schema.js';
import { parseEventLines, type SkippedLine } from './jsonl.js';
import { EVENTS_FILE, METADATA_FILE } from './log-layout.js';
import { consoleLogger, type PersistenceLogger } from './logger.js';
import { type LogMetadata, readMetadata } from './metadata.js';

/** A log read from disk, for replay or inspection. */
export interface LogFile {
  /** The events file read. */
  file: string;
  events: ConversationEvent[];
  /** The metadata next to it, when there is one. */
  metadata?: LogMetadata;
  /** The torn last line skipped, if any. */
  tornLastLine?: SkippedLine;
}

/** Options of `readLogFile`. */
export interface ReadLogOptions {
  /** Receives the warning for a torn last line. Default: the console. */
  logger?: PersistenceLogger;
}

/**
 * Reads a conversation's log without opening it for writing: `logPath` is its
 * `events.jsonl` or its directory. The metadata beside it (if any) is checked (format
 * version, conversation id), and so is every line. Never writes.
 *
 * @throws CorruptLogError, ConversationMismatchError, UnsupportedLogVersionError, InvalidMetadataError
 */
export async function readLogFile(logPath: string, options: ReadLogOptions = {}): Promise<LogFile> {
  const file = (await stat(logPath)).isDirectory() ? join(logPath, EVENTS_FILE) : logPath;
  const metadata =
    basename(file) === EVENTS_FILE
      ? await readMetadata(join(dirname(file), METADATA_FILE))
      : undefined;
  const text = await readFile(file, 'utf8');
  const parsed = parseEventLines(
    text,
    file,
    metadata ? { conversationId: metadata.conversationId } : {},
  );
  if (parsed.tornLastLine) {
    (options.logger ?? consoleLogger).warn(
      `${file}:${parsed.tornLastLine.line}: skipped a torn last line (an interrupted write)`,
    );
  }
  return {
    file,
    events: parsed.events,
    ...(metadata ? { metadata } : {}),
    ...(parsed.tornLastLine ? { tornLastLine: parsed.tornLastLine } : {}),
  };
}
