import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, startCli } from './helpers/cli-process.js';
import { type TestPostgres, freePort, startPostgres } from './helpers/embedded-postgres.js';
import { Children } from './helpers/json-child.js';

let server: TestPostgres;
const children = new Children();
let clis: CliProcess[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterEach(async () => {
  for (const cli of clis) cli.child.kill();
  await Promise.all(clis.map((cli) => cli.child));
  clis = [];
  await children.killAll();
});
afterAll(async () => {
  await server?.remove();
});

function attachCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const cli = startCli(['attach', ...args], env);
  clis.push(cli);
  return cli;
}

describe('steerable attach --store <url> <conversationId>', () => {
  it('lines typed go to a runner in another process; /retract and /later work across processes', async () => {
    const url = await server.createDatabase();
    const worker = children.start('pg-runner.ts', {
      url,
      conversations: ['cli-1'],
      steps: ['slow', 'done'],
      initialMessage: 'start',
    });
    await worker.waitForType('tool_started');
    const cli = attachCli(['--store', url, 'cli-1']);
    await cli.waitFor('steerable attach · conversation cli-1 · running');
    await cli.waitFor('✓ read: start'); // the log so far
    cli.type('keep this');
    await cli.waitFor('⋯ pending: keep this');
    cli.type('drop this');
    await cli.waitFor('⋯ pending: drop this');
    cli.type('/retract');
    await cli.waitFor('↶ retracted: drop this');
    cli.type('/later afterwards');
    await cli.waitFor('⋯ pending [queue]: afterwards');
    worker.send({ type: 'release', conversationId: 'cli-1' });
    await cli.waitFor('✓ read: afterwards');

    expect((await worker.waitForType('request', { index: 1 })).userTexts).toEqual([
      'start',
      'keep this',
    ]);
    expect((await worker.waitForType('request', { index: 2 })).userTexts).toEqual([
      'start',
      'keep this',
      'afterwards',
    ]);
    expect(await worker.waitForType('run_result')).toMatchObject({ status: 'finished' });
    cli.type('/quit');
    const { exitCode } = await cli.child;
    expect(exitCode).toBe(0);
    expect(cli.output()).toContain('bye');
  });

  it('/now aborts the runner’s model request; /interrupt aborts its tool call and pauses it', async () => {
    const url = await server.createDatabase();
    const worker = children.start('pg-runner.ts', {
      url,
      conversations: ['cli-2'],
      steps: ['hold', 'slow', 'done'],
      initialMessage: 'start',
    });
    await worker.waitForType('request', { index: 0 });
    const cli = attachCli(['--store', url, 'cli-2']);
    await cli.waitFor('steerable attach');
    cli.type('/now use the slow tool');
    await worker.waitForType('request_aborted', { index: 0 });
    expect((await worker.waitForType('request', { index: 1 })).userTexts).toEqual([
      'start',
      'use the slow tool',
    ]);
    await worker.waitForType('tool_started');
    cli.type('/interrupt');
    await cli.waitFor('interrupted (status paused)');
    await worker.waitForType('tool_aborted');
    expect(await worker.waitForType('run_result')).toMatchObject({ status: 'paused' });
    cli.child.stdin.end();
    expect((await cli.child).exitCode).toBe(0);
  });

  it('a refused connection is a clear error and exit code 1', async () => {
    const port = await freePort();
    const cli = attachCli(['--store', `postgres://u:secret@127.0.0.1:${port}/db`, 'c']);
    const result = await cli.child;
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(
      /Cannot connect to PostgreSQL at .*127\.0\.0\.1.*refused/,
    );
    expect(String(result.stderr)).not.toContain('secret');
  });
});
