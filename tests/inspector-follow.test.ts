import { appendFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Conversation,
  type ConversationEvent,
  CorruptLogError,
  EventLineParser,
  parseEventLines,
  serializeEvent,
} from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import {
  FollowingLogSource,
  type Inspector,
  type InspectorSnapshot,
  type InspectorUpdate,
  startInspector,
} from '../src/visualizer/index.js';
import { killAllChildren, spawnTsx } from './helpers/child-process.js';
import { echoTool, gatedTool, nextEvent, scripted } from './helpers/conversation.js';
import { type SseClient, openStream } from './helpers/sse.js';

const CLOSE_CHILD = join(import.meta.dirname, 'helpers', 'follow-and-close.ts');

let conversations: Conversation[] = [];
let inspectors: Inspector[] = [];
let sources: FollowingLogSource[] = [];
let streams: SseClient[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const stream of streams) stream.destroy();
  await Promise.all(inspectors.map((i) => i.close()));
  await Promise.all(sources.map((s) => s.close()));
  await Promise.all(conversations.map((c) => c.close()));
  await killAllChildren();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  conversations = [];
  inspectors = [];
  sources = [];
  streams = [];
  dirs = [];
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'inspector-follow-'));
  dirs.push(dir);
  return dir;
}

/** The inspector on `logPath` and its event stream, once the first snapshot arrived. */
async function follow(logPath: string) {
  const inspector = await startInspector({ logPath });
  inspectors.push(inspector);
  const stream = await openStream(new URL('/api/stream', inspector.url).href);
  streams.push(stream);
  const snapshot = JSON.parse(
    (await stream.waitFor((e) => e.event === 'snapshot')).data,
  ) as InspectorSnapshot;
  const updates = () =>
    stream.events
      .filter((e) => e.event === 'update')
      .map((e) => JSON.parse(e.data) as InspectorUpdate);
  const update = async (match: (u: InspectorUpdate) => boolean): Promise<InspectorUpdate> =>
    JSON.parse(
      (
        await stream.waitFor(
          (e) => e.event === 'update' && match(JSON.parse(e.data) as InspectorUpdate),
        )
      ).data,
    ) as InspectorUpdate;
  return { inspector, stream, snapshot, updates, update };
}

/** The events of a finished run (echo tool, then done), to write logs by hand. */
async function finishedRun(): Promise<readonly ConversationEvent[]> {
  const { conversation } = scripted([ScriptedLLM.call('echo', { text: 'hi' }), 'done']);
  conversations.push(conversation);
  conversation.sendMessage('echo hi');
  await conversation.run();
  return conversation.events;
}

const lines = (events: readonly ConversationEvent[]): string =>
  events.map((e) => `${serializeEvent(e, 'c1')}\n`).join('');

/** A log file holding `events`, in a conversation directory `c1`. */
async function logFile(events: readonly ConversationEvent[]): Promise<string> {
  const dir = join(await tempDir(), 'c1');
  await mkdir(dir);
  const file = join(dir, 'events.jsonl');
  await writeFile(file, lines(events));
  return file;
}

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('following a conversation that runs', () => {
  it('shows every event once, in order, as it is written, and the final state', async () => {
    const gate = gatedTool('slow');
    const root = await tempDir();
    const { conversation } = scripted(
      [ScriptedLLM.call('slow', {}), ScriptedLLM.call('echo', { text: 'again' }), 'all done'],
      [gate.tool, echoTool],
      { persistenceDir: root },
    );
    conversations.push(conversation);
    const { snapshot, updates, update } = await follow(join(root, conversation.id));
    expect(snapshot.mode).toBe('log');
    expect(snapshot.following).toBe(true);
    expect(snapshot.controls).toBe(false);

    const { id } = conversation.sendMessage('go slowly', { delivery: 'queue' });
    const running = conversation.run();
    await gate.started();
    // The tool runs: the action is on disk and on the page, the model has read the message.
    const action = await nextEvent(conversation, (e) => e.kind === 'action');
    const acting = await update((u) => u.summary.seq >= action.seq);
    expect(acting.summary.active).toContain('conversation.acting');
    const read = updates()
      .flatMap((u) => u.messages)
      .find((m) => m.id === id && m.readSeq);
    expect(read).toMatchObject({ id, content: 'go slowly', delivery: 'queue' });

    gate.release('slow result');
    await running;
    const last = conversation.events.at(-1)!;
    const final = await update((u) => u.summary.seq === last.seq);
    expect(final.summary.status).toBe('finished');
    expect(final.summary.active).toEqual(['conversation.idle', 'conversation.idle.finished']);
    expect(final.summary.metrics.responses).toBe(3);
    expect(final.summary.pending).toEqual([]);

    // No gap, no duplicate: the snapshot's rows then each update's, exactly the log.
    const rows = [...snapshot.timeline, ...updates().flatMap((u) => u.timeline)];
    expect(rows.map((r) => r.event)).toEqual(plain(conversation.events));
    const steps = [...snapshot.steps!, ...updates().flatMap((u) => u.steps ?? [])];
    expect(steps.map((s) => s.seq)).toEqual(conversation.events.map((e) => e.seq));
    expect(steps.at(-1)).toEqual(final.summary);

    // A page that connects now gets all of it in its snapshot.
    const later = (await (
      await fetch(new URL('/api/snapshot', inspectors[0]!.url))
    ).json()) as InspectorSnapshot;
    expect(later.timeline.map((r) => r.event)).toEqual(plain(conversation.events));
    expect(later.steps).toHaveLength(conversation.events.length);
    expect(later.warnings).toEqual([]);
  });
});

