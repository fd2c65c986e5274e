import { afterEach, describe, expect, it } from 'vitest';
import { type Conversation, INTERRUPTED_MESSAGE, NOT_RUN_MESSAGE } from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { deferred } from './helpers/deferred.js';
import { gatedTool, inState, kinds, scripted, toolTexts } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

describe('pause()', () => {
  it('during thinking aborts the request; run() resumes with a new request', async () => {
    const never = deferred();
    const { conversation, llm } = scripted([{ content: 'lost', delay: never.promise }, 'resumed']);
    open.push(conversation);
    conversation.sendMessage('go');
    const done = conversation.run();
    await inState(conversation, 'thinking');
    await conversation.pause();
    expect(llm.calls[0]!.signal!.aborted).toBe(true);
    expect(conversation.status).toBe('paused');
    expect(await done).toEqual({ status: 'paused', iterations: 1 });
    expect(conversation.events.filter((e) => e.kind === 'pause')).toHaveLength(1);

    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(llm.calls).toHaveLength(2);
    expect(conversation.events.some((e) => e.kind === 'message' && e.content === 'lost')).toBe(
      false,
    );
  });

  it('during acting lets the running tool call finish, logs its observation, then pauses', async () => {
    const slow = gatedTool();
    const { conversation, llm } = scripted(
      [
        {
          toolCalls: [
            { name: 'slow', arguments: {} },
            { name: 'slow', arguments: {} },
          ],
        },
        'all done',
      ],
      [slow.tool],
    );
    open.push(conversation);
    conversation.sendMessage('go');
    const done = conversation.run();
    const signal = await slow.started();
    let paused = false;
    const pausing = conversation.pause().then(() => (paused = true));
    await Promise.resolve();
    expect(paused).toBe(false);
    expect(signal.aborted).toBe(false);
    slow.release('first result');
    await pausing;

    expect(conversation.status).toBe('paused');
    expect(await done).toEqual({ status: 'paused', iterations: 1 });
    // The second call of the batch has not started, and no model call followed.
    expect(slow.calls).toHaveLength(1);
    expect(llm.calls).toHaveLength(1);
    const observations = conversation.events.filter((e) => e.kind === 'observation');
    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({ content: 'first result', isError: false });

    // Resuming runs the rest of the batch, then thinks.
    const resumed = conversation.run();
    await slow.started();
    slow.release('second result');
    expect(await resumed).toEqual({ status: 'finished', iterations: 1 });
    expect(toolTexts(llm.requests[1]!)).toEqual(['first result', 'second result']);
  });

  it('three calls log one pause event', async () => {
    const never = deferred();
    const { conversation } = scripted([{ content: 'x', delay: never.promise }]);
    open.push(conversation);
    conversation.sendMessage('go');
    void conversation.run();
    await inState(conversation, 'thinking');
    await conversation.pause();
    await conversation.pause();
    await conversation.pause();
    expect(conversation.events.filter((e) => e.kind === 'pause')).toHaveLength(1);
  });

  it('while idle moves to paused; run() then works as usual', async () => {
    const { conversation, llm } = scripted(['hi']);
    open.push(conversation);
    await conversation.pause();
    expect(conversation.status).toBe('paused');
    conversation.sendMessage('hello');
    expect(llm.calls).toHaveLength(0);
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
  });
});

describe('interrupt()', () => {
  it('during a long tool call aborts it; its action gets an interrupted observation', async () => {
    const slow = gatedTool();
    const { conversation, llm } = scripted([ScriptedLLM.call('slow'), 'after'], [slow.tool]);
    open.push(conversation);
    conversation.sendMessage('go');
    const done = conversation.run();
    const signal = await slow.started();
    await conversation.interrupt();

    expect(signal.aborted).toBe(true);
    expect(conversation.status).toBe('paused');
    expect(await done).toEqual({ status: 'paused', iterations: 1 });
    const action = conversation.events.find((e) => e.kind === 'action')!;
    const observation = conversation.events.find((e) => e.kind === 'observation');
    expect(observation).toMatchObject({
      actionId: action.id,
      isError: true,
      content: INTERRUPTED_MESSAGE,
    });
    expect(conversation.events.find((e) => e.kind === 'pause')).toMatchObject({ interrupt: true });

    await conversation.run();
    expect(toolTexts(llm.requests[1]!)).toEqual([INTERRUPTED_MESSAGE]);
  });

  it('in a batch: calls not started get "not run" observations, so every call has a result', async () => {
    const slow = gatedTool();
    const { conversation } = scripted(
      [
        {
          toolCalls: [
            { name: 'slow', arguments: {} },
            { name: 'slow', arguments: {} },
            { name: 'slow', arguments: {} },
          ],
        },
      ],
      [slow.tool],
    );
    open.push(conversation);
    conversation.sendMessage('go');
    void conversation.run();
    await slow.started();
    await conversation.interrupt();
    const contents = conversation.events
      .filter((e) => e.kind === 'observation')
      .map((e) => e.content);
    expect(contents).toEqual([INTERRUPTED_MESSAGE, NOT_RUN_MESSAGE, NOT_RUN_MESSAGE]);
    expect(slow.calls).toHaveLength(1);
  });

  it('during thinking aborts the request', async () => {
    const never = deferred();
    const { conversation, llm } = scripted([{ content: 'x', delay: never.promise }]);
    open.push(conversation);
    conversation.sendMessage('go');
    void conversation.run();
    await inState(conversation, 'thinking');
    await conversation.interrupt();
    expect(llm.calls[0]!.signal!.aborted).toBe(true);
    expect(conversation.status).toBe('paused');
  });

  it('with no run in progress does nothing', async () => {
    const { conversation } = scripted([]);
    open.push(conversation);
    const before = kinds(conversation.events);
    await conversation.interrupt();
    expect(kinds(conversation.events)).toEqual(before);
    expect(conversation.status).toBe('idle');
  });
});

describe('run()', () => {
  it('a second call while running returns the same promise', async () => {
    const gate = deferred();
    const { conversation, llm } = scripted([{ content: 'x', delay: gate.promise }]);
    open.push(conversation);
    conversation.sendMessage('go');
    const first = conversation.run();
    const second = conversation.run();
    expect(second).toBe(first);
    gate.resolve();
    await first;
    expect(llm.calls).toHaveLength(1);
  });

  it('on finished with nothing unread resolves at once without a model call', async () => {
    const { conversation, llm } = scripted(['x']);
    open.push(conversation);
    conversation.sendMessage('go');
    await conversation.run();
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 0 });
    expect(llm.calls).toHaveLength(1);
  });

  it('nothing starts after pause() resolves', async () => {
    const slow = gatedTool();
    const { conversation, llm } = scripted([ScriptedLLM.call('slow'), 'x'], [slow.tool]);
    open.push(conversation);
    conversation.sendMessage('go');
    void conversation.run();
    await slow.started();
    const pausing = conversation.pause();
    slow.release();
    await pausing;
    const count = llm.calls.length;
    conversation.sendMessage('more');
    await Promise.resolve();
    expect(llm.calls.length).toBe(count);
    expect(slow.calls).toHaveLength(1);
  });
});
