import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Conversation } from '../src/index.js';
import { PostgresEventStore } from '../src/postgres/index.js';
import { type TestPostgres, startPostgres } from './helpers/embedded-postgres.js';
import { until, userMessages } from './helpers/remote.js';

const root = join(import.meta.dirname, '..');
let server: TestPostgres;

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.remove();
});

/** Starts `examples/postgres/<file>` the way its header says, offline. */
function example(file: string, args: string[], url: string) {
  return execa('node', ['--import', 'tsx', join('examples', 'postgres', file), ...args], {
    cwd: root,
    env: { DATABASE_URL: url, LLM_API_KEY: '', NO_COLOR: '1' },
    all: true,
    reject: false,
  });
}

/** Resolves with the first line a process prints that matches. */
function lineOf(child: ReturnType<typeof example>, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const line = seen.split('\n').find((candidate) => pattern.test(candidate));
      if (line !== undefined) {
        child.all?.off('data', onData);
        resolve(line);
      }
    };
    child.all?.on('data', onData);
    void child.then((result) => reject(new Error(`exited before ${pattern}:\n${result.all}`)));
  });
}

it('examples/postgres: a message sent with no runner waits; the runner reads it and a second one sent while it works', async () => {
  const url = await server.createDatabase();
  const store = new PostgresEventStore({ connectionString: url });
  const id = 'example-1';

  // No runner lives yet: the message waits in PostgreSQL.
  const first = example('controller.ts', [id, 'Also do X'], url);
  await lineOf(first, /^controller: message .* is stored/);

  const runner = example('runner.ts', [id], url);
  const firstResult = await first;
  expect(firstResult.exitCode, firstResult.all).toBe(0);
  expect(firstResult.all).toMatch(/controller: outcome \{"status":"delivered","seq":\d+\}/);

  // Sent while the runner works through its `sleep` tool (or, on a slow machine, after it
  // finished: then it runs again). Either way the model reads both, in order.
  const second = await example('controller.ts', [id, 'Then do Y'], url);
  expect(second.exitCode, second.all).toBe(0);
  expect(second.all).toMatch(/controller: outcome \{"status":"delivered","seq":\d+\}/);

  const remote = await Conversation.attach({ store, conversationId: id });
  const answer = 'Messages I read: Also do X | Then do Y';
  await until(remote, (events) => JSON.stringify(events).includes(answer));
  expect(userMessages(remote.events).map((m) => m.content)).toEqual(['Also do X', 'Then do Y']);
  await remote.close();

  runner.kill('SIGTERM');
  const stopped = await runner;
  expect(stopped.exitCode, stopped.all).toBe(0);
  expect(stopped.all).toMatch(/runner: example-1 has \d+ events; running/);
  await store.close();
});
