import { afterEach, expect, it } from 'vitest';
import type { Conversation, MessageEvent } from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { gatedTool, scripted, userTexts } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

it('1,000 sendMessage calls from concurrent async tasks: each logged and read exactly once, in call order', async () => {
  const slow = gatedTool();
  const { conversation, llm } = scripted(
    [ScriptedLLM.call('slow'), ScriptedLLM.call('slow'), 'done'],
    [slow.tool],
  );
  open.push(conversation);
  conversation.sendMessage('start');
  const run = conversation.run();

  const callOrder: string[] = [];
  const send = (text: string) => {
    callOrder.push(text);
    conversation.sendMessage(text);
  };
  // Ten tasks interleave their sends across microtasks, tool calls and model turns.
  let released = 0;
  const tasks = Array.from({ length: 10 }, async (_, task) => {
    for (let i = 0; i < 100; i++) {
      send(`t${task}-m${i}`);
      await Promise.resolve();
      if (task === 0 && i % 50 === 49 && released < 2) {
        await slow.started();
        slow.release();
        released++;
      }
    }
  });
  await Promise.all(tasks);
  const result = await run;
  expect(result.status).toBe('finished');

  const logged = conversation.events.filter(
    (e): e is MessageEvent => e.kind === 'message' && e.role === 'user',
  );
  expect(logged.map((m) => m.content)).toEqual(['start', ...callOrder]);
  expect(new Set(logged.map((m) => m.id)).size).toBe(1001);

  const delivered = conversation.events.flatMap((e) =>
    e.kind === 'message_delivered' ? e.messageIds : [],
  );
  expect(delivered).toEqual(logged.map((m) => m.id));

  const lastRequest = llm.requests.at(-1)!;
  expect(userTexts(lastRequest)).toEqual(['start', ...callOrder]);
  expect(conversation.pendingMessages).toEqual([]);
});
