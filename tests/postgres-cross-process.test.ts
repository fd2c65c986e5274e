import { postgresSuite } from './helpers/postgres-suite.js';
import { describe, expect, it } from 'vitest';
import { until } from './helpers/remote.js';

const db = postgresSuite();
const { fresh, attach, runner } = db;

describe('steering a runner in another process', () => {
  it('a message sent during acting is in the next model request; its outcome is the runner’s message_delivered seq', async () => {
    const { url, store } = await fresh();
    const worker = runner({
      url,
      conversations: ['c1'],
      steps: ['slow', 'done'],
      initialMessage: 'start',
    });
    await worker.waitForType('tool_started', { conversationId: 'c1' });
    const remote = await attach(store, 'c1');
    const handle = await remote.sendMessage('also do X', { id: 'm-x' });
    await handle.event; // the runner logged it: now let the tool finish
    worker.send({ type: 'release', conversationId: 'c1' });

    const outcome = await handle.outcome;
    const second = await worker.waitForType('request', { index: 1 });
    expect(second.userTexts).toEqual(['start', 'also do X']);
    const result = await worker.waitForType('run_result', { conversationId: 'c1' });
    expect(result.status).toBe('finished');
    await worker.close(); // flushes the log

    const events = await store.read('c1');
    const delivered = events.find(
      (e) => e.kind === 'message_delivered' && e.messageIds.includes('m-x'),
    )!;
    expect(outcome).toEqual({ status: 'delivered', seq: delivered.seq });
    const message = events.find((e) => e.id === 'm-x')!;
    const action = events.find((e) => e.kind === 'action')!;
    const observation = events.find((e) => e.kind === 'observation')!;
    // Logged while the tool ran, read after it returned.
    expect(message.seq).toBeGreaterThan(action.seq);
    expect(message.seq).toBeLessThan(observation.seq);
    expect(delivered.seq).toBeGreaterThan(observation.seq);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  });

  it('interrupt delivery aborts the runner’s in-flight model request', async () => {
    const { url, store } = await fresh();
    const worker = runner({
      url,
      conversations: ['c2'],
      steps: ['hold', 'done'],
      initialMessage: 'start',
    });
    await worker.waitForType('request', { index: 0 });
    const remote = await attach(store, 'c2');
    const handle = await remote.sendMessage('stop, do Y instead', { delivery: 'interrupt' });

    await worker.waitForType('request_aborted', { index: 0 });
    const retry = await worker.waitForType('request', { index: 1 });
    expect(retry.userTexts).toEqual(['start', 'stop, do Y instead']);
    expect(await handle.outcome).toMatchObject({ status: 'delivered' });
    expect((await worker.waitForType('run_result')).status).toBe('finished');
    await worker.close();
    const events = await store.read('c2');
    expect(events.some((e) => e.kind === 'message' && e.content === 'held')).toBe(false);
  });

  it('interrupt() from the controller aborts the running tool call; the runner pauses', async () => {
    const { url, store } = await fresh();
    const worker = runner({
      url,
      conversations: ['c3'],
      steps: ['slow', 'done'],
      initialMessage: 'start',
    });
    await worker.waitForType('tool_started', { conversationId: 'c3' });
    const remote = await attach(store, 'c3');
    await remote.interrupt();

    expect(remote.status).toBe('paused');
    await worker.waitForType('tool_aborted', { conversationId: 'c3' });
    expect(await worker.waitForType('run_result')).toMatchObject({ status: 'paused' });
    const observation = remote.events.find((e) => e.kind === 'observation');
    expect(observation).toMatchObject({ isError: true });
    expect(remote.events.some((e) => e.kind === 'pause' && e.interrupt === true)).toBe(true);
  });

  it('pause() from the controller waits for the running tool call, then the runner is paused', async () => {
    const { url, store } = await fresh();
    const worker = runner({
      url,
      conversations: ['c4'],
      steps: ['slow', 'done'],
      initialMessage: 'start',
    });
    await worker.waitForType('tool_started', { conversationId: 'c4' });
    const remote = await attach(store, 'c4');
    const pausing = remote.pause();
    await until(remote, (events) => events.some((e) => e.kind === 'pause'));
    worker.send({ type: 'release', conversationId: 'c4' });
    await pausing;
    expect(remote.status).toBe('paused');
    expect(remote.events.find((e) => e.kind === 'observation')).toMatchObject({
      content: 'slow done',
      isError: false,
    });
    expect(await worker.waitForType('run_result')).toMatchObject({ status: 'paused' });
  });
});
