import { afterEach, describe, expect, it } from 'vitest';
import type { Conversation, ConversationEvent } from '../src/index.js';
import { ScriptedLLM, type ScriptedTurn } from '../src/testing/index.js';
import { deferred } from './helpers/deferred.js';
import { kinds, scripted } from './helpers/conversation.js';

// A callback runs inside the machine's own transition (the log is appended from its
// actions), so a command sent from there is queued behind the event being processed.
// The command's promise must still settle once the machine has handled it.

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

/** A conversation whose callback runs `onEvent` for each event appended. */
function withCallback(
  turns: ScriptedTurn[],
  onEvent: (event: ConversationEvent, conversation: Conversation) => void,
) {
  // The constructor logs the system prompt before the conversation exists.
  const self: { current?: Conversation } = {};
  const { conversation, llm } = scripted(turns, undefined, {
    callbacks: [(event) => self.current && onEvent(event, self.current)],
  });
  self.current = conversation;
  open.push(conversation);
  return { conversation, llm };
}

describe('commands sent from a callback, while the machine is mid-transition', () => {
  it('pause() on an action event lets the tool call finish, then resolves paused', async () => {
    const paused = deferred<void>();
    let asked = false;
    const { conversation, llm } = withCallback(
      [ScriptedLLM.call('echo', { text: 'a' }), 'never read'],
      (event, self) => {
        if (event.kind !== 'action' || asked) return;
        asked = true;
        self.pause().then(paused.resolve, paused.reject);
      },
    );
    conversation.sendMessage('go');
    const done = conversation.run();
    await paused.promise;

    expect(conversation.status).toBe('paused');
    expect(await done).toEqual({ status: 'paused', iterations: 1 });
    expect(llm.calls).toHaveLength(1);
    const tail = kinds(conversation.events).slice(-4);
    expect(tail).toEqual(['action', 'pause', 'observation', 'state_update']);
  });

  it('interrupt() on message_delivered aborts the request it was about to make', async () => {
    const interrupted = deferred<void>();
    const never = deferred();
    const { conversation, llm } = withCallback(
      [{ content: 'lost', delay: never.promise }, 'after resume'],
      (event, self) => {
        if (event.kind !== 'message_delivered' || llm.calls.length > 0) return;
        self.interrupt().then(interrupted.resolve, interrupted.reject);
      },
    );
    conversation.sendMessage('go');
    const done = conversation.run();
    await interrupted.promise;

    expect(conversation.status).toBe('paused');
    expect(await done).toEqual({ status: 'paused', iterations: 1 });
    expect(llm.calls[0]!.signal!.aborted).toBe(true);
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(conversation.events.at(-2)).toMatchObject({ kind: 'message', content: 'after resume' });
  });

  it('run() on a pause event resolves with the run it started, not the pause', async () => {
    const ran = deferred<unknown>();
    const { conversation, llm } = withCallback(['the answer'], (event, self) => {
      if (event.kind !== 'pause') return;
      // The transition that logged this ends in paused: nothing runs, yet run() waits.
      self.run().then(ran.resolve, ran.reject);
    });
    conversation.sendMessage('go');
    await conversation.pause();
    expect(await ran.promise).toEqual({ status: 'finished', iterations: 1 });
    expect(llm.calls).toHaveLength(1);
    expect(conversation.status).toBe('finished');
  });
});
