import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Agent,
  Conversation,
  type EventStore,
  LogWriteError,
  LogWriter,
  serializeEvent,
} from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { collectingLogger, tempDirs } from './helpers/persistence.js';

const dirs = tempDirs();
const fds: number[] = [];
afterEach(async () => {
  for (const fd of fds.splice(0)) closeSync(fd);
  await dirs.cleanup();
});

function appendFd(file: string): number {
  const fd = openSync(file, 'a');
  fds.push(fd);
  return fd;
}

describe('LogWriter', () => {
  it('writes every appended line, in order, in batches; flush() resolves once they are written', async () => {
    const file = join(await dirs.make(), 'log.jsonl');
    const batches: number[] = [];
    const writer = new LogWriter({
      fd: appendFd(file),
      file,
      onWritten: (lines) => batches.push(lines),
    });
    const expected: string[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 300; i++) {
        const line = JSON.stringify({ round, i });
        expected.push(line);
        writer.append(line);
      }
      if (round === 2) {
        await writer.flush();
        expect(readFileSync(file, 'utf8')).toBe(`${expected.join('\n')}\n`);
      }
    }
    await writer.close();
    expect(readFileSync(file, 'utf8')).toBe(`${expected.join('\n')}\n`);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(1500);
    // Lines appended in the same tick share a batch: far fewer writes than lines.
    expect(batches.length).toBeLessThan(1500);
  });

  it('flush() with nothing appended resolves; close() is idempotent', async () => {
    const file = join(await dirs.make(), 'log.jsonl');
    const writer = new LogWriter({ fd: appendFd(file), file, durability: 'none' });
    await writer.flush();
    await writer.close();
    await writer.close();
    expect(() => writer.append('late')).toThrow(/after close/);
  });

  it('a write error rejects flush() and close() with LogWriteError, is reported once, and stops writing', async () => {
    const reported: LogWriteError[] = [];
    // /dev/full accepts the open and fails every write with ENOSPC: a full disk.
    const writer = new LogWriter({
      fd: appendFd('/dev/full'),
      file: '/dev/full',
      onError: (error) => reported.push(error),
    });
    writer.append('{"a":1}');
    const flushed = writer.flush();
    await expect(flushed).rejects.toBeInstanceOf(LogWriteError);
    await expect(flushed).rejects.toThrow(/\/dev\/full.*ENOSPC|ENOSPC.*\/dev\/full/s);
    writer.append('{"a":2}');
    await expect(writer.flush()).rejects.toBeInstanceOf(LogWriteError);
    await expect(writer.close()).rejects.toBeInstanceOf(LogWriteError);
    expect(reported).toHaveLength(1);
    expect(reported[0]!.file).toBe('/dev/full');
    expect((reported[0]!.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
  });

  it('a conversation whose log cannot be written reports it, and close() rejects with LogWriteError', async () => {
    const logger = collectingLogger();
    const store: EventStore = {
      open: () => {
        const writer = new LogWriter({
          fd: appendFd('/dev/full'),
          file: '/dev/full',
          onError: (error) => logger.error(error.message),
        });
        return {
          existing: [],
          append: (event) => writer.append(serializeEvent(event)),
          flush: () => writer.flush(),
          close: () => writer.close(),
        };
      },
      read: () => Promise.resolve([]),
      subscribe: () => () => undefined,
    };
    const conversation = new Conversation({
      agent: new Agent({ llm: new ScriptedLLM(['hi']) }),
      store,
      visualizer: false,
    });
    conversation.sendMessage('hello');
    await conversation.run();
    await expect(conversation.close()).rejects.toBeInstanceOf(LogWriteError);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toMatch(/Could not write the log \/dev\/full/);
  });
});
