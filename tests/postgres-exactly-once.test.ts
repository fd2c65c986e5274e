import { postgresSuite } from './helpers/postgres-suite.js';
import { describe, expect, it } from 'vitest';
import { until, userMessages } from './helpers/remote.js';

const db = postgresSuite();
const { fresh, attach, runner } = db;

describe('one runner at a time', () => {
  it('a second runner gets ConversationLeasedError while the first lives, and runs after it exits', async () => {
    const { url } = await fresh();
    const first = runner({
      url,
      conversations: ['c5'],
      steps: ['slow', 'done'],
      initialMessage: 'go',
    });
    await first.waitForType('tool_started');
    const second = runner({ url, conversations: ['c5'], steps: ['done'] });
    const refused = await second.waitForType('open_error');
    expect(refused).toMatchObject({ name: 'ConversationLeasedError' });
    expect(refused.message).toContain('c5');
    expect(refused.message).toContain(`pid ${first.process.pid}`);
    await second.close();

    first.send({ type: 'release', conversationId: 'c5' });
    await first.waitForType('run_result');
    await first.close();
    expect((await first.exited).code).toBe(0);

    const third = runner({ url, conversations: ['c5'], steps: ['done'] });
    expect(await third.waitForType('ready')).toMatchObject({ conversationId: 'c5' });
    expect(await third.waitForType('run_result')).toMatchObject({ status: 'finished' });
  });
});

describe('exactly once, in order, across processes', () => {
  it('the same message id sent from two controller processes is one message', async () => {
    const { url, store } = await fresh();
    const worker = runner({
      url,
      conversations: ['c6'],
      steps: ['slow', 'done'],
      initialMessage: 'start',
    });
    await worker.waitForType('tool_started');
    const a = db.children.start('pg-controller.ts', {
      url,
      conversations: { c6: [{ text: 'from A', id: 'same' }] },
    });
    const b = db.children.start('pg-controller.ts', {
      url,
      conversations: { c6: [{ text: 'from B', id: 'same' }] },
    });
    await Promise.all([a.waitForType('attached'), b.waitForType('attached')]);
    a.send({ type: 'go' });
    b.send({ type: 'go' });
    await Promise.all([a.waitForType('sent'), b.waitForType('sent')]);
    const remote = await attach(store, 'c6');
    await until(remote, (events) => userMessages(events).some((m) => m.id === 'same'));
    worker.send({ type: 'release', conversationId: 'c6' });

    const [outA, outB] = await Promise.all([a.waitForType('outcomes'), b.waitForType('outcomes')]);
    expect(outA.outcomes).toEqual(outB.outcomes);
    await worker.waitForType('run_result');
    await worker.close();
    const events = await store.read('c6');
    const same = userMessages(events).filter((m) => m.id === 'same');
    expect(same).toHaveLength(1);
    expect(['from A', 'from B']).toContain(same[0]!.content);
    const second = await worker.waitForType('request', { index: 1 });
    expect(second.userTexts).toEqual(['start', same[0]!.content]);
  });

  it('1,000 sends from three controller processes during a run: each arrives once, in each sender’s order', async () => {
    const { url, store } = await fresh();
    const worker = runner({
      url,
      conversations: ['c7'],
      steps: ['slow', 'done'],
      initialMessage: 'start',
    });
    await worker.waitForType('tool_started');
    const counts = [334, 333, 333];
    const controllers = counts.map((count, c) =>
      db.children.start('pg-controller.ts', {
        url,
        conversations: { c7: Array.from({ length: count }, (_, i) => ({ text: `s${c}-${i}` })) },
      }),
    );
    await Promise.all(controllers.map((c) => c.waitForType('attached')));
    for (const controller of controllers) controller.send({ type: 'go' });
    const sent = await Promise.all(controllers.map((c) => c.waitForType('sent')));
    // Every send is durable now; the runner logs them while its tool still runs.
    const remote = await attach(store, 'c7');
    expect(sent.flatMap((s) => s.ids as string[])).toHaveLength(1000);
    await until(remote, (events) => userMessages(events).length === 1001);
    worker.send({ type: 'release', conversationId: 'c7' });
    expect((await worker.waitForType('run_result')).status).toBe('finished');
    await worker.close();
    const outcomes = await Promise.all(controllers.map((c) => c.waitForType('outcomes')));

    const events = await store.read('c7');
    const messages = userMessages(events).slice(1);
    expect(messages).toHaveLength(1000);
    expect(new Set(messages.map((m) => m.id)).size).toBe(1000);
    for (let c = 0; c < 3; c++) {
      const mine = messages.filter((m) => m.content.startsWith(`s${c}-`)).map((m) => m.content);
      expect(mine).toEqual(Array.from({ length: counts[c]! }, (_, i) => `s${c}-${i}`));
    }
    const delivered = events.flatMap((e) => (e.kind === 'message_delivered' ? e.messageIds : []));
    expect(delivered.slice(1)).toEqual(messages.map((m) => m.id));
    for (const o of outcomes) {
      expect((o.outcomes as { status: string }[]).every((x) => x.status === 'delivered')).toBe(
        true,
      );
    }
    const second = await worker.waitForType('request', { index: 1 });
    expect((second.userTexts as string[]).slice(1)).toEqual(messages.map((m) => m.content));
  });
});
