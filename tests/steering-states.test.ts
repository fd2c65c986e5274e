import { afterEach, describe, expect, it } from 'vitest';
import type { Conversation, ConversationEvent, MessageEvent } from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { deferred } from './helpers/deferred.js';
import {
  expectContiguous,
  gatedTool,
  inState,
  scripted,
  userTexts,
} from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});
function track<T extends { conversation: Conversation }>(value: T): T {
  open.push(value.conversation);
  return value;
}

/** The seq of the message event and of the message_delivered event naming it. */
function arrivalAndRead(events: readonly ConversationEvent[], content: string) {
  const message = events.find(
    (e): e is MessageEvent => e.kind === 'message' && e.role === 'user' && e.content === content,
  );
  if (!message) throw new Error(`no message "${content}"`);
  const reads = events.filter(
    (e) => e.kind === 'message_delivered' && e.messageIds.includes(message.id),
  );
  return { arrived: message.seq, reads: reads.map((e) => e.seq) };
}

describe('a message sent in each state is read once, in order', () => {
  it('idle: waits, and run() reads it', async () => {
    const { conversation, llm } = track(scripted([ScriptedLLM.finish('ok')]));
    conversation.sendMessage('one');
    conversation.sendMessage('two');
    expect(conversation.status).toBe('idle');
    expect(conversation.pendingMessages.map((m) => m.content)).toEqual(['one', 'two']);
    expect(llm.calls).toHaveLength(0);

    await conversation.run();

    expect(userTexts(llm.requests[0]!)).toEqual(['one', 'two']);
    const one = arrivalAndRead(conversation.events, 'one');
    const two = arrivalAndRead(conversation.events, 'two');
    expect(one.reads).toHaveLength(1);
    expect(two.reads).toEqual(one.reads);
    expect(one.arrived).toBeLessThan(one.reads[0]!);
    expect(conversation.pendingMessages).toEqual([]);
    expectContiguous(conversation.events);
  });

  it('thinking: read at the next thinking, after the tool calls of the busy request', async () => {
    const gate = deferred();
    const { conversation, llm } = track(
      scripted([
        { ...ScriptedLLM.call('echo', { text: 'a' }), delay: gate.promise },
        ScriptedLLM.finish(),
      ]),
    );
    conversation.sendMessage('start');
    const done = conversation.run();
    await inState(conversation, 'thinking');
    conversation.sendMessage('while thinking');
    expect(conversation.pendingMessages.map((m) => m.content)).toEqual(['while thinking']);
    gate.resolve();
    await done;

    expect(userTexts(llm.requests[0]!)).toEqual(['start']);
    expect(userTexts(llm.requests[1]!)).toEqual(['start', 'while thinking']);
    const { arrived, reads } = arrivalAndRead(conversation.events, 'while thinking');
    expect(reads).toHaveLength(1);
    const action = conversation.events.find((e) => e.kind === 'action')!;
    const observation = conversation.events.find((e) => e.kind === 'observation')!;
    expect(arrived).toBeLessThan(action.seq);
    expect(reads[0]).toBeGreaterThan(observation.seq);
  });

  it('acting: waits until the tool call returns, then thinking reads it', async () => {
    const slow = gatedTool();
    const { conversation, llm } = track(
      scripted([ScriptedLLM.call('slow'), ScriptedLLM.finish()], [slow.tool]),
    );
    conversation.sendMessage('start');
    const done = conversation.run();
    await slow.started();
    expect(conversation.actor.getSnapshot().matches('acting')).toBe(true);
    conversation.sendMessage('while acting');
    slow.release();
    await done;

    const { arrived, reads } = arrivalAndRead(conversation.events, 'while acting');
    const observation = conversation.events.find((e) => e.kind === 'observation')!;
    expect(arrived).toBeLessThan(observation.seq);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toBeGreaterThan(observation.seq);
    expect(userTexts(llm.requests[1]!)).toEqual(['start', 'while acting']);
  });

  it('paused: waits until run() resumes', async () => {
    const gate = deferred();
    const { conversation, llm } = track(
      scripted([{ content: 'never seen', delay: gate.promise }, ScriptedLLM.finish()]),
    );
    conversation.sendMessage('start');
    const done = conversation.run();
    await inState(conversation, 'thinking');
    await conversation.pause();
    expect(await done).toEqual({ status: 'paused', iterations: 1 });
    conversation.sendMessage('while paused');
    expect(conversation.status).toBe('paused');
    expect(llm.calls).toHaveLength(1);

    await conversation.run();
    expect(userTexts(llm.requests[1]!)).toEqual(['start', 'while paused']);
    expect(arrivalAndRead(conversation.events, 'while paused').reads).toHaveLength(1);
    expect(conversation.status).toBe('finished');
  });

  it('finished: a message makes the conversation idle again, and run() reads it', async () => {
    const { conversation, llm } = track(scripted(['first answer', 'second answer']));
    conversation.sendMessage('one');
    await conversation.run();
    expect(conversation.status).toBe('finished');
    conversation.sendMessage('two');
    expect(conversation.status).toBe('idle');
    await conversation.run();
    expect(userTexts(llm.requests[1]!)).toEqual(['one', 'two']);
    expect(conversation.status).toBe('finished');
  });
});

