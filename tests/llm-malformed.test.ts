import { describe, expect, it } from 'vitest';
import { LLMError } from '../src/llm/llm-error.js';
import { normalizeCompletion } from '../src/llm/normalize-response.js';
import type { FakeTurn } from '../src/testing/fake-openai-server.js';
import { ask, fakeLLM, fakeServer } from './helpers/fake-llm.js';

async function failureOf(turn: FakeTurn, stream = false): Promise<LLMError> {
  const server = await fakeServer([turn, 'a retry would get this']);
  const { llm } = fakeLLM(server, { stream });
  const error = await llm.complete(ask()).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LLMError);
  expect(server.requests).toHaveLength(1);
  return error as LLMError;
}

const completion = (choice: object) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'gpt-4o',
  choices: [{ index: 0, ...choice }],
});

const chunk = (choice: object) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  model: 'gpt-4o',
  choices: [{ index: 0, ...choice }],
});

describe('malformed responses end as a clear LLMError, never a crash', () => {
  it('a body that is not JSON', async () => {
    const error = await failureOf({ raw: '{"id": "chatcmpl-1", "choices": [' });
    expect(error).toMatchObject({ code: 'malformed_response', retryable: false });
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('a body that is plain text', async () => {
    const error = await failureOf({ raw: 'Internal proxy page', contentType: 'text/html' });
    expect(error.code).toBe('malformed_response');
    expect(error.message).toMatch(/not a chat completion: Internal proxy page/);
  });

  it('a stream event that is not JSON', async () => {
    const error = await failureOf({ raw: 'data: {"choices": [\n\n' }, true);
    expect(error.code).toBe('malformed_response');
  });

  it('an empty choice list', async () => {
    const error = await failureOf({ json: { ...completion({}), choices: [] } });
    expect(error).toMatchObject({ code: 'malformed_response' });
    expect(error.message).toMatch(/no choices/);
  });

  it('an empty choice list, streamed', async () => {
    const error = await failureOf(
      { chunks: [{ id: 'x', object: 'chat.completion.chunk', model: 'm', choices: [] }] },
      true,
    );
    expect(error).toMatchObject({ code: 'malformed_response' });
    expect(error.message).toMatch(/no choices/);
  });

  it('a missing content with no tool calls', async () => {
    const error = await failureOf({
      json: completion({ message: { role: 'assistant' }, finish_reason: 'stop' }),
    });
    expect(error.code).toBe('malformed_response');
    expect(error.message).toMatch(/neither text nor tool calls/);
  });

  it('a null content with no tool calls, streamed', async () => {
    const error = await failureOf({ content: null }, true);
    expect(error.message).toMatch(/neither text nor tool calls/);
  });

  it('a response cut off before any output says so', async () => {
    const error = await failureOf({ content: '', finishReason: 'length' });
    expect(error.message).toMatch(/cut off at the output token limit/);
  });

  it('a choice without a message', async () => {
    const error = await failureOf({ json: completion({ finish_reason: 'stop' }) });
    expect(error.message).toMatch(/no message/);
  });

  it.each([false, true])('an unknown finish_reason (stream: %s)', async (stream) => {
    const error = await failureOf({ content: 'hi', finishReason: 'exploded' }, stream);
    expect(error.code).toBe('malformed_response');
    expect(error.message).toMatch(/unknown finish_reason "exploded"/);
  });

  it('a tool call without a name', async () => {
    const error = await failureOf(
      {
        chunks: [
          chunk({ delta: { tool_calls: [{ index: 0, id: 'c1', function: { arguments: '{}' } }] } }),
          chunk({ delta: {}, finish_reason: 'tool_calls' }),
        ],
      },
      true,
    );
    expect(error.message).toMatch(/Tool call 1 .* has no function name/);
  });

  it.each([
    [
      'OpenAI',
      {
        status: 400,
        code: 'context_length_exceeded',
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens.",
      },
    ],
    ['Anthropic', { status: 400, message: 'prompt is too long: 210000 tokens > 200000 maximum' }],
    [
      'a proxy',
      { status: 500, message: 'ContextWindowExceededError: input exceeds the context window' },
    ],
  ] as const)(
    'a context-length error (%s) is context_length_exceeded, not retried',
    async (_who, fault) => {
      const error = await failureOf(fault);
      expect(error).toMatchObject({ code: 'context_length_exceeded', retryable: false });
      expect(error.message).toContain(fault.message);
    },
  );
});

describe('lenient where providers differ', () => {
  it('tool-call arguments that are not JSON are passed on as written', async () => {
    const server = await fakeServer([
      { toolCalls: [{ name: 'echo', arguments: '{"text": "unterminated' }] },
    ]);
    const response = await fakeLLM(server).llm.complete(ask());
    expect(response.toolCalls[0]).toMatchObject({
      name: 'echo',
      arguments: '{"text": "unterminated',
    });
  });

  it('empty arguments become {} and missing ids are made up', () => {
    const response = normalizeCompletion(
      completion({
        message: { role: 'assistant', content: null, tool_calls: [{ function: { name: 'now' } }] },
        finish_reason: 'tool_calls',
      }),
      { provider: 'p', model: 'm' },
    );
    expect(response.toolCalls).toEqual([{ id: 'chatcmpl-1_call_0', name: 'now', arguments: '{}' }]);
  });

  it('finish reasons of other providers are mapped to the standard ones', () => {
    const reasons = ['end_turn', 'eos', 'tool_use', 'max_tokens', 'STOP'].map(
      (finish_reason) =>
        normalizeCompletion(
          completion({ message: { role: 'assistant', content: 'x' }, finish_reason }),
          { provider: 'p', model: 'm' },
        ).finishReason,
    );
    expect(reasons).toEqual(['stop', 'stop', 'tool_calls', 'length', 'stop']);
  });

  it('content sent as a list of parts is joined', () => {
    const response = normalizeCompletion(
      completion({
        message: {
          role: 'assistant',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
        finish_reason: 'stop',
      }),
      { provider: 'p', model: 'm' },
    );
    expect(response.content).toBe('ab');
  });

  it('a refusal is the answer', () => {
    const response = normalizeCompletion(
      completion({
        message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
        finish_reason: 'stop',
      }),
      { provider: 'p', model: 'm' },
    );
    expect(response.content).toBe('I cannot help with that.');
  });
});
