import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Agent,
  Conversation,
  ConversationLockedError,
  ConversationMismatchError,
  CorruptLogError,
  FileEventStore,
  InvalidMetadataError,
  parseEventLines,
  UnsupportedLogVersionError,
} from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { killAllChildren, spawnTsx } from './helpers/child-process.js';
import { echoTool, expectContiguous } from './helpers/conversation.js';
import { collectingLogger, rawLines, readEventsFile, tempDirs } from './helpers/persistence.js';

const HOLD_LOCK = join(import.meta.dirname, 'helpers', 'hold-lock.ts');
const dirs = tempDirs();
let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
  await killAllChildren();
  await dirs.cleanup();
});

function conversationIn(
  dir: string,
  id: string,
  turns: ConstructorParameters<typeof ScriptedLLM>[0] = [],
) {
  const logger = collectingLogger();
  const llm = new ScriptedLLM(turns);
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [echoTool] }),
    store: new FileEventStore(dir, { logger }),
    conversationId: id,
    visualizer: false,
  });
  open.push(conversation);
  return { conversation, llm, logger };
}

/** A finished conversation on disk; returns its events file. */
async function writtenLog(dir: string, id = 'c1'): Promise<string> {
  const { conversation } = conversationIn(dir, id, [
    ScriptedLLM.call('echo', { text: 'x' }),
    'done',
  ]);
  conversation.sendMessage('go');
  await conversation.run();
  await conversation.close();
  return join(dir, id, 'events.jsonl');
}

describe('a torn last line', () => {
  it('is skipped with a warning; the log continues after it and nothing is truncated', async () => {
    const dir = await dirs.make();
    const file = await writtenLog(dir);
    const clean = await readEventsFile(file);
    const fragment = '{"conversationId":"c1","id":"torn","seq":';
    appendFileSync(file, fragment); // the process died in the middle of this write
    const damaged = readFileSync(file);

    const { conversation, logger, llm } = conversationIn(dir, 'c1', ['again']);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain(`${file}:${clean.length + 1}`);
    expect(logger.warnings[0]).toContain('torn');
    expect(conversation.events).toEqual(clean);
    conversation.sendMessage('more');
    expect(await conversation.run()).toMatchObject({ status: 'finished' });
    expect(llm.requests).toHaveLength(1);
    await conversation.close();

    // The damaged bytes are still there, untouched, at the start of the file.
    const now = readFileSync(file);
    expect(now.subarray(0, damaged.length).equals(damaged)).toBe(true);
    const lines = await rawLines(file);
    expect(lines[clean.length]).toBe(fragment);
    expect(JSON.parse(lines[clean.length + 1]!)).toEqual({
      $skipped: { line: clean.length + 1, length: fragment.length, reason: 'torn write' },
    });

    // Later loads skip the marked fragment knowingly, without a warning.
    const parsed = parseEventLines(now.toString('utf8'), file);
    expect(parsed.skipped).toEqual([{ line: clean.length + 1, text: fragment }]);
    expectContiguous(parsed.events);
    expect(parsed.events).toEqual(conversation.events);
    const again = conversationIn(dir, 'c1');
    expect(again.logger.warnings).toEqual([]);
    expect(again.conversation.events).toEqual(conversation.events);
    const steps = await Conversation.replay(file, { logger: collectingLogger() });
    expect(steps.at(-1)!.status).toBe('finished');
  });

  it('a complete last line without its newline is kept, and the next append starts on a new line', async () => {
    const dir = await dirs.make();
    const file = await writtenLog(dir);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, -1)); // the newline was not written
    const { conversation, logger } = conversationIn(dir, 'c1', ['ok']);
    expect(logger.warnings).toEqual([]);
    const count = conversation.events.length;
    conversation.sendMessage('next');
    await conversation.run();
    await conversation.close();
    const events = await readEventsFile(file);
    expect(events.length).toBeGreaterThan(count);
    expectContiguous(events);
  });
});

