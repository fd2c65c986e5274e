import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConversationMismatchError } from '../errors/conversation-mismatch-error.js';
import { InvalidMetadataError } from '../errors/invalid-metadata-error.js';
import { UnsupportedLogVersionError } from '../errors/unsupported-log-version-error.js';

/** The format version this release writes (and the only one it reads). */
export const LOG_FORMAT_VERSION = 1;
const SUPPORTED_VERSIONS: readonly number[] = [LOG_FORMAT_VERSION];

/**
 * The metadata file of a conversation (`meta.json`), written once when the log is
 * created: the format version, the conversation id, the creation time, and the settings
 * the conversation was created with (model name, tool names: never a key or a secret).
 */
export interface LogMetadata {
  formatVersion: number;
  conversationId: string;
  createdAt: string;
  [key: string]: unknown;
}

/**
 * Reads and checks a metadata file; undefined when it does not exist.
 *
 * @throws UnsupportedLogVersionError, ConversationMismatchError, InvalidMetadataError
 */
export function readMetadataSync(file: string, conversationId?: string): LogMetadata | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new InvalidMetadataError(file, `cannot be read (${String(error)})`);
  }
  return checkMetadata(text, file, conversationId);
}

/** The asynchronous `readMetadataSync`. */
export async function readMetadata(
  file: string,
  conversationId?: string,
): Promise<LogMetadata | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new InvalidMetadataError(file, `cannot be read (${String(error)})`);
  }
  return checkMetadata(text, file, conversationId);
}

/**
 * Writes a new metadata file atomically: a temporary file, fsync, rename, then fsync of
 * the directory, so a crash leaves either no file or the whole file.
 */
export function writeMetadataSync(file: string, metadata: LogMetadata): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(metadata, null, 2)}\n`, { flag: 'w' });
  syncPath(tmp);
  renameSync(tmp, file);
  syncPath(dirname(file));
}

/** fsyncs a file or a directory. */
export function syncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function checkMetadata(text: string, file: string, conversationId?: string): LogMetadata {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidMetadataError(file, 'not valid JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidMetadataError(file, 'not a JSON object');
  }
  const meta = json as Record<string, unknown>;
  if (!SUPPORTED_VERSIONS.includes(meta.formatVersion as number)) {
    throw new UnsupportedLogVersionError(file, meta.formatVersion, SUPPORTED_VERSIONS);
  }
  if (typeof meta.conversationId !== 'string') {
    throw new InvalidMetadataError(file, 'has no conversationId');
  }
  if (conversationId !== undefined && meta.conversationId !== conversationId) {
    throw new ConversationMismatchError(file, undefined, conversationId, meta.conversationId);
  }
  return meta as LogMetadata;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}