describe('a log written by hand', () => {
  it('waits for a torn last line and shows its event once the line is complete', async () => {
    const events = await finishedRun();
    const file = await logFile(events.slice(0, -1));
    const { snapshot, update, updates } = await follow(file);
    expect(snapshot.timeline).toHaveLength(events.length - 1);

    const line = serializeEvent(events.at(-1)!, 'c1');
    const half = Math.floor(line.length / 2);
    await appendFile(file, line.slice(0, half));
    const waiting = await update((u) => u.warnings!.some((w) => /incomplete/.test(w)));
    expect(waiting.timeline).toEqual([]);
    expect(waiting.warnings![0]).toContain(`The last line (${events.length}) of ${file}`);

    await appendFile(file, `${line.slice(half)}\n`);
    const done = await update((u) => u.timeline.length > 0);
    expect(done.timeline.map((r) => r.event)).toEqual([plain(events.at(-1))]);
    expect(done.steps!.map((s) => s.seq)).toEqual([events.at(-1)!.seq]);
    expect(done.summary.state).toBe('idle.finished');
    expect(done.warnings).toEqual([]);
    expect(done.following).toBe(true);
    expect(updates().flatMap((u) => u.timeline)).toHaveLength(1);
  });

  it('a corrupt line is a warning on the page: the events before it stay, following stops', async () => {
    const events = await finishedRun();
    const file = await logFile(events.slice(0, 3));
    const { update } = await follow(file);

    // One good line, then a bad one, in the same write.
    await appendFile(file, `${serializeEvent(events[3]!, 'c1')}\nnot json at all\n`);
    const stopped = await update((u) => u.following === false);
    expect(stopped.warnings).toHaveLength(1);
    expect(stopped.warnings![0]).toMatch(/^Stopped following at a bad line: /);
    expect(stopped.warnings![0]).toContain(`${file}:5`);
    expect(stopped.warnings![0]).toMatch(/not valid JSON/);

    const page = (await (
      await fetch(new URL('/api/snapshot', inspectors[0]!.url))
    ).json()) as InspectorSnapshot;
    expect(page.timeline.map((r) => r.event.seq)).toEqual([0, 1, 2, 3]);
    expect(page.following).toBe(false);
    expect(page.warnings).toEqual(stopped.warnings);
  });

  it('a duplicate seq is a warning too', async () => {
    const events = await finishedRun();
    const file = await logFile(events.slice(0, 3));
    const { update } = await follow(file);
    await appendFile(file, `${serializeEvent(events[2]!, 'c1')}\n`);
    const stopped = await update((u) => u.following === false);
    expect(stopped.warnings![0]).toMatch(/expected seq 3, found 2/);
  });

  it('the file truncated, or replaced by another, is a clear warning', async () => {
    const events = await finishedRun();
    const truncated = await logFile(events);
    const first = await follow(truncated);
    await writeFile(truncated, '');
    const cut = await first.update((u) => u.following === false);
    expect(cut.warnings).toEqual([
      `${truncated} was truncated (from ${Buffer.byteLength(lines(events))} to 0 bytes): stopped following it`,
    ]);

    const replaced = await logFile(events);
    const second = await follow(replaced);
    await writeFile(`${replaced}.new`, lines(events.slice(0, 2)));
    await rename(`${replaced}.new`, replaced);
    const swapped = await second.update((u) => u.following === false);
    expect(swapped.warnings![0]).toMatch(/was replaced by another file/);
    // What was shown stays.
    expect(second.snapshot.timeline).toHaveLength(events.length);
  });

  it('a log with a bad line already in it is refused, as without following', async () => {
    const events = await finishedRun();
    const file = await logFile(events.slice(0, 2));
    await appendFile(file, 'oops\n');
    await expect(startInspector({ logPath: file })).rejects.toThrow(
      new CorruptLogError(file, 3, 'not valid JSON'),
    );
  });
});

