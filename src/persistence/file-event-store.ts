import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { close as closeFd } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type Durability, LogWriter } from '../actors/log-writer.js';
import { ConversationExistsError } from '../errors/conversation-exists-error.js';
import { InvalidMetadataError } from '../errors/invalid-metadata-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { ConversationEvent } from '../events/schema.js';
import type { EventLogHandle, EventStore, OpenLogOptions } from './event-store.js';
import { parseEventLines, serializeEvent, skipMarkerLine } from './jsonl.js';
import { readEventFileSync } from './read-event-file.js';
import { acquireLock } from './lock.js';
import { type ConversationPaths, conversationPaths } from './log-layout.js';
import { consoleLogger, type PersistenceLogger } from './logger.js';
import {
  LOG_FORMAT_VERSION,
  readMetadata,
  readMetadataSync,
  syncPath,
  writeMetadataSync,
} from './metadata.js';

/** Options of `new FileEventStore(...)`. */
export interface FileEventStoreOptions {
  /** `'batch'` (default): one `fdatasync` per written batch. `'none'`: no fsync. */
  durability?: Durability;
  /** Receives warnings (a torn last line skipped) and write errors. Default: the console. */
  logger?: PersistenceLogger;
}

type Listener = (event: ConversationEvent) => void;

/**
 * Keeps each conversation in `<dir>/<conversationId>/`: `events.jsonl` (one event a
 * line, each stamped with the conversation id), `meta.json` (format version, id,
 * creation time, settings without secrets) and, while a writer has it open,
 * `writer.lock`. The store used for `new Conversation({ persistenceDir })`.
 *
 * Writing goes through a `LogWriter` actor: `append` never blocks; batches are written
 * in order with one `fdatasync` each (see docs/persistence.md for what a crash can lose).
 * Opening reads the log synchronously, so `new Conversation(...)` stays synchronous.
 *
 * @example
 * ```ts
 * const store = new FileEventStore('./conversations');
 * const conversation = new Conversation({ agent, store, conversationId: 'c1' });
 * store.subscribe('c1', (event) => console.log('stored', event.seq));
 * ```
 */
export class FileEventStore implements EventStore {
  /** The persistence directory. */
  readonly dir: string;
  readonly #durability: Durability;
  readonly #logger: PersistenceLogger;
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(dir: string, options: FileEventStoreOptions = {}) {
    if (typeof dir !== 'string' || dir === '') {
      throw new InvalidOptionError('persistenceDir', 'FileEventStore needs a directory path');
    }
    this.dir = dir;
    this.#durability = options.durability ?? 'batch';
    this.#logger = options.logger ?? consoleLogger;
  }

  /** The files of a conversation (throws `InvalidConversationIdError` for an unsafe id). */
  paths(conversationId: string): ConversationPaths {
    return conversationPaths(this.dir, conversationId);
  }

