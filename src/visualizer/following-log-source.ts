import { basename, dirname } from 'node:path';
import type { AnyStateMachine } from 'xstate';
import type { ConversationEvent } from '../events/schema.js';
import { conversationMachine } from '../machines/conversation-machine.js';
import { EventLineParser } from '../persistence/event-line-parser.js';
import { messageViews, touchedMessages } from './conversation-source.js';
import { FileTail, type FileTailOptions } from './file-tail.js';
import type { InspectorSource } from './inspector-source.js';
import type { InspectorSnapshot, InspectorUpdate } from './inspector-view.js';
import { resolveLogPath } from './log-source.js';
import { LogReplay } from './log-replay.js';

/** Options of `FollowingLogSource.open`. */
export interface FollowingLogSourceOptions extends FileTailOptions {
  /** The machine whose chart the page draws. Default: `conversationMachine`. */
  machine?: AnyStateMachine;
}

type Listener = (update: InspectorUpdate) => void;

/**
 * The inspector's source for a log that a conversation in another process is still
 * writing (`events.jsonl`, or its conversation directory): it shows what the file holds,
 * then follows it like `tail -f`. Each change is read from where the last read stopped,
 * only complete lines are parsed, and each new event is applied once to the replay, so
 * following a long log stays cheap. Subscribers get one update per read.
 *
 * A line still being written is waited for (the page says so meanwhile). A bad line that
 * appears later, or the file being replaced, truncated or removed, stops the following
 * with a warning on the page; the events read until then stay. `close()` releases the
 * watcher and the file.
 *
 * @example
 * ```ts
 * const source = await FollowingLogSource.open('./conversations/c1');
 * const inspector = await startInspector({ source });
 * ```
 */
export class FollowingLogSource implements InspectorSource {
  readonly machine: AnyStateMachine;
  /** The events file followed. */
  readonly file: string;
  readonly #replay: LogReplay;
  readonly #parser: EventLineParser;
  /** Each subscriber, and the `seq` of the last row it was sent. */
  readonly #listeners = new Map<Listener, number>();
  readonly #warnings: string[] = [];
  #incomplete: string | undefined;
  #tail: FileTail | undefined;
  #following = true;
  #scheduled = false;

  private constructor(file: string, machine: AnyStateMachine) {
    this.file = file;
    this.machine = machine;
    this.#replay = new LogReplay(machine);
    this.#parser = new EventLineParser(file);
  }

  /**
   * Reads the log at `path` and starts following it.
   *
   * @throws InspectorError when there is no log there; CorruptLogError (or
   *   ConversationMismatchError) for a bad line in what the file already holds.
   */
  static async open(
    path: string,
    options: FollowingLogSourceOptions = {},
  ): Promise<FollowingLogSource> {
    const file = await resolveLogPath(path);
    const source = new FollowingLogSource(file, options.machine ?? conversationMachine);
    const started = { done: false };
    source.#tail = await FileTail.open(
      file,
      {
        data: (text) => source.#read(text, started.done),
        caughtUp: () => source.#caughtUp(started.done),
        stopped: (reason) => source.#stop(reason),
      },
      options,
    );
    started.done = true;
    return source;
  }

  /** Whether the file is still followed (false after a stop or `close()`). */
  get following(): boolean {
    return this.#following;
  }

  /** The number of events read so far. */
  get eventCount(): number {
    return this.#replay.steps.length;
  }

  snapshot(): InspectorSnapshot {
    const replay = this.#replay;
    return {
      mode: 'log',
      title: this.file,
      conversationId: basename(dirname(this.file)),
      controls: false,
      timeline: replay.timeline.slice(),
      messages: messageViews(replay.projection),
      summary: replay.summary(),
      steps: replay.steps.slice(),
      warnings: this.#allWarnings(),
      following: this.#following,
    };
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.set(listener, this.#replay.steps.length - 1);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Stops following and closes the file. Idempotent. */
  async close(): Promise<void> {
    this.#following = false;
    this.#listeners.clear();
    await this.#tail?.close();
  }

  #read(text: string, started: boolean): void {
    if (!this.#following) return;
    try {
      this.#parser.feed(text, (event) => this.#apply(event));
    } catch (error) {
      if (!started) throw error;
      return this.#corrupt(error);
    }
    // The line waited for is complete: its warning goes in the same update as its event.
    if (this.#incomplete && this.#parser.partialLine === '') this.#incomplete = undefined;
  }

  #apply(event: ConversationEvent): void {
    this.#replay.apply(event);
    this.#schedule();
  }

  #caughtUp(started: boolean): void {
    if (!this.#following) return;
    try {
      this.#parser.settle();
    } catch (error) {
      if (!started) throw error;
      return this.#corrupt(error);
    }
    const partial = this.#parser.partialLine;
    const incomplete =
      partial === ''
        ? undefined
        : `The last line (${this.#parser.nextLine}) of ${this.file} is incomplete (torn, or still being written): it is shown once the writer finishes it.`;
    if (incomplete !== this.#incomplete) {
      this.#incomplete = incomplete;
      this.#schedule();
    }
  }

  #corrupt(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#stop(`Stopped following at a bad line: ${message}. The events before it are shown.`);
    void this.#tail?.close();
  }

  #stop(reason: string): void {
    if (!this.#following) return;
    this.#following = false;
    this.#incomplete = undefined;
    this.#warnings.push(reason);
    this.#schedule();
  }

  #allWarnings(): string[] {
    return this.#incomplete ? [...this.#warnings, this.#incomplete] : [...this.#warnings];
  }

  /** One update per burst of changes (a read of many lines is one update). */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      const { timeline, steps, projection } = this.#replay;
      const warnings = this.#allWarnings();
      const summary = this.#replay.summary();
      for (const [listener, sent] of this.#listeners) {
        const fresh = timeline.slice(sent + 1);
        this.#listeners.set(listener, timeline.length - 1);
        listener({
          timeline: fresh,
          messages: messageViews(projection, touchedMessages(fresh.map((entry) => entry.event))),
          summary,
          steps: steps.slice(sent + 1),
          warnings,
          following: this.#following,
        });
      }
    });
  }
}