describe('bad files give typed errors naming the file and line', () => {
  it('a corrupt line in the middle', async () => {
    const dir = await dirs.make();
    const file = await writtenLog(dir);
    const lines = await rawLines(file);
    lines[2] = lines[2]!.slice(0, 20) + 'GARBAGE';
    writeFileSync(file, `${lines.join('\n')}\n`);
    const before = readFileSync(file);

    const attempt = () => conversationIn(dir, 'c1');
    expect(attempt).toThrow(CorruptLogError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ file, line: 3 });
      expect((error as Error).message).toContain(`${file}:3`);
    }
    // Nothing was rewritten, and the failed open left no lock behind.
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(join(dir, 'c1', 'writer.lock'))).toBe(false);
    await expect(Conversation.replay(file)).rejects.toThrow(CorruptLogError);
  });

  it('a valid event with a gap in seq', async () => {
    const dir = await dirs.make();
    const file = await writtenLog(dir);
    const lines = await rawLines(file);
    lines.splice(3, 1);
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(() => conversationIn(dir, 'c1')).toThrow(/events\.jsonl:4: expected seq 3, found 4/);
  });

  it('a skip marker that marks nothing is corruption, not a licence to skip', async () => {
    const dir = await dirs.make();
    const file = await writtenLog(dir);
    const lines = await rawLines(file);
    lines.splice(2, 0, 'not json', JSON.stringify({ $skipped: { line: 3, length: 99 } }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(() => conversationIn(dir, 'c1')).toThrow(CorruptLogError);
  });

  it('an unknown format version', async () => {
    const dir = await dirs.make();
    await writtenLog(dir);
    const metaFile = join(dir, 'c1', 'meta.json');
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(metaFile, JSON.stringify({ ...meta, formatVersion: 99 }));
    expect(() => conversationIn(dir, 'c1')).toThrow(UnsupportedLogVersionError);
    expect(() => conversationIn(dir, 'c1')).toThrow(metaFile);
    await expect(Conversation.replay(join(dir, 'c1'))).rejects.toThrow(UnsupportedLogVersionError);
  });

  it('events of another conversation', async () => {
    const dir = await dirs.make();
    await writtenLog(dir, 'a');
    const fileB = await writtenLog(dir, 'b');
    const linesA = await rawLines(join(dir, 'a', 'events.jsonl'));
    const linesB = await rawLines(fileB);
    // The tail of b replaced by a's events (same seqs): a file mix-up.
    writeFileSync(fileB, `${[...linesB.slice(0, 2), ...linesA.slice(2)].join('\n')}\n`);
    expect(() => conversationIn(dir, 'b')).toThrow(ConversationMismatchError);
    try {
      conversationIn(dir, 'b');
    } catch (error) {
      expect(error).toMatchObject({ file: fileB, line: 3, expected: 'b', found: 'a' });
    }
  });

  it('metadata of another conversation, or none beside existing events', async () => {
    const dir = await dirs.make();
    await writtenLog(dir, 'a');
    await writtenLog(dir, 'b');
    writeFileSync(join(dir, 'b', 'meta.json'), readFileSync(join(dir, 'a', 'meta.json')));
    expect(() => conversationIn(dir, 'b')).toThrow(ConversationMismatchError);
    const other = await dirs.make();
    await writtenLog(other, 'c');
    writeFileSync(join(other, 'c', 'meta.json'), 'not json');
    expect(() => conversationIn(other, 'c')).toThrow(InvalidMetadataError);
  });
});

describe('one writer', () => {
  it('a second writer in this process gets ConversationLockedError naming the conversation and the owner', async () => {
    const dir = await dirs.make();
    conversationIn(dir, 'c1');
    let error: unknown;
    try {
      conversationIn(dir, 'c1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConversationLockedError);
    expect(error).toMatchObject({
      conversationId: 'c1',
      owner: { pid: process.pid, hostname: hostname() },
    });
    expect((error as Error).message).toContain('c1');
    expect((error as Error).message).toContain(String(process.pid));
  });

  it('a second process gets ConversationLockedError while the first holds the log; a clean close frees it', async () => {
    const dir = await dirs.make();
    const holder = spawnTsx(HOLD_LOCK, [dir, 'c1']);
    await holder.waitFor((m) => m.locked === true);
    expect(() => conversationIn(dir, 'c1')).toThrow(ConversationLockedError);
    try {
      conversationIn(dir, 'c1');
    } catch (error) {
      expect(error).toMatchObject({ owner: { pid: holder.pid } });
    }
    holder.child.stdin.end();
    await holder.waitFor((m) => m.released === true);
    await holder.exited;
    expect(conversationIn(dir, 'c1').conversation.status).toBe('idle');
  });

  it('a lock left by a killed process is taken over', async () => {
    const dir = await dirs.make();
    const holder = spawnTsx(HOLD_LOCK, [dir, 'c1']);
    await holder.waitFor((m) => m.locked === true);
    holder.killGroup();
    await holder.exited;
    const lock = JSON.parse(readFileSync(join(dir, 'c1', 'writer.lock'), 'utf8')) as {
      pid: number;
    };
    expect(lock.pid).toBe(holder.pid); // stale, still on disk
    const { conversation } = conversationIn(dir, 'c1');
    const now = JSON.parse(readFileSync(join(dir, 'c1', 'writer.lock'), 'utf8')) as { pid: number };
    expect(now.pid).toBe(process.pid);
    await conversation.close();
    expect(existsSync(join(dir, 'c1', 'writer.lock'))).toBe(false);
  });

  it('a lock held on another host is respected (its owner cannot be checked)', async () => {
    const dir = await dirs.make();
    await writtenLog(dir);
    writeFileSync(
      join(dir, 'c1', 'writer.lock'),
      JSON.stringify({ pid: 1, hostname: 'another-host.example', since: new Date().toISOString() }),
    );
    expect(() => conversationIn(dir, 'c1')).toThrow(/pid 1 on another-host\.example/);
  });
});