  /**
   * Opens a log for writing (creating it when new) and takes its writer lock.
   *
   * @throws ConversationLockedError when a live process holds it; CorruptLogError,
   * ConversationMismatchError, UnsupportedLogVersionError or InvalidMetadataError for a
   * bad log. A torn last line is skipped with a warning, never an error.
   */
  open(conversationId: string, options: OpenLogOptions = {}): EventLogHandle {
    const paths = this.paths(conversationId);
    const isNewDir = mkdirSync(paths.dir, { recursive: true }) !== undefined;
    const lock = acquireLock(paths.lock, conversationId);
    let fd: number | undefined;
    try {
      const metadata = readMetadataSync(paths.metadata, conversationId);
      const { parsed, bytes, endsWithNewline } = readEventFileSync(paths.events, {
        conversationId,
      });
      if (!metadata && bytes > 0) {
        throw new InvalidMetadataError(paths.metadata, 'missing, but the directory holds events');
      }
      if (parsed.tornLastLine) {
        this.#logger.warn(
          `${paths.events}:${parsed.tornLastLine.line}: skipped a torn last line (${parsed.tornLastLine.text.length} characters of an interrupted write); the log continues after it`,
        );
      }
      const initial = options.initialEvents ?? [];
      if (initial.length > 0 && parsed.events.length > 0) {
        throw new ConversationExistsError(conversationId);
      }
      if (!metadata) {
        writeMetadataSync(paths.metadata, {
          ...options.metadata,
          formatVersion: LOG_FORMAT_VERSION,
          conversationId,
          createdAt: new Date().toISOString(),
        });
      }
      fd = openSync(paths.events, 'a');
      if (parsed.tornLastLine) {
        // Keep the fragment; end its line and mark it, so later loads skip it knowingly.
        writeSync(fd, `\n${skipMarkerLine(parsed.tornLastLine)}\n`);
        fdatasyncSync(fd);
      } else if (bytes > 0 && !endsWithNewline) {
        writeSync(fd, '\n');
      }
      if (!metadata) {
        // A new log: make its directory entries (events file, metadata) durable too.
        syncPath(paths.dir);
        if (isNewDir) syncPath(dirname(paths.dir));
      }
      const existing = [...parsed.events, ...initial];
      return this.#handle(conversationId, paths.events, fd, existing, initial, lock.release);
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      lock.release();
      throw error;
    }
  }

  /**
   * The stored events of a conversation with `seq >= fromSeq`; `[]` for a conversation
   * that has none. Takes no lock and writes nothing (a torn last line, perhaps a write in
   * progress, is left out silently).
   */
  async read(conversationId: string, fromSeq = 0): Promise<ConversationEvent[]> {
    const paths = this.paths(conversationId);
    await readMetadata(paths.metadata, conversationId);
    let text: string;
    try {
      text = await readFile(paths.events, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const { events } = parseEventLines(text, paths.events, { conversationId });
    return fromSeq > 0 ? events.filter((e) => e.seq >= fromSeq) : events;
  }

  /**
   * Calls `listener` with each event of `conversationId` appended through this store
   * once it is written (and synced), in `seq` order, each once. With `fromSeq`, the events
   * already in the file from that `seq` on are delivered first (synchronously). Appends
   * by other processes are not seen.
   */
  subscribe(conversationId: string, listener: Listener, fromSeq?: number): () => void {
    let next = fromSeq;
    const deliver: Listener = (event) => {
      if (next !== undefined && event.seq < next) return; // already delivered from the file
      next = event.seq + 1;
      listener(event);
    };
    if (fromSeq !== undefined) {
      for (const event of this.#readSync(conversationId)) deliver(event);
    }
    let listeners = this.#listeners.get(conversationId);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(conversationId, listeners);
    }
    listeners.add(deliver);
    return () => listeners.delete(deliver);
  }

  #readSync(conversationId: string): ConversationEvent[] {
    const paths = this.paths(conversationId);
    readMetadataSync(paths.metadata, conversationId);
    return readEventFileSync(paths.events, { conversationId }).parsed.events;
  }

  #handle(
    conversationId: string,
    file: string,
    fd: number,
    existing: ConversationEvent[],
    initial: readonly ConversationEvent[],
    releaseLock: () => void,
  ): EventLogHandle {
    const unannounced: ConversationEvent[] = [];
    const writer = new LogWriter({
      fd,
      file,
      durability: this.#durability,
      onWritten: (lines) => this.#announce(conversationId, unannounced.splice(0, lines)),
      onError: (error) => this.#logger.error(error.message),
    });
    let nextSeq = existing.length;
    let closing: Promise<void> | undefined;
    const append = (event: ConversationEvent) => {
      if (closing) throw new Error(`FileEventStore: append to closed log ${file}`);
      if (event.seq !== nextSeq) {
        throw new Error(`FileEventStore: expected seq ${nextSeq}, got ${event.seq} (${file})`);
      }
      nextSeq += 1;
      unannounced.push(event);
      writer.append(serializeEvent(event, conversationId));
    };
    nextSeq -= initial.length;
    for (const event of initial) append(event);
    return {
      existing,
      append,
      flush: () => writer.flush(),
      close: () => {
        closing ??= (async () => {
          try {
            await writer.close();
          } finally {
            await new Promise<void>((resolve) => closeFd(fd, () => resolve()));
            releaseLock();
          }
        })();
        return closing;
      },
    };
  }

  #announce(conversationId: string, events: ConversationEvent[]): void {
    const listeners = this.#listeners.get(conversationId);
    if (!listeners) return;
    for (const event of events) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          this.#logger.error(`a subscriber of ${conversationId} threw: ${String(error)}`);
        }
      }
    }
  }
}
