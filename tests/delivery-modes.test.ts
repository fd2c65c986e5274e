import { afterEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { deferred } from './helpers/deferred.js';
import { gatedTool, inState, nextEvent, scripted, userTexts } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

describe("'interrupt' delivery", () => {
  it('aborts the in-flight request and thinks again at once with the message', async () => {
    const never = deferred();
    const { conversation, llm } = scripted([
      { content: 'stale answer', delay: never.promise },
      ({ request }) => `Got: ${ScriptedLLM.lastUserMessage(request)}`,
    ]);
    open.push(conversation);
    conversation.sendMessage('first task');
    const done = conversation.run();
    await inState(conversation, 'thinking');
    const firstSignal = llm.calls[0]!.signal!;
    expect(firstSignal.aborted).toBe(false);

    const { outcome } = conversation.sendMessage('stop, do this instead', {
      delivery: 'interrupt',
    });

    expect(firstSignal.aborted).toBe(true);
    expect(llm.calls).toHaveLength(2);
    expect(userTexts(llm.requests[1]!)).toEqual(['first task', 'stop, do this instead']);
    expect(await done).toEqual({ status: 'finished', iterations: 2 });
    const delivered = await outcome;
    expect(delivered.status).toBe('delivered');
    const answers = conversation.events.filter(
      (e) => e.kind === 'message' && e.role === 'assistant',
    );
    expect(answers).toHaveLength(1);
  });

  it('is the conversation default with steering: interrupt', async () => {
    const never = deferred();
    const { conversation, llm } = scripted(
      [{ content: 'stale', delay: never.promise }, 'fresh'],
      undefined,
      { steering: 'interrupt' },
    );
    open.push(conversation);
    conversation.sendMessage('a');
    const done = conversation.run();
    await inState(conversation, 'thinking');
    conversation.sendMessage('b');
    expect(llm.calls[0]!.signal!.aborted).toBe(true);
    await done;
    expect(
      conversation.events.find((e) => e.kind === 'message' && e.content === 'b'),
    ).toMatchObject({
      delivery: 'interrupt',
    });
  });

  it('does not kill a running tool call: the message is read after it returns', async () => {
    const slow = gatedTool();
    const { conversation, llm } = scripted([ScriptedLLM.call('slow'), 'done'], [slow.tool]);
    open.push(conversation);
    conversation.sendMessage('go');
    const done = conversation.run();
    const signal = await slow.started();
    conversation.sendMessage('now!', { delivery: 'interrupt' });
    expect(signal.aborted).toBe(false);
    slow.release('tool output');
    await done;
    const observation = conversation.events.find((e) => e.kind === 'observation');
    expect(observation).toMatchObject({ content: 'tool output', isError: false });
    expect(userTexts(llm.requests[1]!)).toEqual(['go', 'now!']);
  });
});

describe("'queue' delivery", () => {
  it('is held until the run would finish, then starts the next turn', async () => {
    const slow = gatedTool();
    const { conversation, llm } = scripted(
      [ScriptedLLM.call('slow'), 'answer to the first task', 'answer to the follow-up'],
      [slow.tool],
    );
    open.push(conversation);
    conversation.sendMessage('first task');
    const done = conversation.run();
    await slow.started();
    const { outcome } = conversation.sendMessage('follow-up', { delivery: 'queue' });
    slow.release();
    expect(await done).toEqual({ status: 'finished', iterations: 3 });

    // The request after the tool result does not hold it; the one after the final answer does.
    expect(userTexts(llm.requests[1]!)).toEqual(['first task']);
    expect(userTexts(llm.requests[2]!)).toEqual(['first task', 'follow-up']);
    const firstAnswer = conversation.events.find(
      (e) => e.kind === 'message' && e.content === 'answer to the first task',
    )!;
    const read = await outcome;
    expect(read.status === 'delivered' && read.seq).toBeGreaterThan(firstAnswer.seq);
  });

  it('a queued message sent while idle is read when the run starts', async () => {
    const { conversation, llm } = scripted(['ok']);
    open.push(conversation);
    conversation.sendMessage('later', { delivery: 'queue' });
    await conversation.run();
    expect(userTexts(llm.requests[0]!)).toEqual(['later']);
  });

  it('steer messages are read before queued ones that were sent earlier', async () => {
    const slow = gatedTool();
    const { conversation, llm } = scripted(
      [ScriptedLLM.call('slow'), 'first', 'second'],
      [slow.tool],
    );
    open.push(conversation);
    conversation.sendMessage('task');
    const done = conversation.run();
    await slow.started();
    conversation.sendMessage('queued', { delivery: 'queue' });
    conversation.sendMessage('steered');
    slow.release();
    await done;
    expect(userTexts(llm.requests[1]!)).toEqual(['task', 'steered']);
    expect(userTexts(llm.requests[2]!)).toEqual(['task', 'steered', 'queued']);
  });
});

it('the log shows each message with its delivery mode', async () => {
  const { conversation } = scripted(['ok']);
  open.push(conversation);
  conversation.sendMessage('s');
  conversation.sendMessage('i', { delivery: 'interrupt' });
  conversation.sendMessage('q', { delivery: 'queue' });
  await conversation.run();
  const modes = conversation.events.flatMap((e) =>
    e.kind === 'message' && e.role === 'user' ? [[e.content, e.delivery]] : [],
  );
  expect(modes).toEqual([
    ['s', 'steer'],
    ['i', 'interrupt'],
    ['q', 'queue'],
  ]);
  await nextEvent(conversation, (e) => e.kind === 'state_update' && e.status === 'finished');
});

it('rejects an unknown delivery mode with a clear error', () => {
  const { conversation } = scripted([]);
  open.push(conversation);
  expect(() => conversation.sendMessage('x', { delivery: 'later' as never })).toThrow(
    /steer|queue/,
  );
});
