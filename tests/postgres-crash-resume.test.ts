import { postgresSuite } from './helpers/postgres-suite.js';
import { expect, it } from 'vitest';
import { Conversation, type MessageEvent, PROCESS_STOPPED_MESSAGE } from '../src/index.js';
import { PostgresEventStore } from '../src/postgres/index.js';
import { until } from './helpers/remote.js';
import { leaseReleased } from './helpers/lease.js';

const db = postgresSuite();

it('a runner killed with SIGKILL mid-tool: messages sent meanwhile wait; a new runner resumes without gap or duplicate', async () => {
  const url = await db.server.createDatabase();
  const store = new PostgresEventStore({ connectionString: url });
  db.onCleanup(() => store.close());

  const first = db.children.start('pg-runner.ts', {
    url,
    conversations: ['crash'],
    steps: ['slow', 'done'],
    initialMessage: 'start',
  });
  await first.waitForType('tool_started');
  const remote = await Conversation.attach({ store, conversationId: 'crash' });
  db.onCleanup(() => remote.close());
  // The action is stored: the process dies in the middle of its tool call.
  await until(remote, (events) => events.some((e) => e.kind === 'action'));
  expect(await store.isRunning('crash')).toBe(true);
  await first.kill('SIGKILL');
  await leaseReleased(url, 'crash');
  expect(await store.isRunning('crash')).toBe(false);

  const second = await remote.sendMessage('second');
  const third = await remote.sendMessage('third', { id: 'm-third' });
  // Durable with no runner alive: a pause has nothing to wait for.
  await remote.pause();

  const resumed = db.children.start('pg-runner.ts', {
    url,
    conversations: ['crash'],
    steps: ['done'],
  });
  const ready = await resumed.waitForType('ready');
  expect(ready.pending).toEqual(['second', 'third']);
  const request = await resumed.waitForType('request', { index: 0 });
  expect(request.userTexts).toEqual(['start', 'second', 'third']);
  expect(request.toolTexts).toEqual([PROCESS_STOPPED_MESSAGE]);
  expect(await resumed.waitForType('run_result')).toMatchObject({ status: 'finished' });
  await resumed.close(); // flushes the log

  const events = await store.read('crash');
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  const action = events.find((e) => e.kind === 'action')!;
  const observations = events.filter((e) => e.kind === 'observation');
  expect(observations).toHaveLength(1);
  expect(observations[0]).toMatchObject({
    actionId: action.id,
    isError: true,
    content: PROCESS_STOPPED_MESSAGE,
  });
  const messages = events.filter(
    (e): e is MessageEvent => e.kind === 'message' && e.role === 'user',
  );
  expect(messages.map((m) => m.content)).toEqual(['start', 'second', 'third']);
  expect(events.some((e) => e.kind === 'pause')).toBe(false);

  const [secondOutcome, thirdOutcome] = await Promise.all([second.outcome, third.outcome]);
  const delivered = events.find(
    (e) => e.kind === 'message_delivered' && e.messageIds.includes('m-third'),
  )!;
  expect(delivered).toMatchObject({ messageIds: [second.id, 'm-third'] });
  expect(secondOutcome).toEqual({ status: 'delivered', seq: delivered.seq });
  expect(thirdOutcome).toEqual({ status: 'delivered', seq: delivered.seq });
  expect(events.at(-1)).toMatchObject({ kind: 'state_update', status: 'finished' });
});
