import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConversationEvent,
  CorruptLogError,
  EventLog,
  FileEventStore,
  parseEventLines,
  skipMarkerLine,
} from '../src/index.js';
import { readEventFileSync } from '../src/persistence/read-event-file.js';
import { collectingLogger, tempDirs } from './helpers/persistence.js';

// readEventFileSync reads in 64 KB pieces: lines and multi-byte characters cross them.
const PIECE = 64 * 1024;
const dirs = tempDirs();
afterEach(() => dirs.cleanup());

/** A closed log of `count` user messages whose texts are `text(i)`; returns its file. */
async function writeLog(dir: string, count: number, text: (i: number) => string) {
  const log = new EventLog(new FileEventStore(dir, { logger: collectingLogger() }).open('c1'));
  for (let i = 0; i < count; i++) {
    log.append({ kind: 'message', source: 'user', role: 'user', content: text(i) });
  }
  await log.close();
  return join(dir, 'c1', 'events.jsonl');
}

function contents(events: readonly ConversationEvent[]): string[] {
  return events.map((e) => (e.kind === 'message' ? e.content : e.kind));
}

describe('readEventFileSync', () => {
  it('reads lines and multi-byte characters that cross its pieces, as parseEventLines does', async () => {
    const dir = await dirs.make();
    // Lines of varied length, mostly multi-byte (é: 2 bytes, 🙂: 4 bytes), and one line
    // longer than a piece.
    const text = (i: number) =>
      i === 7 ? `${'🙂'.repeat(PIECE / 3)}|${i}` : `${'é'.repeat((i * 997) % 4000)}🙂${i}`;
    const file = await writeLog(dir, 120, text);
    expect(readFileSync(file).length).toBeGreaterThan(4 * PIECE);

    const read = readEventFileSync(file);
    expect(contents(read.parsed.events)).toEqual(Array.from({ length: 120 }, (_, i) => text(i)));
    expect(read.parsed).toEqual(parseEventLines(readFileSync(file, 'utf8'), file));
    expect(read.endsWithNewline).toBe(true);
    expect(read.bytes).toBe(readFileSync(file).length);
  });

  it('finds a torn last line and a marked fragment wherever the pieces end', async () => {
    const dir = await dirs.make();
    const file = await writeLog(dir, 30, (i) => `${'x'.repeat(5_000)} ${i}`);
    const whole = readFileSync(file, 'utf8');
    // A fragment (not JSON) right across the first piece boundary, its marker, then more events.
    const lines = whole.trimEnd().split('\n');
    const padded = lines.slice(0, 12).join('\n');
    expect(padded.length).toBeLessThan(PIECE - 100);
    const fragment = `{"kind":"message","content":"${'z'.repeat(PIECE - padded.length)}`;
    const marker = skipMarkerLine({ line: 13, text: fragment });
    writeFileSync(file, `${padded}\n${fragment}\n${marker}\n${lines.slice(12).join('\n')}\n`);
    let read = readEventFileSync(file);
    expect(read.parsed.skipped).toEqual([{ line: 13, text: fragment }]);
    expect(read.parsed.events).toHaveLength(30);

    appendFileSync(file, '{"conversationId":"c1","seq":30,"ki');
    read = readEventFileSync(file);
    expect(read.parsed.tornLastLine).toEqual({
      line: 33,
      text: '{"conversationId":"c1","seq":30,"ki',
    });
    expect(read.endsWithNewline).toBe(false);
    expect(read.parsed).toEqual(parseEventLines(readFileSync(file, 'utf8'), file));
  });

  it('names the bad line of a corrupt log, and reads a missing file as empty', async () => {
    const dir = await dirs.make();
    const file = await writeLog(dir, 40, (i) => `${'y'.repeat(3_000)} ${i}`);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    lines[25] = '{ not json';
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(() => readEventFileSync(file)).toThrow(CorruptLogError);
    expect(() => readEventFileSync(file)).toThrow(/:26\b/);

    expect(readEventFileSync(join(dir, 'none.jsonl'))).toEqual({
      parsed: { events: [] },
      bytes: 0,
      endsWithNewline: false,
    });
  });
});