describe('without change notifications', () => {
  it('polls the file instead (poll: true), and tells subscribers the same way', async () => {
    const events = await finishedRun();
    const file = await logFile(events.slice(0, 2));
    const source = await FollowingLogSource.open(file, { poll: true, pollMs: 20 });
    sources.push(source);
    const updates: InspectorUpdate[] = [];
    const grew = new Promise<void>((resolve) =>
      source.subscribe((update) => {
        updates.push(update);
        if (update.summary.seq === events.length - 1) resolve();
      }),
    );
    await appendFile(file, lines(events.slice(2)));
    await grew;
    const seqs = updates.flatMap((u) => u.timeline.map((r) => r.event.seq));
    expect(seqs).toEqual(events.slice(2).map((e) => e.seq));
    expect(source.snapshot().timeline.map((r) => r.event)).toEqual(events);
  });
});

describe('closing', () => {
  it('close() stops following and releases the watcher: the process exits by itself', async () => {
    const events = await finishedRun();
    const file = await logFile(events);
    const source = await FollowingLogSource.open(file);
    sources.push(source);
    expect(source.following).toBe(true);
    expect(source.eventCount).toBe(events.length);
    await source.close();
    expect(source.following).toBe(false);

    const child = spawnTsx(CLOSE_CHILD, [file]);
    const seen = await child.waitFor((m) => m.type === 'following');
    expect(seen).toEqual({ type: 'following', following: true, events: events.length });
    await child.waitFor((m) => m.type === 'closed');
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });

  it('follow: false reads the log once', async () => {
    const events = await finishedRun();
    const file = await logFile(events);
    const inspector = await startInspector({ logPath: file, follow: false });
    inspectors.push(inspector);
    const snapshot = (await (
      await fetch(new URL('/api/snapshot', inspector.url))
    ).json()) as InspectorSnapshot;
    expect(snapshot.timeline).toHaveLength(events.length);
    expect(snapshot.following).toBeUndefined();
  });
});

describe('EventLineParser', () => {
  it('gives the events parseEventLines gives, whatever the pieces the text comes in', async () => {
    const events = await finishedRun();
    const fragment = '{"kind":"mess';
    const marker = JSON.stringify({
      $skipped: { line: 3, length: fragment.length, reason: 'torn write' },
    });
    const head = lines(events.slice(0, 2));
    const text = `${head}${fragment}\n${marker}\n${lines(events.slice(2))}`;
    // The marker skips the fragment; seq runs on from 2.
    const whole = parseEventLines(text, 'f');
    expect(whole.events).toEqual(events);
    expect(whole.skipped).toEqual([{ line: 3, text: fragment }]);
    for (const size of [1, 7, 100, 1000]) {
      const parser = new EventLineParser('f');
      const got: ConversationEvent[] = [];
      for (let at = 0; at < text.length; at += size)
        got.push(...parser.push(text.slice(at, at + size)));
      got.push(...parser.end());
      expect(got).toEqual(events);
      expect(parser.skipped).toEqual(whole.skipped);
    }
  });

  it('holds a bad line until the next one says whether it was a marked torn write', () => {
    const parser = new EventLineParser('f');
    expect(parser.push('garbage\n')).toEqual([]);
    expect(parser.holding).toBe(true);
    expect(() => parser.settle()).toThrow(new CorruptLogError('f', 1, 'not valid JSON'));
  });
});
