import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { serializeEvent } from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import type { InspectorSnapshot } from '../src/visualizer/index.js';
import { scripted } from './helpers/conversation.js';

let children: ChildProcess[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  children = [];
  dirs = [];
});

/** Runs the command line from source, as `npx steerable ...` runs it from dist. */
function cli(...args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern);
        if (match) {
          child.stdout!.off('data', check);
          resolve(match);
        }
      };
      child.stdout!.on('data', check);
      check();
      void exited.then(() => reject(new Error(`exited before printing ${pattern}: ${stderr}`)));
    });
  return { child, exited, line, output: () => ({ stdout, stderr }) };
}

async function writeLog(): Promise<string> {
  const { conversation } = scripted([ScriptedLLM.call('echo', { text: 'hi' }), 'done']);
  conversation.sendMessage('echo hi');
  await conversation.run();
  await conversation.close();
  const root = await mkdtemp(join(tmpdir(), 'inspect-cli-'));
  dirs.push(root);
  const dir = join(root, 'conv-7');
  await mkdir(dir);
  await writeFile(
    join(dir, 'events.jsonl'),
    conversation.events.map((e) => `${serializeEvent(e)}\n`).join(''),
  );
  return dir;
}

it('`steerable inspect <dir>` prints the URL, serves the log, and stops on Ctrl-C', async () => {
  const dir = await writeLog();
  const run = cli('inspect', dir);
  const [, url] = await run.line(/(http:\/\/127\.0\.0\.1:\d+\/)/);
  const snapshot = (await (await fetch(new URL('/api/snapshot', url))).json()) as InspectorSnapshot;
  expect(snapshot.mode).toBe('log');
  expect(snapshot.title).toBe(join(dir, 'events.jsonl'));
  expect(snapshot.summary.state).toBe('idle.finished');
  expect(snapshot.following).toBe(true);
  expect((await fetch(url!)).status).toBe(200);

  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
  expect(run.output().stdout).toContain('Inspector stopped.');
});

it('`steerable inspect --no-follow` reads the log once', async () => {
  const dir = await writeLog();
  const run = cli('inspect', dir, '--no-follow');
  const [, url] = await run.line(/(http:\/\/127\.0\.0\.1:\d+\/)/);
  const snapshot = (await (await fetch(new URL('/api/snapshot', url))).json()) as InspectorSnapshot;
  expect(snapshot.summary.state).toBe('idle.finished');
  expect(snapshot.following).toBeUndefined();
  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
});

it('`steerable inspect` names a path that holds no log, and exits with 1', async () => {
  const root = await mkdtemp(join(tmpdir(), 'inspect-cli-'));
  dirs.push(root);
  const run = cli('inspect', join(root, 'missing'));
  expect(await run.exited).toBe(1);
  expect(run.output().stderr).toContain(
    `steerable inspect: No events log at ${join(root, 'missing')}: the path does not exist`,
  );
});
