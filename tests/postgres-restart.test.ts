import { postgresSuite } from './helpers/postgres-suite.js';
import { expect, it } from 'vitest';
import {
  Conversation,
  type ConversationEvent,
  ConversationRunError,
  type MessageEvent,
} from '../src/index.js';
import { PostgresEventStore, StoreUnavailableError } from '../src/postgres/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { gatedTool, nextEvent, scripted, userTexts } from './helpers/conversation.js';
import { until } from './helpers/remote.js';

const db = postgresSuite();

const userMessage = (content: string) => (e: ConversationEvent) =>
  e.kind === 'message' && e.role === 'user' && e.content === content;

it('PostgreSQL stops and starts again during a run: the runner reconnects and nothing acknowledged is lost', async () => {
  const url = await db.server.createDatabase();
  const runnerStore = new PostgresEventStore({
    connectionString: url,
    reconnectTimeoutMs: 120_000,
  });
  const controllerStore = new PostgresEventStore({
    connectionString: url,
    reconnectTimeoutMs: 120_000,
  });
  db.onCleanup(
    () => runnerStore.close(),
    () => controllerStore.close(),
  );
  const slow = gatedTool();
  const { conversation, llm } = scripted(
    [ScriptedLLM.call('slow'), ScriptedLLM.call('slow'), 'done'],
    [slow.tool],
    {
      store: runnerStore,
      conversationId: 'restart',
    },
  );
  db.onCleanup(() => conversation.close());
  conversation.sendMessage('start');
  const done = conversation.run();
  await slow.started();
  const remote = await Conversation.attach({ store: controllerStore, conversationId: 'restart' });
  db.onCleanup(() => remote.close());
  const before = await remote.sendMessage('sent before the restart');
  await before.event;

  await db.server.stop();
  // The runner goes on while the database is down; its events wait in memory.
  slow.release('first result');
  await slow.started();
  await db.server.start();

  const after = await remote.sendMessage('sent after the restart');
  await nextEvent(conversation, userMessage('sent after the restart'));
  slow.release('second result');
  expect(await done).toEqual({ status: 'finished', iterations: 3 });
  expect(userTexts(llm.requests[1]!)).toEqual(['start', 'sent before the restart']);
  expect(userTexts(llm.requests[2]!)).toEqual([
    'start',
    'sent before the restart',
    'sent after the restart',
  ]);
  // Stored (so the lease was taken again first), and seen by the controller.
  await until(remote, (events) => events.length === conversation.events.length);
  expect(await runnerStore.isRunning('restart')).toBe(true);
  expect(await before.outcome).toMatchObject({ status: 'delivered' });
  expect(await after.outcome).toMatchObject({ status: 'delivered' });

  await conversation.close();
  const stored = await controllerStore.read('restart');
  expect(stored).toEqual(conversation.events);
  expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i));
  const messages = stored.filter(
    (e): e is MessageEvent => e.kind === 'message' && e.role === 'user',
  );
  expect(messages.map((m) => m.content)).toEqual([
    'start',
    'sent before the restart',
    'sent after the restart',
  ]);
});

it('PostgreSQL stays down longer than reconnectTimeoutMs: the run stops with status error and an agent_error event', async () => {
  const url = await db.server.createDatabase();
  const store = new PostgresEventStore({ connectionString: url, reconnectTimeoutMs: 300 });
  db.onCleanup(() => store.close());
  const slow = gatedTool();
  const { conversation } = scripted([ScriptedLLM.call('slow'), 'done'], [slow.tool], {
    store,
    conversationId: 'down',
  });
  db.onCleanup(() => conversation.close());
  conversation.sendMessage('start');
  const failed = conversation.run().then(
    () => undefined,
    (e: unknown) => e,
  );
  const signal = await slow.started();
  await db.server.stop();
  db.onCleanup(() => db.server.start());

  const error = await failed;
  expect(error).toBeInstanceOf(ConversationRunError);
  expect((error as ConversationRunError).cause).toBeInstanceOf(StoreUnavailableError);
  expect(conversation.status).toBe('error');
  expect(signal.aborted).toBe(true);
  const failure = conversation.events.find((e) => e.kind === 'agent_error');
  expect(failure).toMatchObject({ code: 'store_unavailable' });
  expect((failure as { message: string }).message).toMatch(/unreachable for more than 300 ms/);
  expect(conversation.events.filter((e) => e.kind === 'state_update').at(-1)).toMatchObject({
    status: 'error',
  });
  await conversation.close(); // does not throw: the failure was reported
});
