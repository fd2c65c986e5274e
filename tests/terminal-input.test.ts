import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseControlKey } from '../src/tools/terminal/control-keys.js';
import { ansiCQuote, evalLine } from '../src/tools/terminal/shell-quote.js';

const run = promisify(execFile);

describe('ansiCQuote', () => {
  it('round-trips any text through bash, control characters included', async () => {
    const samples = [
      'it\'s a "test" with \\ backslashes',
      'tabs\tnewlines\n\rcarriage and \x01\x03\x04\x1b[31m controls\x7f',
      'unicode é 🌍 and $HOME `date` $(id) !!',
      '',
    ];
    for (const text of samples) {
      const quoted = ansiCQuote(text);
      // eslint-disable-next-line no-control-regex
      expect(quoted).not.toMatch(/[\x00-\x1f\x7f]/);
      const { stdout } = await run('bash', ['-c', `printf %s ${quoted}`]);
      expect(stdout).toBe(text);
    }
  });

  it('evalLine splits long commands into short physical lines', () => {
    const line = evalLine('x'.repeat(2_000));
    const lines = line.split('\n');
    expect(Math.max(...lines.map((l) => Buffer.byteLength(l)))).toBeLessThan(1_100);
    expect(line.endsWith('\n')).toBe(true);
  });
});

describe('parseControlKey', () => {
  it('maps C-<letter> and ^<letter> to control characters', () => {
    expect(parseControlKey('C-c')).toBe('\x03');
    expect(parseControlKey('C-D')).toBe('\x04');
    expect(parseControlKey(' C-z ')).toBe('\x1a');
    expect(parseControlKey('^C')).toBe('\x03');
    expect(parseControlKey('C-cc')).toBeUndefined();
    expect(parseControlKey('echo C-c')).toBeUndefined();
  });
});
