import { afterEach, expect, it } from 'vitest';
import type { Conversation } from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { gatedTool, scripted, userTexts } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

it('a message sent from inside an events$ subscriber is read after the one that caused it, as logged', async () => {
  const slow = gatedTool();
  const { conversation, llm } = scripted([ScriptedLLM.call('slow'), 'done'], [slow.tool]);
  open.push(conversation);
  // Reacting to "two" sends "three" while "two" is still being sent.
  conversation.events$.subscribe((event) => {
    if (event.kind === 'message' && event.content === 'two') conversation.sendMessage('three');
  });
  conversation.sendMessage('one');
  const done = conversation.run();
  await slow.started();
  conversation.sendMessage('two');
  expect(conversation.pendingMessages.map((m) => m.content)).toEqual(['two', 'three']);
  slow.release();
  await done;

  const logged = conversation.events.flatMap((e) =>
    e.kind === 'message' && e.role === 'user' ? [e.content] : [],
  );
  expect(logged).toEqual(['one', 'two', 'three']);
  expect(userTexts(llm.requests[1]!)).toEqual(['one', 'two', 'three']);
  const delivered = conversation.events.filter((e) => e.kind === 'message_delivered');
  expect(delivered.at(-1)).toMatchObject({
    messageIds: conversation.events
      .filter((e) => e.kind === 'message' && e.role === 'user')
      .slice(1)
      .map((e) => e.id),
  });
});
