import { afterEach, describe, expect, it } from 'vitest';
import {
  Agent,
  CondensationError,
  Conversation,
  type ConversationEvent,
  type ConversationOptions,
  ConversationProjection,
  ConversationRunError,
  InvalidOptionError,
  LLMError,
  LLMSummarizingCondenser,
  type LLMSummarizingCondenserOptions,
  SUMMARY_PREFIX,
  estimateTokens,
} from '../src/index.js';
import { ScriptedLLM, type ScriptedTurn } from '../src/testing/index.js';
import { expectValidContext } from './helpers/context.js';
import { echoTool, toolTexts, userTexts } from './helpers/conversation.js';
import { deferred } from './helpers/deferred.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

const echo = (i: number) => ScriptedLLM.call('echo', { text: `${i}` });
const steps = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => echo(from + i));

function setup(
  turns: ScriptedTurn[],
  condenser: Omit<LLMSummarizingCondenserOptions, 'llm'> | false,
  options: Partial<ConversationOptions> & { summaries?: ScriptedTurn[]; summaryCost?: number } = {},
) {
  const llm = new ScriptedLLM(turns);
  const summarizer = new ScriptedLLM(options.summaries ?? [], {
    whenExhausted: ({ index }) => `SUMMARY-${index + 1}`,
    costPerCall: options.summaryCost ?? 0,
  });
  const conversation = new Conversation({
    agent: new Agent({
      llm,
      tools: [echoTool],
      ...(condenser
        ? { condenser: new LLMSummarizingCondenser({ llm: summarizer, ...condenser }) }
        : {}),
    }),
    visualizer: false,
    ...options,
  });
  open.push(conversation);
  return { conversation, llm, summarizer };
}

const condensations = (events: readonly ConversationEvent[]) =>
  events.filter(
    (e): e is Extract<ConversationEvent, { kind: 'condensation' }> => e.kind === 'condensation',
  );

const summaries = (messages: readonly { role: string; content?: unknown }[]) =>
  messages.filter((m) => m.role === 'user' && String(m.content).startsWith(SUMMARY_PREFIX));

