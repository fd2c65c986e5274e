import { afterEach, describe, expect, it } from 'vitest';
import {
  type Conversation,
  ConversationNotReadyError,
  type ConversationEvent,
  type EventLogHandle,
  type EventStore,
  MemoryEventStore,
  type OpenLogOptions,
} from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { deferred } from './helpers/deferred.js';
import { gatedTool, scripted, userTexts } from './helpers/conversation.js';

/** A memory store whose `open` resolves when the test says (as a networked store would). */
class SlowOpeningStore implements EventStore {
  readonly inner = new MemoryEventStore();
  readonly gate = deferred();
  failWith: Error | undefined;

  async open(conversationId: string, _options?: OpenLogOptions): Promise<EventLogHandle> {
    await this.gate.promise;
    if (this.failWith) throw this.failWith;
    return this.inner.open(conversationId);
  }

  read(conversationId: string, fromSeq?: number) {
    return this.inner.read(conversationId, fromSeq);
  }

  subscribe(
    conversationId: string,
    listener: (event: ConversationEvent) => void,
    fromSeq?: number,
  ) {
    return this.inner.subscribe(conversationId, listener, fromSeq);
  }
}

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

describe('a store that opens asynchronously', () => {
  it('messages sent before ready are logged in order, with their send time, once ready', async () => {
    const store = new SlowOpeningStore();
    const { conversation, llm } = scripted(['done'], [], { store, conversationId: 'slow' });
    open.push(conversation);
    const first = conversation.sendMessage('one');
    const again = conversation.sendMessage('ignored', { id: first.id });
    const second = conversation.sendMessage('two', { delivery: 'queue' });
    expect(again).toBe(first);
    expect(() => first.event).toThrow(ConversationNotReadyError);
    expect(() => conversation.actor).toThrow(ConversationNotReadyError);
    expect(() => conversation.retractMessage(first.id)).toThrow(ConversationNotReadyError);
    expect(conversation.events).toEqual([]);
    const sentAt = new Date().toISOString();
    const done = conversation.run();

    store.gate.resolve();
    await conversation.ready;
    expect(first.event).toMatchObject({ kind: 'message', content: 'one', id: first.id });
    expect(first.event.timestamp <= sentAt).toBe(true);
    expect(second.event).toMatchObject({ content: 'two', delivery: 'queue' });
    expect(await done).toEqual({ status: 'finished', iterations: 1 });
    expect(userTexts(llm.requests[0]!)).toEqual(['one', 'two']);
    expect(await first.outcome).toMatchObject({ status: 'delivered' });
    expect((await store.read('slow')).length).toBe(conversation.events.length);
  });

  it('a failed open rejects ready and run(); queued messages are discarded; close() still works', async () => {
    const store = new SlowOpeningStore();
    store.failWith = new Error('lease taken');
    const { conversation } = scripted(['done'], [], { store });
    open.push(conversation);
    const handle = conversation.sendMessage('lost');
    const run = conversation.run();
    store.gate.resolve();
    await expect(conversation.ready).rejects.toThrow('lease taken');
    await expect(run).rejects.toThrow('lease taken');
    expect(await handle.outcome).toEqual({
      status: 'discarded',
      reason: 'the log could not be opened: lease taken',
    });
    await conversation.close();
  });

  it('close() before ready waits for the log, then discards what was queued', async () => {
    const store = new SlowOpeningStore();
    const { conversation } = scripted(['done'], [], { store });
    const handle = conversation.sendMessage('never read');
    const closing = conversation.close();
    expect(() => conversation.sendMessage('after close')).toThrow(/closed/);
    await expect(conversation.run()).rejects.toThrow(/closed/);
    store.gate.resolve();
    await closing;
    expect(await handle.outcome).toMatchObject({ status: 'discarded' });
  });

  it('pause() before ready is carried out once ready', async () => {
    const store = new SlowOpeningStore();
    const slow = gatedTool();
    const { conversation } = scripted([ScriptedLLM.call('slow'), 'done'], [slow.tool], { store });
    open.push(conversation);
    const pausing = conversation.pause();
    store.gate.resolve();
    await pausing;
    expect(conversation.status).toBe('paused');
  });
});

describe('MemoryEventStore.subscribe(id, listener, fromSeq)', () => {
  it('delivers the stored events from fromSeq first, then new ones', async () => {
    const store = new MemoryEventStore();
    const { conversation } = scripted(['a', 'b'], [], { store, conversationId: 'm' });
    open.push(conversation);
    conversation.sendMessage('x');
    await conversation.run();
    const seen: number[] = [];
    const stop = store.subscribe('m', (e) => seen.push(e.seq), 2);
    conversation.sendMessage('y');
    await conversation.run();
    stop();
    expect(seen).toEqual(conversation.events.slice(2).map((e) => e.seq));
  });
});
