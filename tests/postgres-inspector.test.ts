import { postgresSuite } from './helpers/postgres-suite.js';
import { expect, it } from 'vitest';
import { PostgresEventStore } from '../src/postgres/index.js';
import {
  type Inspector,
  type InspectorSnapshot,
  type InspectorUpdate,
  startInspector,
} from '../src/visualizer/index.js';
import { type SseClient, openStream } from './helpers/sse.js';

const db = postgresSuite();

async function post(inspector: Inspector, path: string, body: unknown) {
  const response = await fetch(new URL(path, inspector.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: inspector.url.replace(/\/$/, '') },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Resolves with the first update of the stream whose summary matches. */
function update(stream: SseClient, match: (u: InspectorUpdate) => boolean) {
  return stream
    .waitFor((e) => e.event === 'update' && match(JSON.parse(e.data) as InspectorUpdate))
    .then((e) => JSON.parse(e.data) as InspectorUpdate);
}

it('startInspector({ store, conversationId }) shows a conversation another process runs, live, and steers it', async () => {
  const url = await db.server.createDatabase();
  const worker = db.children.start('pg-runner.ts', {
    url,
    conversations: ['shown'],
    steps: ['slow', 'done'],
    initialMessage: 'start',
  });
  await worker.waitForType('tool_started');
  const store = new PostgresEventStore({ connectionString: url });
  db.onCleanup(() => store.close());
  const inspector = await startInspector({ store, conversationId: 'shown' });
  db.onCleanup(() => inspector.close());

  const snapshot = (await (
    await fetch(new URL('/api/snapshot', inspector.url))
  ).json()) as InspectorSnapshot;
  expect(snapshot).toMatchObject({ mode: 'live', conversationId: 'shown', controls: true });
  expect(snapshot.timeline.some((row) => row.event.kind === 'action')).toBe(true);
  expect(snapshot.summary.status).toBe('running');
  expect(snapshot.summary.state).toBe('acting');

  const stream = await openStream(new URL('/api/stream', inspector.url).toString());
  db.onCleanup(async () => stream.destroy());
  const sent = await post(inspector, '/api/send', { text: 'from the page', id: 'page-1' });
  expect(sent).toEqual({ status: 200, body: { id: 'page-1' } });
  const arrived = await update(stream, (u) => u.messages.some((m) => m.id === 'page-1'));
  expect(arrived.summary.pending).toEqual(['page-1']);

  const run = await post(inspector, '/api/run', {});
  expect(run.status).toBe(400);
  expect(String(run.body.error)).toMatch(/another process/);

  worker.send({ type: 'release', conversationId: 'shown' });
  const finished = await update(stream, (u) => u.summary.status === 'finished');
  expect(finished.summary.pending).toEqual([]);
  const second = await worker.waitForType('request', { index: 1 });
  expect(second.userTexts).toEqual(['start', 'from the page']);
});
