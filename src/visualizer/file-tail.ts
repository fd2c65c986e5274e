import { type FSWatcher, type Stats, unwatchFile, watch, watchFile } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/** What a `FileTail` tells its reader. */
export interface FileTailListener {
  /** New text at the end of the file (UTF-8 decoded; a piece may end mid-line). */
  data(text: string): void;
  /** Everything written so far has been read (after the `data` calls of one read). */
  caughtUp(): void;
  /** The tail stopped for good: the file was replaced, truncated or removed, or reading failed. */
  stopped(reason: string): void;
}

/** Options of `FileTail.open`. */
export interface FileTailOptions {
  /**
   * Check the file's size every `pollMs` (`fs.watchFile`) instead of waiting for change
   * notifications (`fs.watch`), e.g. on a network drive that sends none. The tail falls
   * back to it by itself when `fs.watch` is not available.
   */
  poll?: boolean;
  /** How often to check when polling, in ms. Default 500. */
  pollMs?: number;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Follows a file that a writer appends to, like `tail -f`: reads it from the start,
 * then reads the bytes appended since the last read each time the file changes
 * (`fs.watch`, or polling when change notifications are not available). It stops, and
 * says why, when the file is replaced by another, truncated or removed. `close()`
 * releases the watcher and the file, so nothing keeps the process alive.
 *
 * @example
 * ```ts
 * const tail = await FileTail.open('events.jsonl', {
 *   data: (text) => parser.push(text),
 *   caughtUp: () => render(),
 *   stopped: (reason) => console.warn(reason),
 * });
 * await tail.close();
 * ```
 */
export class FileTail {
  /** The file followed. */
  readonly file: string;
  readonly #listener: FileTailListener;
  readonly #decoder = new StringDecoder('utf8');
  readonly #handle: FileHandle;
  #offset = 0;
  #watcher: FSWatcher | undefined;
  #polling: ((current: Stats, previous: Stats) => void) | undefined;
  #reading: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #closing: Promise<void> | undefined;

  private constructor(file: string, handle: FileHandle, listener: FileTailListener) {
    this.file = file;
    this.#handle = handle;
    this.#listener = listener;
  }

  /**
   * Opens `file`, starts watching it and reads what it holds. Resolves once that first
   * read is done; an error the listener throws during it rejects (and closes the tail).
   */
  static async open(
    file: string,
    listener: FileTailListener,
    options: FileTailOptions = {},
  ): Promise<FileTail> {
    const tail = new FileTail(file, await open(file, 'r'), listener);
    tail.#watch(options);
    tail.#again = true;
    const first = tail.#drain();
    tail.#reading = first;
    try {
      await first;
    } catch (error) {
      await tail.close();
      throw error;
    } finally {
      tail.#reading = undefined;
    }
    if (tail.#again) tail.#kick();
    return tail;
  }

  /** Whether the tail still follows the file (not stopped, not closed). */
  get following(): boolean {
    return !this.#stopped;
  }

  /** The number of bytes read so far. */
  get offset(): number {
    return this.#offset;
  }

  /** Stops watching, waits for a read under way, and closes the file. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#stop();
      await this.#reading?.catch(() => undefined);
      await this.#handle.close();
    })();
    return this.#closing;
  }

  #watch(options: FileTailOptions): void {
    const changed = (): void => this.#kick();
    if (!options.poll) {
      try {
        this.#watcher = watch(this.file, { persistent: true }, changed);
        this.#watcher.on('error', (error) => this.#fail(error));
        return;
      } catch {
        // No change notifications here (some network and virtual file systems): poll.
      }
    }
    this.#polling = changed;
    watchFile(this.file, { persistent: true, interval: options.pollMs ?? 500 }, changed);
  }

  #stop(): void {
    this.#stopped = true;
    this.#watcher?.close();
    this.#watcher = undefined;
    if (this.#polling) unwatchFile(this.file, this.#polling);
    this.#polling = undefined;
  }

  /** Reads what changed, now or (when a read is under way) right after it. */
  #kick(): void {
    if (this.#stopped) return;
    this.#again = true;
    if (this.#reading) return;
    this.#reading = this.#drain().then(
      () => this.#settled(),
      (error: unknown) => {
        this.#settled();
        this.#fail(error);
      },
    );
  }

  #settled(): void {
    this.#reading = undefined;
    if (this.#again) this.#kick();
  }

  async #drain(): Promise<void> {
    while (this.#again && !this.#stopped) {
      this.#again = false;
      await this.#readNew();
    }
  }

  async #readNew(): Promise<void> {
    const { size } = await this.#handle.stat();
    if (size < this.#offset) {
      return this.#end(
        `${this.file} was truncated (from ${this.#offset} to ${size} bytes): stopped following it`,
      );
    }
    while (this.#offset < size && !this.#stopped) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, size - this.#offset));
      const { bytesRead } = await this.#handle.read(buffer, 0, buffer.length, this.#offset);
      if (bytesRead === 0 || this.#stopped) break;
      this.#offset += bytesRead;
      const text = this.#decoder.write(buffer.subarray(0, bytesRead));
      if (text !== '') this.#listener.data(text);
    }
    if (this.#stopped) return;
    const onDisk = await stat(this.file).catch(() => undefined);
    if (!onDisk) return this.#end(`${this.file} was removed: stopped following it`);
    const held = await this.#handle.stat();
    if (onDisk.ino !== held.ino || onDisk.dev !== held.dev) {
      return this.#end(
        `${this.file} was replaced by another file (a new log at the same path?): stopped following it`,
      );
    }
    this.#listener.caughtUp();
  }

  #end(reason: string): void {
    if (this.#stopped) return;
    this.#stop();
    this.#listener.stopped(reason);
  }

  #fail(error: unknown): void {
    this.#end(
      `Cannot follow ${this.file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
