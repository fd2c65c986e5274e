import { describe, expect, it } from 'vitest';
import { cleanTerminalText, maskSecrets } from '../src/tools/terminal/clean-output.js';
import { OutputBuffer } from '../src/tools/terminal/output-buffer.js';
import { promptCommand, PromptMarkerScanner } from '../src/tools/terminal/prompt-marker.js';
import { truncateMiddle } from '../src/tools/terminal/truncate.js';

describe('truncateMiddle', () => {
  it('leaves text within the limit alone', () => {
    expect(truncateMiddle('short', 10)).toBe('short');
    expect(truncateMiddle('x'.repeat(30_000))).toHaveLength(30_000);
  });

  it('keeps head and tail with a marker that counts what was cut, within the limit', () => {
    const text = `HEAD${'m'.repeat(50_000)}TAIL`;
    const cut = truncateMiddle(text, 1_000);
    expect(cut.length).toBeLessThanOrEqual(1_000);
    expect(cut.startsWith('HEAD')).toBe(true);
    expect(cut.endsWith('TAIL')).toBe(true);
    const omitted = Number(/\[\.\.\. (\d+) characters omitted/.exec(cut)?.[1]);
    const marker =
      /\n\[\.\.\. \d+ characters omitted from the middle of the output \.\.\.\]\n/.exec(cut)?.[0];
    expect(omitted + cut.length - (marker?.length ?? 0)).toBe(text.length);
  });

  it('counts characters already dropped by the buffer', () => {
    const cut = truncateMiddle(
      { head: 'a'.repeat(600), tail: 'b'.repeat(600), omitted: 5_000 },
      1_000,
    );
    expect(cut).toMatch(/^a+\n\[\.\.\. (\d+) characters omitted/);
    expect(cut).toMatch(/\]\nb+$/);
    const omitted = Number(/\[\.\.\. (\d+) characters/.exec(cut)?.[1]);
    const kept = cut.replace(/\n\[[^\]]+\]\n/, '').length;
    expect(omitted + kept).toBe(6_200);
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateMiddle('🌍'.repeat(2_000), 501);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(cut).not.toMatch(/(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});

describe('OutputBuffer', () => {
  it('keeps everything up to twice its limit', () => {
    const buffer = new OutputBuffer(10);
    buffer.append('0123456789abcdefghij');
    expect(buffer.drain()).toEqual({ head: '0123456789', tail: 'abcdefghij', omitted: 0 });
    expect(buffer.isEmpty).toBe(true);
  });

  it('keeps the first and last `limit` characters of a long stream and counts the rest', () => {
    const buffer = new OutputBuffer(5);
    for (let i = 0; i < 1_000; i++) buffer.append(String(i % 10));
    const { head, tail, omitted } = buffer.drain();
    expect(head).toBe('01234');
    expect(tail).toBe('56789');
    expect(omitted).toBe(990);
  });
});

describe('cleanTerminalText and maskSecrets', () => {
  it('removes escape sequences and control characters and applies carriage returns', () => {
    expect(cleanTerminalText('\x1b[1;31mbold red\x1b[0m\x07\n\x1b]0;title\x07ok')).toBe(
      'bold red\nok',
    );
    expect(cleanTerminalText('10%\r50%\r100%\r\ndone\r\n')).toBe('100%\ndone\n');
    expect(cleanTerminalText('tabs\tstay')).toBe('tabs\tstay');
  });

  it('masks secret values of four characters or more', () => {
    expect(maskSecrets('key=abcd1234 and abcd1234', ['abcd1234', 'ab'])).toBe(
      'key=<secret-hidden> and <secret-hidden>',
    );
  });
});

describe('PromptMarkerScanner', () => {
  const nonce = 'n0nce';
  const marker = (code: number, pid: number, cwd: string) =>
    `\x1eSTEERABLE:${nonce}\x1f${code}\x1f${pid}\x1f${cwd}\x1e`;

  it('splits output and markers, even when chunks cut a marker anywhere', () => {
    const stream = `hello\n${marker(3, 42, '/work/dir with space')}after`;
    for (let cut = 0; cut <= stream.length; cut++) {
      const scanner = new PromptMarkerScanner(nonce);
      const pieces = [...scanner.push(stream.slice(0, cut)), ...scanner.push(stream.slice(cut))];
      const text = pieces.flatMap((p) => (p.kind === 'output' ? [p.text] : [])).join('');
      const prompts = pieces.flatMap((p) => (p.kind === 'prompt' ? [p.marker] : []));
      expect(text).toBe('hello\nafter');
      expect(prompts).toEqual([{ exitCode: 3, pid: 42, cwd: '/work/dir with space' }]);
    }
  });

  it('ignores markers with another nonce and the text of PROMPT_COMMAND itself', () => {
    const scanner = new PromptMarkerScanner(nonce);
    const fake = `\x1eSTEERABLE:other\x1f0\x1f1\x1f/\x1e`;
    const pieces = scanner.push(`${fake}${promptCommand(nonce)}\n`);
    expect(pieces.every((p) => p.kind === 'output')).toBe(true);
  });
});
