import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  Conversation,
  ConversationRunError,
  type ConversationEvent,
  defineTool,
  type LLMDelta,
} from '../src/index.js';
import type { LLMOptions } from '../src/llm/llm.js';
import type { FakeOpenAIServer, FakeTurn } from '../src/testing/fake-openai-server.js';
import { echoTool } from './helpers/conversation.js';
import { deferred } from './helpers/deferred.js';
import { fakeLLM, fakeServer } from './helpers/fake-llm.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers',
  parameters: z.object({ a: z.number().describe('First term'), b: z.number() }),
  execute: ({ a, b }) => String(a + b),
});

/** A conversation on the real `LLM` (real `openai` client) against the fake server. */
function conversationOn(server: FakeOpenAIServer, options: LLMOptions = {}) {
  const { llm, delays } = fakeLLM(server, options);
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [add, echoTool] }),
    visualizer: false,
  });
  open.push(conversation);
  return { conversation, llm, delays };
}

const ofKind = <K extends ConversationEvent['kind']>(
  events: readonly ConversationEvent[],
  kind: K,
) => events.filter((e): e is Extract<ConversationEvent, { kind: K }> => e.kind === kind);

type Messages = Array<{ role: string; content?: unknown; tool_calls?: unknown[] }>;
const messagesOf = (server: FakeOpenAIServer, i: number) =>
  (server.requests[i]!.body as { messages: Messages }).messages;

describe.each([false, true])(
  'a whole conversation through the openai client (stream: %s)',
  (stream) => {
    it('several tool calls, then a final answer', async () => {
      const server = await fakeServer([
        {
          content: 'Let me add them.',
          toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }],
          usage: { promptTokens: 100, completionTokens: 10 },
        },
        {
          toolCalls: [
            { name: 'add', arguments: { a: 5, b: 10 } },
            { name: 'echo', arguments: { text: 'checked' } },
          ],
          usage: { promptTokens: 150, completionTokens: 20 },
        },
        { content: 'The total is 15.', usage: { promptTokens: 200, completionTokens: 5 } },
      ]);
      const { conversation, llm } = conversationOn(server, { stream });
      const deltas: LLMDelta[] = [];
      conversation.deltas$.subscribe((d) => deltas.push(d));
      conversation.sendMessage('What is 2 + 3 + 10?');

      expect(await conversation.run()).toEqual({ status: 'finished', iterations: 3 });

      const events = conversation.events;
      expect(ofKind(events, 'action').map((a) => [a.toolName, a.arguments])).toEqual([
        ['add', { a: 2, b: 3 }],
        ['add', { a: 5, b: 10 }],
        ['echo', { text: 'checked' }],
      ]);
      expect(ofKind(events, 'observation').map((o) => [o.content, o.isError])).toEqual([
        ['5', false],
        ['15', false],
        ['echo: checked', false],
      ]);
      expect(ofKind(events, 'action')[0]!.thought).toBe('Let me add them.');
      const answer = ofKind(events, 'message').at(-1)!;
      expect(answer).toMatchObject({ role: 'assistant', content: 'The total is 15.' });
      expect(answer.usage).toMatchObject({
        model: 'gpt-4o',
        promptTokens: 200,
        completionTokens: 5,
      });
      expect(ofKind(events, 'agent_error')).toEqual([]);

      // What the server saw: three requests, each with the tools, and the results fed back.
      expect(server.requests).toHaveLength(3);
      for (const request of server.requests) {
        expect(request.stream).toBe(stream);
        const tools = (
          request.body as { tools: Array<{ function: { name: string; parameters: unknown } }> }
        ).tools;
        expect(tools.map((t) => t.function.name)).toEqual(['add', 'echo', 'finish']);
        expect(tools[0]!.function.parameters).toEqual({
          type: 'object',
          properties: { a: { type: 'number', description: 'First term' }, b: { type: 'number' } },
          required: ['a', 'b'],
        });
      }
      expect(messagesOf(server, 1).slice(-2)).toMatchObject([
        {
          role: 'assistant',
          content: 'Let me add them.',
          tool_calls: [{ function: { name: 'add' } }],
        },
        { role: 'tool', content: '5' },
      ]);
      expect(
        messagesOf(server, 2)
          .slice(-3)
          .map((m) => [m.role, m.content]),
      ).toEqual([
        ['assistant', null],
        ['tool', '15'],
        ['tool', 'echo: checked'],
      ]);
      expect(llm.metrics).toMatchObject({ calls: 3, promptTokens: 450, completionTokens: 35 });
      expect(conversation.state.metrics.cost).toBeCloseTo(llm.metrics.accumulatedCost, 12);

      if (stream) {
        expect(deltas.map((d) => d.content ?? '').join('')).toBe(
          'Let me add them.The total is 15.',
        );
        expect(deltas.filter((d) => d.toolCall?.name).map((d) => d.toolCall!.name)).toEqual([
          'add',
          'add',
          'echo',
        ]);
      } else {
        expect(deltas).toEqual([]);
      }
    });

    it('500 on every attempt: status error, the provider message in the log, nothing lost; run() again continues', async () => {
      const failing = (): FakeTurn => ({
        status: 500,
        message: 'The server had an error processing your request',
      });
      const server = await fakeServer([
        { toolCalls: [{ name: 'echo', arguments: { text: 'first step' } }] },
        failing(),
        failing(),
        failing(),
      ]);
      const { conversation, delays } = conversationOn(server, { stream, maxRetries: 2 });
      conversation.sendMessage('go');

      const error = await conversation.run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConversationRunError);
      expect((error as Error).message).toContain('The server had an error processing your request');
      expect(conversation.status).toBe('error');
      expect(server.requests).toHaveLength(4);
      expect(delays).toHaveLength(2);
      const logged = ofKind(conversation.events, 'agent_error');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ code: 'server_error' });
      expect(logged[0]!.message).toContain('The server had an error processing your request');
      expect(logged[0]!.message).toContain('gave up after 3 attempts');
      expect(ofKind(conversation.events, 'observation').map((o) => o.content)).toEqual([
        'echo: first step',
      ]);

      const before = conversation.events.slice();
      server.push('Back on track.');
      expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
      expect(conversation.events.slice(0, before.length)).toEqual(before);
      expect(messagesOf(server, 4)).toEqual(messagesOf(server, 1));
    });
  },
);

