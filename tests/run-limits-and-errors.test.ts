import { afterEach, describe, expect, it } from 'vitest';
import { type Conversation, ConversationRunError, LLMError } from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { scripted } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

const loop = (n: number) =>
  Array.from({ length: n }, (_, i) => ScriptedLLM.call('echo', { text: `${i}` }));

describe('maxIterationsPerRun', () => {
  it('stops the run as paused with one agent_error; run() again continues with a fresh count', async () => {
    const { conversation, llm } = scripted([...loop(5), ScriptedLLM.finish()], undefined, {
      maxIterationsPerRun: 3,
    });
    open.push(conversation);
    conversation.sendMessage('loop');
    expect(await conversation.run()).toEqual({ status: 'paused', iterations: 3 });
    const errors = conversation.events.filter((e) => e.kind === 'agent_error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'max_iterations' });
    expect(errors[0]!.kind === 'agent_error' && errors[0]!.message).toMatch(
      /maxIterationsPerRun \(3/,
    );
    expect(llm.calls).toHaveLength(3);

    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 3 });
    expect(llm.calls).toHaveLength(6);
  });

  it('defaults to 500', async () => {
    const { conversation, llm } = scripted(loop(501));
    open.push(conversation);
    conversation.sendMessage('loop');
    expect(await conversation.run()).toEqual({ status: 'paused', iterations: 500 });
    expect(llm.calls).toHaveLength(500);
  });

  it('rejects a bad value with a clear error', () => {
    expect(() => scripted([], undefined, { maxIterationsPerRun: 0 })).toThrow(
      /maxIterationsPerRun/,
    );
  });
});

describe('maxCostPerRun', () => {
  it('stops before the next request once the run has spent the budget', async () => {
    const llm = new ScriptedLLM([...loop(5)], { costPerCall: 0.4 });
    const { Conversation, Agent } = await import('../src/index.js');
    const { echoTool } = await import('./helpers/conversation.js');
    const conversation = new Conversation({
      agent: new Agent({ llm, tools: [echoTool] }),
      visualizer: false,
      maxCostPerRun: 1,
    });
    open.push(conversation);
    conversation.sendMessage('spend');
    expect(await conversation.run()).toEqual({ status: 'paused', iterations: 3 });
    expect(conversation.events.find((e) => e.kind === 'agent_error')).toMatchObject({
      code: 'budget_exceeded',
    });
    expect(conversation.state.metrics.cost).toBeCloseTo(1.2);
  });
});

describe('a failing model', () => {
  it('sets status error, logs agent_error, rejects run() with ConversationRunError; run() again continues', async () => {
    const failure = new LLMError('server_error', 'upstream exploded (500)', { status: 500 });
    const { conversation, llm } = scripted([{ error: failure }, 'back again']);
    open.push(conversation);
    conversation.sendMessage('go');
    const error = await conversation.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConversationRunError);
    const runError = error as ConversationRunError;
    expect(runError.conversationId).toBe(conversation.id);
    expect(runError.cause).toBe(failure);
    expect(runError.message).toContain(conversation.id);
    expect(runError.message).toContain('upstream exploded');
    expect(conversation.status).toBe('error');
    expect(conversation.events.find((e) => e.kind === 'agent_error')).toMatchObject({
      code: 'server_error',
      message: expect.stringContaining('upstream exploded'),
    });
    const before = conversation.events.length;

    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(conversation.events.length).toBeGreaterThan(before);
    expect(llm.requests[1]!.messages).toEqual(llm.requests[0]!.messages);
  });

  it('a script that runs out is an error naming the call, not a hang', async () => {
    const { conversation } = scripted([]);
    open.push(conversation);
    conversation.sendMessage('go');
    await expect(conversation.run()).rejects.toThrow(/no turn left for call 1/);
  });
});