describe('LLMSummarizingCondenser in a conversation', () => {
  it('condenses a long history: the next request is shorter, holds the summary and the kept events', async () => {
    const { conversation, llm, summarizer } = setup([...steps(0, 12), ScriptedLLM.finish('done')], {
      maxSize: 10,
      keepFirst: 2,
    });
    conversation.sendMessage('count to twelve');
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 13 });

    const first = condensations(conversation.events)[0]!;
    expect(first).toBeDefined();
    // Requests 1-5 grow; the 6th comes after the condensation and is shorter.
    expect(llm.requests[4]!.messages).toHaveLength(10);
    const after = llm.requests[5]!.messages;
    expect(after.length).toBeLessThan(llm.requests[4]!.messages.length);
    expect(after).toHaveLength(5);
    // Kept: the system prompt and the task (keepFirst 2), then the summary, then the latest step.
    expect(after[0]).toMatchObject({ role: 'system' });
    expect(after[1]).toEqual({ role: 'user', content: 'count to twelve' });
    expect(after[2]).toEqual({ role: 'user', content: `${SUMMARY_PREFIX}\nSUMMARY-1` });
    expect(after[3]).toMatchObject({
      role: 'assistant',
      tool_calls: [{ function: { name: 'echo', arguments: '{"text":"4"}' } }],
    });
    expect(after[4]).toMatchObject({ role: 'tool', content: 'echo: 4' });

    // The summariser was given exactly the forgotten steps.
    const prompt = String(summarizer.requests[0]!.messages.at(-1)!.content);
    for (const i of [0, 1, 2, 3]) expect(prompt).toContain(`echo: ${i}`);
    expect(prompt).not.toContain('echo: 4');
    expect(prompt).not.toContain('count to twelve');

    // The full log is kept: every action and observation is still there.
    expect(conversation.events.filter((e) => e.kind === 'action')).toHaveLength(13);
    expect(conversation.events.filter((e) => e.kind === 'observation')).toHaveLength(13);
    const ids = new Set(conversation.events.map((e) => e.id));
    expect(first.forgottenEventIds.length).toBe(8);
    expect(first.forgottenEventIds.every((id) => ids.has(id))).toBe(true);
  });

  it('condenses again when needed: the new summary replaces the old one, which it was given', async () => {
    const { conversation, llm, summarizer } = setup([...steps(0, 12), ScriptedLLM.finish('done')], {
      maxSize: 10,
      keepFirst: 2,
    });
    conversation.sendMessage('count to twelve');
    await conversation.run();

    expect(condensations(conversation.events).map((c) => c.summary)).toEqual([
      'SUMMARY-1',
      'SUMMARY-2',
      'SUMMARY-3',
    ]);
    expect(String(summarizer.requests[1]!.messages.at(-1)!.content)).toContain('SUMMARY-1');
    for (const request of llm.requests) {
      expectValidContext(request.messages);
      expect(summaries(request.messages).length).toBeLessThanOrEqual(1);
      expect(request.messages.length).toBeLessThanOrEqual(10);
    }
    expect(summaries(llm.requests.at(-1)!.messages)).toEqual([
      { role: 'user', content: `${SUMMARY_PREFIX}\nSUMMARY-3` },
    ]);
    // The log alone gives the same context: replaying it rebuilds the condensed view.
    expect(ConversationProjection.from(conversation.events).messages).toEqual(
      conversation.state.messages,
    );
  });

  it('condenses by estimated tokens with maxTokens, keeping the recent steps that fit in half', async () => {
    const { conversation, llm } = setup([...steps(0, 30), ScriptedLLM.finish()], {
      maxSize: 1000,
      maxTokens: 300,
      keepFirst: 2,
    });
    conversation.sendMessage('go');
    await conversation.run();
    expect(condensations(conversation.events).length).toBeGreaterThan(0);
    for (const request of llm.requests) {
      expectValidContext(request.messages);
      expect(estimateTokens(request.messages)).toBeLessThanOrEqual(300);
    }
    const condensedAt = llm.requests.findIndex((r) => summaries(r.messages).length > 0);
    const condensed = llm.requests[condensedAt]!.messages;
    expect(estimateTokens(condensed)).toBeLessThan(
      estimateTokens(llm.requests[condensedAt - 1]!.messages),
    );
    // The most recent steps are kept verbatim after the summary.
    expect(toolTexts({ messages: condensed }).at(-1)).toBe(`echo: ${condensedAt - 1}`);
    expect(toolTexts({ messages: condensed }).length).toBeGreaterThan(1);
  });

  it('counts the cost of summaries in the metrics (and so in the budget)', async () => {
    const { conversation } = setup(
      [...steps(0, 6), ScriptedLLM.finish()],
      { maxSize: 10 },
      {
        summaryCost: 0.25,
      },
    );
    conversation.sendMessage('go');
    await conversation.run();
    const [condensation] = condensations(conversation.events);
    expect(condensation!.usage).toMatchObject({ cost: 0.25, model: 'scripted/model' });
    expect(conversation.state.metrics.cost).toBeCloseTo(0.25);
  });

  it('pause() during condensing aborts the summary call; run() condenses again', async () => {
    const never = deferred();
    const { conversation, llm, summarizer } = setup(
      [...steps(0, 6), ScriptedLLM.finish()],
      { maxSize: 10 },
      { summaries: [{ content: 'lost', delay: never.promise }] },
    );
    conversation.sendMessage('go');
    const done = conversation.run();
    await new Promise<void>((resolve) => {
      const sub = conversation.actor.subscribe((s) => {
        if (s.matches({ thinking: 'condensing' })) {
          sub.unsubscribe();
          resolve();
        }
      });
    });
    await conversation.pause();
    expect(summarizer.calls[0]!.signal!.aborted).toBe(true);
    expect(await done).toMatchObject({ status: 'paused' });
    expect(condensations(conversation.events)).toHaveLength(0);
    const requestsBefore = llm.calls.length;

    expect((await conversation.run()).status).toBe('finished');
    expect(condensations(conversation.events).map((c) => c.summary)).toEqual(['SUMMARY-2']);
    expect(summaries(llm.requests[requestsBefore]!.messages)).toHaveLength(1);
  });

  it('a failing summariser stops the run with status error; run() again retries', async () => {
    const { conversation } = setup(
      [...steps(0, 6), ScriptedLLM.finish()],
      { maxSize: 10 },
      { summaries: [{ error: new LLMError('server_error', 'summariser down') }] },
    );
    conversation.sendMessage('go');
    const error = await conversation.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConversationRunError);
    expect((error as ConversationRunError).cause).toBeInstanceOf(CondensationError);
    expect(conversation.events.find((e) => e.kind === 'agent_error')).toMatchObject({
      code: 'condensation_failed',
      message: expect.stringContaining('summariser down'),
    });
    expect((await conversation.run()).status).toBe('finished');
    expect(condensations(conversation.events)).toHaveLength(1);
  });
});

