import { afterEach, describe, expect, it } from 'vitest';
import {
  type Conversation,
  ConversationClosedError,
  MessageNotPendingError,
  UnknownMessageError,
} from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { gatedTool, scripted, userTexts } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

describe('message outcomes', () => {
  it('delivered: carries the seq of the message_delivered event', async () => {
    const { conversation } = scripted(['ok']);
    open.push(conversation);
    const handle = conversation.sendMessage('hello');
    expect(handle.event).toMatchObject({ kind: 'message', role: 'user', content: 'hello' });
    expect(conversation.events.at(-1)).toBe(handle.event);
    await conversation.run();
    const outcome = await handle.outcome;
    const delivered = conversation.events.find((e) => e.kind === 'message_delivered')!;
    expect(outcome).toEqual({ status: 'delivered', seq: delivered.seq });
  });

  it('retracted: a pending message is withdrawn and never reaches the model', async () => {
    const { conversation, llm } = scripted(['ok']);
    open.push(conversation);
    conversation.sendMessage('keep');
    const gone = conversation.sendMessage('drop');
    conversation.retractMessage(gone.id);
    expect(conversation.pendingMessages.map((m) => m.content)).toEqual(['keep']);
    expect(await gone.outcome).toEqual({ status: 'retracted' });
    expect(conversation.events.at(-1)).toMatchObject({
      kind: 'message_retracted',
      messageId: gone.id,
    });
    await conversation.run();
    expect(userTexts(llm.requests[0]!)).toEqual(['keep']);
  });

  it('retracting a message the model has read is a clear error', async () => {
    const { conversation } = scripted(['ok']);
    open.push(conversation);
    const { id } = conversation.sendMessage('read me');
    await conversation.run();
    expect(() => conversation.retractMessage(id)).toThrow(MessageNotPendingError);
    expect(() => conversation.retractMessage(id)).toThrow(/already read/);
    expect(() => conversation.retractMessage('nope')).toThrow(UnknownMessageError);
  });

  it('retracting twice is a clear error', () => {
    const { conversation } = scripted([]);
    open.push(conversation);
    const { id } = conversation.sendMessage('x');
    conversation.retractMessage(id);
    expect(() => conversation.retractMessage(id)).toThrow(/already retracted/);
  });

  it('discarded: messages still pending when the conversation closes', async () => {
    const slow = gatedTool();
    const { conversation } = scripted([ScriptedLLM.call('slow')], [slow.tool]);
    conversation.sendMessage('go');
    const run = conversation.run();
    await slow.started();
    const late = conversation.sendMessage('too late');
    await conversation.close();
    expect(await late.outcome).toEqual({ status: 'discarded', reason: 'conversation closed' });
    await expect(run).rejects.toThrow(ConversationClosedError);
    // The interrupted tool call got its result, so the log stays valid for a resume.
    expect(conversation.events.filter((e) => e.kind === 'observation')).toHaveLength(1);
  });

  it('the same id sent twice is one message', async () => {
    const { conversation, llm } = scripted(['ok']);
    open.push(conversation);
    const first = conversation.sendMessage('once', { id: 'm-1' });
    const second = conversation.sendMessage('once', { id: 'm-1' });
    expect(second.id).toBe('m-1');
    expect(second.event).toBe(first.event);
    expect(
      conversation.events.filter((e) => e.kind === 'message' && e.role === 'user'),
    ).toHaveLength(1);
    await conversation.run();
    expect(userTexts(llm.requests[0]!)).toEqual(['once']);
    const again = conversation.sendMessage('once', { id: 'm-1' });
    expect(await again.outcome).toEqual(await first.outcome);
    expect(conversation.status).toBe('finished');
    expect(
      conversation.events.filter((e) => e.kind === 'message' && e.role === 'user'),
    ).toHaveLength(1);
  });

  it('sendMessage after close() throws a typed error', async () => {
    const { conversation } = scripted([]);
    await conversation.close();
    expect(() => conversation.sendMessage('x')).toThrow(ConversationClosedError);
    expect(() => conversation.sendMessage('x')).toThrow(new RegExp(conversation.id));
    await expect(conversation.run()).rejects.toThrow(ConversationClosedError);
    await conversation.close(); // idempotent
  });
});

describe('close()', () => {
  it('during thinking aborts the model request', async () => {
    const { deferred } = await import('./helpers/deferred.js');
    const { inState } = await import('./helpers/conversation.js');
    const never = deferred();
    const { conversation, llm } = scripted([{ content: 'x', delay: never.promise }]);
    conversation.sendMessage('go');
    const run = conversation.run();
    await inState(conversation, 'thinking');
    await conversation.close();
    expect(llm.calls[0]!.signal!.aborted).toBe(true);
    await expect(run).rejects.toThrow(ConversationClosedError);
  });

  it('a callback that throws does not break the conversation', async () => {
    const { conversation } = scripted(['ok'], undefined, {
      callbacks: [
        () => {
          throw new Error('bad callback');
        },
      ],
    });
    open.push(conversation);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    conversation.sendMessage('go');
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(warnings.some((w) => w.includes('bad callback'))).toBe(true);
  });
});