describe('the seed case: a final answer while a message waits', () => {
  it('thinks again with the message instead of finishing', async () => {
    const gate = deferred();
    const { conversation, llm } = track(
      scripted([
        { content: 'All done with line 1 and 2.', delay: gate.promise },
        ({ request }) => `Adding: ${ScriptedLLM.lastUserMessage(request)}`,
      ]),
    );
    conversation.sendMessage('write lines 1 and 2');
    const done = conversation.run();
    await inState(conversation, 'thinking');
    conversation.sendMessage('also write line 3');
    gate.resolve();
    const result = await done;

    expect(result).toEqual({ status: 'finished', iterations: 2 });
    expect(llm.calls).toHaveLength(2);
    expect(userTexts(llm.requests[1]!)).toEqual(['write lines 1 and 2', 'also write line 3']);
    const answers = conversation.events.filter(
      (e) => e.kind === 'message' && e.role === 'assistant',
    );
    expect(answers.map((e) => (e as MessageEvent).content)).toEqual([
      'All done with line 1 and 2.',
      'Adding: also write line 3',
    ]);
  });

  it('finish() with a message waiting also thinks again', async () => {
    const thinkingAgain = deferred();
    const gate = deferred();
    const { conversation, llm } = track(
      scripted([
        ScriptedLLM.call('echo', { text: 'x' }),
        async () => {
          thinkingAgain.resolve();
          await gate.promise;
          return ScriptedLLM.finish('first');
        },
        ScriptedLLM.finish('second'),
      ]),
    );
    conversation.sendMessage('go');
    const done = conversation.run();
    await thinkingAgain.promise;
    conversation.sendMessage('one more thing');
    gate.resolve();
    await done;
    expect(llm.calls).toHaveLength(3);
    expect(userTexts(llm.requests[2]!)).toEqual(['go', 'one more thing']);
    expect(conversation.status).toBe('finished');
  });
});

it('nothing is read twice: every message is named by exactly one message_delivered', async () => {
  const slow = gatedTool();
  const { conversation } = track(
    scripted(
      [ScriptedLLM.call('slow'), ScriptedLLM.call('slow'), ScriptedLLM.finish()],
      [slow.tool],
    ),
  );
  conversation.sendMessage('a');
  const done = conversation.run();
  await slow.started();
  conversation.sendMessage('b');
  slow.release();
  await slow.started();
  conversation.sendMessage('c');
  slow.release();
  await done;
  const delivered = conversation.events.flatMap((e) =>
    e.kind === 'message_delivered' ? e.messageIds : [],
  );
  const sent = conversation.events.filter((e) => e.kind === 'message').map((e) => e.id);
  expect(delivered).toEqual(sent);
  expectContiguous(conversation.events);
});
