import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Agent,
  Conversation,
  type ConversationEvent,
  EventLog,
  FileEventStore,
  InvalidConversationIdError,
  LOG_FORMAT_VERSION,
} from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { echoTool, expectContiguous } from './helpers/conversation.js';
import { fakeLLM, fakeServer } from './helpers/fake-llm.js';
import { collectingLogger, rawLines, readEventsFile, tempDirs } from './helpers/persistence.js';

const dirs = tempDirs();
let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
  await dirs.cleanup();
});

/** Appends `n` events through an EventLog over a fresh store handle. */
function logOver(store: FileEventStore, id: string): EventLog {
  return new EventLog(store.open(id));
}

describe('FileEventStore', () => {
  it('writes one event a line to <dir>/<id>/events.jsonl, in seq order, and reads it back', async () => {
    const dir = await dirs.make();
    const store = new FileEventStore(dir);
    const log = logOver(store, 'c1');
    for (let i = 0; i < 200; i++) {
      log.append({ kind: 'message', source: 'user', role: 'user', content: `m${i}` });
    }
    await log.close();

    const file = join(dir, 'c1', 'events.jsonl');
    const lines = await rawLines(file);
    expect(lines).toHaveLength(200);
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(
      Array.from({ length: 200 }, (_, i) => i),
    );
    expect(lines.every((l) => l.startsWith('{"conversationId":"c1",'))).toBe(true);
    const events = await store.read('c1');
    expect(events).toEqual(log.events);
    expect((await store.read('c1', 150)).map((e) => e.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => 150 + i),
    );
    expect(await store.read('nobody')).toEqual([]);
  });

  it('writes a metadata file with the format version, id, creation time and settings, never the API key', async () => {
    const dir = await dirs.make();
    // A model object that exposes its key (the real LLM keeps it private).
    const llm = Object.assign(new ScriptedLLM(['hi']), { apiKey: 'sk-very-secret-key-123' });
    const withKey = new Conversation({
      agent: new Agent({ llm, tools: [echoTool] }),
      persistenceDir: dir,
      conversationId: 'keyed',
      visualizer: false,
    });
    open.push(withKey);
    withKey.sendMessage('my key is sk-very-secret-key-123');
    await withKey.run();
    await withKey.close();

    const meta = JSON.parse(await readFile(join(dir, 'keyed', 'meta.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({
      formatVersion: LOG_FORMAT_VERSION,
      conversationId: 'keyed',
      agent: { model: 'scripted/model', tools: ['echo', 'finish'] },
      settings: { steering: 'steer', maxIterationsPerRun: 500 },
    });
    expect(Date.parse(meta.createdAt as string)).not.toBeNaN();
    for (const name of ['meta.json', 'events.jsonl']) {
      expect(await readFile(join(dir, 'keyed', name), 'utf8')).not.toContain(
        'sk-very-secret-key-123',
      );
    }
    expect(withKey.events.find((e) => e.kind === 'message')).toMatchObject({
      content: 'my key is <secret:LLM_API_KEY>',
    });
  });

  it('with the real LLM over HTTP: its settings are recorded, its key is written nowhere', async () => {
    const dir = await dirs.make();
    const server = await fakeServer([{ content: 'Hello from the fake server.' }]);
    const { llm } = fakeLLM(server);
    const conversation = new Conversation({
      agent: new Agent({ llm, tools: [echoTool] }),
      persistenceDir: dir,
      conversationId: 'real-llm',
      visualizer: false,
    });
    open.push(conversation);
    conversation.sendMessage('hi');
    expect(await conversation.run()).toMatchObject({ status: 'finished' });
    await conversation.close();
    const meta = JSON.parse(readFileSync(join(dir, 'real-llm', 'meta.json'), 'utf8')) as {
      agent: { llm: Record<string, unknown> };
    };
    expect(meta.agent.llm).toMatchObject({ model: 'openai/gpt-4o', baseUrl: server.baseUrl });
    for (const name of ['meta.json', 'events.jsonl']) {
      expect(readFileSync(join(dir, 'real-llm', name), 'utf8')).not.toContain('sk-test-key');
    }
  });

  it('announces an event to subscribers once it is written, in order', async () => {
    const dir = await dirs.make();
    const store = new FileEventStore(dir);
    const seen: ConversationEvent[] = [];
    const onDisk: number[] = [];
    const file = join(dir, 'c1', 'events.jsonl');
    store.subscribe('c1', (event) => {
      seen.push(event);
      // When a subscriber hears of an event, the file already holds it.
      const line = readFileSync(file, 'utf8').split('\n')[event.seq] ?? '{}';
      onDisk.push((JSON.parse(line) as { seq?: number }).seq ?? -1);
    });
    const log = logOver(store, 'c1');
    for (let i = 0; i < 20; i++) log.append({ kind: 'pause', source: 'user' });
    await log.flush();
    expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(onDisk).toEqual(seen.map((e) => e.seq));
    await log.close();
  });

  it('subscribe(id, listener, fromSeq) delivers the stored events first, then new ones, each once in order', async () => {
    const dir = await dirs.make();
    const store = new FileEventStore(dir);
    const log = logOver(store, 'c1');
    for (let i = 0; i < 5; i++) log.append({ kind: 'pause', source: 'user' });
    await log.flush();
    const late: number[] = [];
    store.subscribe('c1', (e) => late.push(e.seq), 2);
    expect(late).toEqual([2, 3, 4]);

    // Subscribing while a batch is being written: nothing is missed or delivered twice.
    for (let i = 0; i < 100; i++) log.append({ kind: 'pause', source: 'user' });
    const racing: number[] = [];
    store.subscribe('c1', (e) => racing.push(e.seq), 0);
    await log.close();
    expect(racing).toEqual(Array.from({ length: 105 }, (_, i) => i));
    expect(late).toEqual(Array.from({ length: 103 }, (_, i) => i + 2));
  });

  it('close() flushes: a new store instance reads everything', async () => {
    const dir = await dirs.make();
    const log = logOver(new FileEventStore(dir), 'c1');
    for (let i = 0; i < 1000; i++) log.append({ kind: 'pause', source: 'user' });
    await log.close();
    const events = await new FileEventStore(dir).read('c1');
    expect(events).toHaveLength(1000);
    expectContiguous(events);
  });

  it('reopening continues the log where it ended', async () => {
    const dir = await dirs.make();
    const store = new FileEventStore(dir);
    const first = logOver(store, 'c1');
    first.append({ kind: 'pause', source: 'user' });
    await first.close();
    const second = logOver(store, 'c1');
    expect(second.length).toBe(1);
    second.append({ kind: 'pause', source: 'user', interrupt: true });
    await second.close();
    const events = await readEventsFile(join(dir, 'c1', 'events.jsonl'));
    expect(events.map((e) => e.seq)).toEqual([0, 1]);
  });

  it('rejects conversation ids that could leave the directory', async () => {
    const dir = await dirs.make();
    const store = new FileEventStore(dir);
    for (const id of ['../escape', 'a/b', '', '.hidden', 'x'.repeat(200)]) {
      expect(() => store.open(id)).toThrow(InvalidConversationIdError);
    }
  });

  it('the writer lock is gone after close()', async () => {
    const dir = await dirs.make();
    const store = new FileEventStore(dir, { logger: collectingLogger() });
    const log = logOver(store, 'c1');
    expect(existsSync(join(dir, 'c1', 'writer.lock'))).toBe(true);
    await log.close();
    expect(existsSync(join(dir, 'c1', 'writer.lock'))).toBe(false);
  });
});
