import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { MessageEvent } from '../src/index.js';
import { PostgresEventStore } from '../src/postgres/index.js';
import { Children } from './helpers/json-child.js';
import { type TestPostgres, startPostgres } from './helpers/embedded-postgres.js';

let server: TestPostgres;
const children = new Children();
let store: PostgresEventStore | undefined;

beforeAll(async () => {
  server = await startPostgres();
});
afterEach(async () => {
  await children.killAll();
  await store?.close();
});
afterAll(async () => {
  await server?.remove();
});

it('100 conversations on two runner processes, steered by a third: all finish with their messages', async () => {
  const url = await server.createDatabase();
  const ids = Array.from({ length: 100 }, (_, i) => `conv-${i}`);
  const halves = [ids.slice(0, 50), ids.slice(50)];
  const runners = halves.map((conversations) =>
    children.start('pg-runner.ts', {
      url,
      conversations,
      steps: ['await-message', 'done'],
      initialMessage: 'start',
    }),
  );
  // Every conversation waits in its tool for a message from the controller.
  await Promise.all(
    halves.flatMap((half, r) =>
      half.map((id) => runners[r]!.waitForType('tool_started', { conversationId: id })),
    ),
  );
  const controller = children.start('pg-controller.ts', {
    url,
    conversations: Object.fromEntries(ids.map((id) => [id, [{ text: `steer ${id}` }]])),
  });
  await controller.waitForType('attached');
  controller.send({ type: 'go' });
  const { outcomes } = await controller.waitForType('outcomes');
  expect((outcomes as { status: string }[]).map((o) => o.status)).toEqual(
    ids.map(() => 'delivered'),
  );

  const results = await Promise.all(
    halves.flatMap((half, r) =>
      half.map((id) => runners[r]!.waitForType('run_result', { conversationId: id })),
    ),
  );
  expect(results.map((r) => r.status)).toEqual(ids.map(() => 'finished'));
  for (const [r, half] of halves.entries()) {
    for (const id of half) {
      const second = await runners[r]!.waitForType('request', { conversationId: id, index: 1 });
      expect(second.userTexts).toEqual(['start', `steer ${id}`]);
    }
  }
  await Promise.all([...runners, controller].map((child) => child.close()));

  store = new PostgresEventStore({ connectionString: url });
  for (const id of ids) {
    const events = await store.read(id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    const texts = events
      .filter((e): e is MessageEvent => e.kind === 'message' && e.role === 'user')
      .map((m) => m.content);
    expect(texts).toEqual(['start', `steer ${id}`]);
    expect(events.at(-1)).toMatchObject({ kind: 'state_update', status: 'finished' });
  }
});