describe('a context-length error from the provider', () => {
  const tooLong = () => ({
    error: new LLMError(
      'context_length_exceeded',
      "This model's maximum context length is 8192 tokens",
    ),
  });

  it('once: condenses (forced, below maxSize) and retries the request', async () => {
    const { conversation, llm } = setup([...steps(0, 3), tooLong(), ScriptedLLM.finish('done')], {
      maxSize: 100,
      keepFirst: 2,
    });
    conversation.sendMessage('go');
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 5 });

    const kinds = conversation.events.map((e) => e.kind);
    const errorAt = kinds.indexOf('agent_error');
    expect(conversation.events[errorAt]).toMatchObject({
      code: 'context_length_exceeded',
      detail: { retry: true },
      message: expect.stringContaining('Condensing the history and retrying'),
    });
    expect(kinds.indexOf('condensation')).toBeGreaterThan(errorAt);
    const [failed, retried] = [llm.requests[3]!.messages, llm.requests[4]!.messages];
    expect(retried.length).toBeLessThan(failed.length);
    expect(summaries(retried)).toHaveLength(1);
    expect(userTexts({ messages: retried })[0]).toBe('go');
    expectValidContext(retried);
  });

  it('twice in a row: the status becomes error, with the provider error as the cause', async () => {
    const failure = tooLong();
    const { conversation, llm } = setup([...steps(0, 3), tooLong(), failure, 'unused'], {
      maxSize: 100,
    });
    conversation.sendMessage('go');
    const error = await conversation.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConversationRunError);
    expect((error as ConversationRunError).cause).toBe(failure.error);
    expect(conversation.status).toBe('error');
    expect(llm.calls).toHaveLength(5);
    expect(condensations(conversation.events)).toHaveLength(1);
  });

  it('without a condenser: the status becomes error at once', async () => {
    const { conversation, llm } = setup([tooLong(), 'unused'], false);
    conversation.sendMessage('go');
    await expect(conversation.run()).rejects.toBeInstanceOf(ConversationRunError);
    expect(llm.calls).toHaveLength(1);
    expect(conversation.events.find((e) => e.kind === 'agent_error')).toMatchObject({
      code: 'context_length_exceeded',
    });
  });

  it('with nothing left to condense: error, saying so', async () => {
    const { conversation, summarizer } = setup([tooLong(), 'unused'], { maxSize: 100 });
    conversation.sendMessage('go');
    await expect(conversation.run()).rejects.toBeInstanceOf(ConversationRunError);
    expect(summarizer.calls).toHaveLength(0);
    expect(conversation.events.filter((e) => e.kind === 'agent_error').at(-1)).toMatchObject({
      code: 'context_length_exceeded',
      message: expect.stringContaining('nothing more to condense'),
    });
  });
});

describe('the projection keeps tool calls and results together', () => {
  let seq = 0;
  const base = () => ({ id: `e${seq}`, seq: seq++, timestamp: new Date(0).toISOString() });
  function history() {
    seq = 0;
    const events: ConversationEvent[] = [
      { ...base(), kind: 'system_prompt', source: 'agent', content: 'sys', tools: [] },
      { ...base(), kind: 'message', source: 'user', role: 'user', content: 'go' },
      { ...base(), kind: 'message_delivered', source: 'agent', messageIds: ['e1'] },
    ];
    const call = (id: string, responseId: string): ConversationEvent => ({
      ...base(),
      kind: 'action',
      source: 'agent',
      toolName: 'echo',
      toolCallId: id,
      arguments: {},
      rawArguments: '{}',
      responseId,
    });
    const result = (id: string, actionId: string): ConversationEvent => ({
      ...base(),
      kind: 'observation',
      source: 'environment',
      toolName: 'echo',
      toolCallId: id,
      actionId,
      content: `result ${id}`,
      isError: false,
    });
    const a1 = call('c1', 'r1');
    const a2 = call('c2', 'r1');
    events.push(a1, a2, result('c1', a1.id), result('c2', a2.id));
    const a3 = call('c3', 'r2');
    events.push(a3, result('c3', a3.id));
    return events;
  }
  const condense = (forgotten: string[]): ConversationEvent => ({
    ...base(),
    kind: 'condensation',
    source: 'agent',
    summary: 'S',
    forgottenEventIds: forgotten,
  });

  it('forgetting one result forgets its call and the other results of that call', () => {
    const events = history();
    const projection = ConversationProjection.from([...events, condense(['e5'])]);
    expectValidContext(projection.messages);
    expect(toolTexts(projection)).toEqual(['result c3']);
    expect(projection.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'user',
      'assistant',
      'tool',
    ]);
  });

  it('forgetting an assistant message forgets its results', () => {
    const events = history();
    const projection = ConversationProjection.from([...events, condense(['e3'])]);
    expectValidContext(projection.messages);
    expect(toolTexts(projection)).toEqual(['result c3']);
  });

  it('a result arriving after its call was condensed away stays out of the context', () => {
    const events = history().slice(0, 6); // c1 answered, c2 still open
    const projection = ConversationProjection.from([...events, condense(['e3'])]);
    projection.apply({
      ...base(),
      kind: 'observation',
      source: 'environment',
      toolName: 'echo',
      toolCallId: 'c2',
      actionId: 'e4',
      content: 'late',
      isError: false,
    });
    expectValidContext(projection.messages);
    expect(toolTexts(projection)).toEqual([]);
    expect(projection.openActions.size).toBe(0);
  });
});

describe('options', () => {
  const llm = new ScriptedLLM([]);
  it('rejects sizes that leave no room, with a typed error naming the option', () => {
    expect(() => new LLMSummarizingCondenser({ llm, maxSize: 10, keepFirst: 4 })).toThrow(
      expect.objectContaining({ option: 'keepFirst' }),
    );
    expect(() => new LLMSummarizingCondenser({ llm, maxSize: 2 })).toThrow(InvalidOptionError);
    expect(() => new LLMSummarizingCondenser({ llm, maxTokens: 0 })).toThrow(/maxTokens/);
  });

  it('Agent checks its condenser', () => {
    expect(() => new Agent({ llm, condenser: {} as never })).toThrow(/condenser/);
  });
});
