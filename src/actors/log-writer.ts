import { fdatasync, write } from 'node:fs';
import { type Actor, createActor, fromCallback } from 'xstate';
import { LogWriteError } from '../errors/log-write-error.js';

/** How hard the writer pushes each batch to the disk. */
export type Durability =
  /** `fdatasync` after every batch: a batch is on the disk when its flush resolves (default). */
  | 'batch'
  /** Write only; the OS flushes when it likes. Survives a process crash, not a power cut. */
  | 'none';

/** Input of the log writer actor. */
export interface LogWriterInput {
  /** A file descriptor opened for appending. The writer never closes it. */
  fd: number;
  /** The file's path (for errors). */
  file: string;
  /** Default `'batch'`. */
  durability?: Durability;
  /** Called after each batch is written (and synced), with its number of lines, in order. */
  onWritten?: (lines: number) => void;
  /** Called once when a write fails; the writer writes nothing after that. */
  onError?: (error: LogWriteError) => void;
}

/** Events the log writer actor accepts. */
export type LogWriterEvent =
  { type: 'append'; line: string } | { type: 'flush'; done: (error?: LogWriteError) => void };

interface FlushWaiter {
  /** Lines that must be written before `done` is called. */
  target: number;
  done: (error?: LogWriteError) => void;
}

/**
 * The writer of an events file, as an actor of its own: `append` events queue lines and
 * return at once; a loop writes whatever has queued as one batch (one `write` and, with
 * durability `'batch'`, one `fdatasync`), in order, while new lines queue for the next
 * batch. A slow disk therefore slows the log's durability, never its caller. `flush`
 * events are answered once every line appended before them is written; after a write
 * error, every flush is answered with that error and nothing more is written.
 */
export const logWriterActor = fromCallback<LogWriterEvent, LogWriterInput>(({ input, receive }) => {
  const sync = (input.durability ?? 'batch') === 'batch';
  let queue: string[] = [];
  let appended = 0;
  let written = 0;
  let scheduled = false;
  let failure: LogWriteError | undefined;
  let waiters: FlushWaiter[] = [];

  const settle = () => {
    const left: FlushWaiter[] = [];
    for (const waiter of waiters) {
      if (failure) waiter.done(failure);
      else if (written >= waiter.target) waiter.done();
      else left.push(waiter);
    }
    waiters = left;
  };

  const drain = async () => {
    while (queue.length > 0 && !failure) {
      const batch = queue;
      queue = [];
      try {
        await writeAll(input.fd, Buffer.from(`${batch.join('\n')}\n`, 'utf8'));
        if (sync) await datasync(input.fd);
      } catch (error) {
        failure = new LogWriteError(input.file, error);
        input.onError?.(failure);
        break;
      }
      written += batch.length;
      input.onWritten?.(batch.length);
      settle();
    }
    scheduled = false;
    settle();
  };

  receive((event) => {
    if (event.type === 'flush') {
      waiters.push({ target: appended, done: event.done });
      settle();
      return;
    }
    if (failure) return;
    queue.push(event.line);
    appended += 1;
    if (!scheduled) {
      scheduled = true;
      // Start on a microtask: the caller returns first, and lines appended in the same
      // tick share the batch.
      queueMicrotask(() => void drain());
    }
  });
});

/**
 * A promise-friendly handle on a running `logWriterActor`.
 *
 * @example
 * ```ts
 * const writer = new LogWriter({ fd: openSync(file, 'a'), file });
 * writer.append(JSON.stringify(event));
 * await writer.flush(); // on the disk now
 * ```
 */
export class LogWriter {
  /** The underlying actor. */
  readonly actor: Actor<typeof logWriterActor>;
  #closed = false;

  constructor(input: LogWriterInput) {
    this.actor = createActor(logWriterActor, { input });
    this.actor.start();
  }

  /** Queues one line (without its newline). Returns at once. */
  append(line: string): void {
    if (this.#closed) throw new Error('LogWriter: append after close()');
    this.actor.send({ type: 'append', line });
  }

  /** Resolves once every line appended so far is written; rejects with the `LogWriteError` if writing failed. */
  flush(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.actor.send({ type: 'flush', done: (error) => (error ? reject(error) : resolve()) });
    });
  }

  /** Flushes, then stops the actor. Rejects like `flush()`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.flush();
    } finally {
      this.#closed = true;
      this.actor.stop();
    }
  }
}

async function writeAll(fd: number, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    offset += await new Promise<number>((resolve, reject) =>
      write(fd, buffer, offset, buffer.length - offset, null, (error, bytes) =>
        error ? reject(error) : resolve(bytes),
      ),
    );
  }
}

function datasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fdatasync(fd, (error) => (error ? reject(error) : resolve())),
  );
}
