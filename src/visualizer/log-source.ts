import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AnyStateMachine } from 'xstate';
import type { ConversationEvent } from '../events/schema.js';
import { conversationMachine } from '../machines/conversation-machine.js';
import { parseEventLines } from '../persistence/jsonl.js';
import { messageViews } from './conversation-source.js';
import { InspectorError } from './inspector-error.js';
import type { InspectorSource } from './inspector-source.js';
import type { InspectorSnapshot } from './inspector-view.js';
import { LogReplay } from './log-replay.js';

/** Options of `LogSource`. */
export interface LogSourceOptions {
  title?: string;
  conversationId?: string;
  warnings?: string[];
  machine?: AnyStateMachine;
}

/**
 * The inspector's source for a finished or persisted log: every event, and the state
 * after each one (from `replayEvents`), for the page's time travel. It never changes.
 */
export class LogSource implements InspectorSource {
  readonly machine: AnyStateMachine;
  readonly #snapshot: InspectorSnapshot;

  constructor(events: readonly ConversationEvent[], options: LogSourceOptions = {}) {
    this.machine = options.machine ?? conversationMachine;
    const replay = new LogReplay(this.machine);
    for (const event of events) replay.apply(event);
    this.#snapshot = {
      mode: 'log',
      title: options.title ?? 'log',
      ...(options.conversationId !== undefined ? { conversationId: options.conversationId } : {}),
      controls: false,
      timeline: replay.timeline,
      messages: messageViews(replay.projection),
      summary: replay.summary(),
      steps: replay.steps,
      warnings: options.warnings ?? [],
    };
  }

  /**
   * Reads `events.jsonl` (or the `events.jsonl` inside a conversation directory).
   *
   * @throws InspectorError when there is no such file; CorruptLogError for a bad line.
   */
  static async fromFile(path: string, machine?: AnyStateMachine): Promise<LogSource> {
    const file = await resolveLogPath(path);
    const text = await readFile(file, 'utf8');
    const parsed = parseEventLines(text, file);
    const warnings = parsed.tornLastLine
      ? [
          `The last line (${parsed.tornLastLine.line}) of ${file} was torn (the writer stopped mid-line) and was skipped.`,
        ]
      : [];
    return new LogSource(parsed.events, {
      title: file,
      conversationId: basename(dirname(file)),
      warnings,
      ...(machine ? { machine } : {}),
    });
  }

  snapshot(): InspectorSnapshot {
    return this.#snapshot;
  }

  subscribe(): () => void {
    return () => undefined;
  }
}

/**
 * The events file a path names: the path itself, or `<path>/events.jsonl` for a
 * directory.
 *
 * @throws InspectorError naming the path when neither exists.
 */
export async function resolveLogPath(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new InspectorError(`No events log at ${path}: the path does not exist`);
  if (!info.isDirectory()) return path;
  const file = join(path, 'events.jsonl');
  const inner = await stat(file).catch(() => undefined);
  if (!inner?.isFile()) {
    throw new InspectorError(`${path} is a directory without an events.jsonl in it`);
  }
  return file;
}