describe('malformed responses end as an agent_error, never a crash', () => {
  const completion = (choices: unknown[]) => ({
    id: 'c',
    object: 'chat.completion',
    model: 'gpt-4o',
    choices,
  });
  it.each<[string, FakeTurn, string, RegExp]>([
    [
      'a body that is not JSON',
      { raw: 'this is not json' },
      'malformed_response',
      /not a chat completion|not valid JSON/,
    ],
    ['an empty choice list', { json: completion([]) }, 'malformed_response', /no choices/],
    [
      'a missing content',
      { json: completion([{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }]) },
      'malformed_response',
      /neither text nor tool calls/,
    ],
    [
      'an unknown finish_reason',
      { content: 'hm', finishReason: 'martian' },
      'malformed_response',
      /unknown finish_reason "martian"/,
    ],
    [
      'a context-length error',
      {
        status: 400,
        code: 'context_length_exceeded',
        message: "This model's maximum context length is 128000 tokens.",
      },
      'context_length_exceeded',
      /maximum context length is 128000 tokens/,
    ],
  ])('%s', async (_name, turn, code, message) => {
    const server = await fakeServer([turn, 'not reached']);
    const { conversation } = conversationOn(server);
    conversation.sendMessage('go');
    await expect(conversation.run()).rejects.toBeInstanceOf(ConversationRunError);
    expect(conversation.status).toBe('error');
    const [logged] = ofKind(conversation.events, 'agent_error');
    expect(logged).toMatchObject({ code });
    expect(logged!.message).toMatch(message);
    expect(server.requests).toHaveLength(1);
  });

  it('tool-call arguments that are not JSON: an error observation, and the model corrects itself', async () => {
    const server = await fakeServer([
      { toolCalls: [{ name: 'add', arguments: '{"a": 1, "b": ' }] },
      { toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] },
      'It is 3.',
    ]);
    const { conversation } = conversationOn(server, { stream: true });
    conversation.sendMessage('1 + 2?');
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 3 });
    const [bad, good] = ofKind(conversation.events, 'observation');
    expect(bad).toMatchObject({ isError: true });
    expect(bad!.content).toMatch(/not valid JSON/);
    expect(good).toMatchObject({ isError: false, content: '3' });
    expect(messagesOf(server, 1).at(-1)).toMatchObject({ role: 'tool', content: bad!.content });
  });
});

describe('the machine aborts the HTTP request', () => {
  it.each([false, true])(
    'interrupt() during a slow response (stream: %s) ends it; no retry',
    async (stream) => {
      const never = deferred();
      const server = await fakeServer([
        stream
          ? { content: 'slow answer that never ends', pauseAfterChunks: 2 }
          : { content: 'slow', delay: never.promise },
      ]);
      const { conversation, delays } = conversationOn(server, { stream });
      const firstDelta = deferred();
      conversation.deltas$.subscribe(() => firstDelta.resolve());
      conversation.sendMessage('take your time');
      const running = conversation.run();
      await server.waitForRequest(0);
      if (stream) await firstDelta.promise;
      await conversation.interrupt();
      expect(await running).toMatchObject({ status: 'paused' });
      expect(await server.requests[0]!.settled).toBe('disconnected');
      expect(server.requests).toHaveLength(1);
      expect(delays).toEqual([]);
      expect(ofKind(conversation.events, 'agent_error')).toEqual([]);

      server.push('Done now.');
      expect(await conversation.run()).toMatchObject({ status: 'finished' });
      expect(server.requests).toHaveLength(2);
    },
  );
});
