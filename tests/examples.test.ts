import { readdirSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main as hello } from '../examples/01-hello-world.js';
import { main as seed } from '../examples/02-send-message-while-running.js';
import { main as pauseAndResume } from '../examples/03-pause-and-resume.js';
import { main as persistence } from '../examples/04-persistence-and-resume.js';
import { main as confirmation } from '../examples/05-confirmation-mode.js';
import { main as customTool } from '../examples/06-custom-tool.js';
import { main as interruption } from '../examples/07-steering-by-interruption.js';
import { main as streaming } from '../examples/08-streaming.js';
import { main as many } from '../examples/09-many-conversations.js';

const quiet = { visualizer: false, print: () => undefined };

// Offline, whatever the environment says.
beforeEach(() => {
  vi.stubEnv('LLM_API_KEY', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the examples, offline', () => {
  it('01 hello world writes hello.txt', async () => {
    const result = await hello(quiet);
    expect(result.status).toBe('finished');
    expect(result.text).toBe('Hello, world!\n');
  });

  it('02 a message sent while the agent waits in the terminal becomes line 3', async () => {
    const result = await seed({
      ...quiet,
      waitSeconds: 0,
      // Exactly while the terminal command runs, instead of two seconds in.
      sendWhen: (conversation) =>
        firstValueFrom(
          conversation.events$.pipe(
            filter((e) => e.kind === 'action' && e.toolName === 'terminal'),
          ),
        ),
    });
    expect(result.success).toBe(true);
    const lines = result.document.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^Message 3 sent at \d\d:\d\d:\d\d, written at \d\d:\d\d:\d\d\.$/);
  });

  it('03 pause, a message while paused, resume', async () => {
    const result = await pauseAndResume(quiet);
    expect(result.paused).toBe('paused');
    expect(result.resumed).toBe('finished');
    expect(result.commands).toEqual(
      ['step 1', 'step 2', 'step 3', 'step 4'].map((s) => `echo "${s}"`),
    );
  });

  it('04 a conversation resumes from its log after a restart, pending message included', async () => {
    const result = await persistence(quiet);
    expect(result.status).toBe('finished');
    expect(result.count).toBe('1\n2\n3\n');
    expect(result.done).toBe('done\n');
  });

  it('05 a risky action is rejected with a reason, the safer one approved', async () => {
    const result = await confirmation(quiet);
    expect(result.status).toBe('finished');
    expect(result.decisions).toEqual([
      'rejected rm -rf build (risk medium): Too broad: keep the directory and its text files, delete only the object files.',
      'approved rm build/app.o (risk medium)',
    ]);
    await expect(access(join(result.workspace, 'build/notes.txt'))).resolves.toBeUndefined();
    await expect(access(join(result.workspace, 'build/app.o'))).rejects.toThrow();
  });

  it('06 a custom zod tool: a bad call becomes an error the model corrects', async () => {
    const result = await customTool(quiet);
    expect(result.status).toBe('finished');
    expect(result.observations).toEqual([
      {
        content: expect.stringContaining('`value`: Invalid input: expected number'),
        isError: true,
      },
      { content: '100 °F = 37.8 °C', isError: false },
    ]);
  });

  it('07 an interrupting message aborts the request; interrupt() stops a tool call', async () => {
    const result = await interruption(quiet);
    expect(result.first).toEqual({ status: 'finished', iterations: 2 });
    expect(result.interrupted).toBe('paused');
    expect(result.last).toBe('finished');
    const kinds = result.events.map((e) => (e.kind === 'message' ? `${e.kind}:${e.role}` : e.kind));
    // The aborted essay never reached the log.
    expect(
      result.events.some((e) => e.kind === 'message' && e.content.startsWith('Chapter 1')),
    ).toBe(false);
    expect(kinds.filter((k) => k === 'pause')).toHaveLength(1);
    expect(
      result.events.find((e) => e.kind === 'observation' && e.toolName === 'terminal'),
    ).toMatchObject({ isError: true, content: expect.stringContaining('Interrupted') });
  });

  it('08 streaming: the pieces on deltas$ add up to the logged answer', async () => {
    const pieces: string[] = [];
    const result = await streaming({ write: (text) => pieces.push(text) });
    expect(result.status).toBe('finished');
    expect(result.pieces).toBeGreaterThan(5);
    expect(result.streamed).toBe(result.logged);
    expect(pieces.join('')).toBe(`${result.logged}\n`);
  });

  it('09 many conversations at once, each steered by its own message', async () => {
    const result = await many({ ...quiet, count: 20 });
    expect(result.ok).toBe(true);
    expect(result.results.every((r) => r.status === 'finished')).toBe(true);
  });
});

describe('the examples run as programs', () => {
  const root = join(import.meta.dirname, '..');
  const files = readdirSync(join(root, 'examples'))
    .filter((f) => /^\d\d-.*\.ts$/.test(f))
    .sort();

  it('there are nine', () => {
    expect(files).toHaveLength(9);
  });

  // Concurrently: each is a separate process.
  it.concurrent.for(files)('npx tsx examples/%s exits 0 offline', async (file, { expect }) => {
    const result = await execa(process.execPath, ['--import', 'tsx', join('examples', file)], {
      cwd: root,
      reject: false,
      env: { NO_COLOR: '1', LLM_API_KEY: '' },
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    if (file.startsWith('02-')) expect(result.stdout).toContain('SUCCESS');
  });
});
