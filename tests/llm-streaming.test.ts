import { describe, expect, it } from 'vitest';
import { LLMError } from '../src/llm/llm-error.js';
import type { LLMDelta, LLMResponse } from '../src/llm/types.js';
import type { FakeTurn } from '../src/testing/fake-openai-server.js';
import { deferred } from './helpers/deferred.js';
import { ask, fakeLLM, fakeServer } from './helpers/fake-llm.js';

const withoutLatency = ({ latencyMs: _latency, ...rest }: LLMResponse) => rest;

/** Text of the deltas after the last reset. */
function streamedText(deltas: readonly LLMDelta[]): string {
  const last = deltas.map((d) => d.reset === true).lastIndexOf(true);
  return deltas
    .slice(last + 1)
    .map((d) => d.content ?? '')
    .join('');
}

const replies: Array<[string, FakeTurn]> = [
  [
    'text',
    {
      id: 'r1',
      content: 'Hello there, how are you today?',
      usage: { promptTokens: 12, completionTokens: 8 },
    },
  ],
  [
    'tool calls',
    {
      id: 'r2',
      content: 'Let me check two things.',
      toolCalls: [
        { name: 'read_file', arguments: { path: 'README.md', lines: [1, 20] }, id: 'call_a' },
        { name: 'terminal', arguments: { command: 'ls -la && echo "done"' }, id: 'call_b' },
      ],
      usage: { promptTokens: 40, completionTokens: 30, cachedTokens: 32 },
    },
  ],
  [
    'tool calls only',
    {
      id: 'r3',
      toolCalls: [{ name: 'finish', arguments: { message: 'All done ✓' }, id: 'call_c' }],
      usage: { promptTokens: 5, completionTokens: 5 },
    },
  ],
];

describe('streaming', () => {
  it.each(replies)('assembles the same response as JSON: %s', async (_name, turn) => {
    const json = await fakeServer([turn]);
    const sse = await fakeServer([turn]);
    const plain = await fakeLLM(json).llm.complete(ask());
    const deltas: LLMDelta[] = [];
    const streamed = await fakeLLM(sse, { stream: true }).llm.complete(ask(), {
      onDelta: (d) => deltas.push(d),
    });
    expect(sse.requests[0]!.stream).toBe(true);
    expect(json.requests[0]!.stream).toBe(false);
    expect(withoutLatency(streamed)).toEqual(withoutLatency(plain));
    expect(streamedText(deltas)).toBe(plain.content ?? '');
    // The tool-call deltas rebuild the calls.
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for (const { toolCall } of deltas) {
      if (!toolCall) continue;
      const call = calls.get(toolCall.index) ?? { id: '', name: '', arguments: '' };
      call.id += toolCall.id ?? '';
      call.name += toolCall.name ?? '';
      call.arguments += toolCall.arguments ?? '';
      calls.set(toolCall.index, call);
    }
    expect([...calls.values()]).toEqual(plain.toolCalls);
  });

  it('asks for usage in the last chunk and counts it', async () => {
    const server = await fakeServer([
      { content: 'streamed', usage: { promptTokens: 100, completionTokens: 20, cachedTokens: 60 } },
    ]);
    const { llm } = fakeLLM(server, { stream: true });
    const response = await llm.complete(ask());
    expect(server.requests[0]!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.usage).toEqual({ promptTokens: 100, completionTokens: 20, cachedTokens: 60 });
    expect(llm.metrics).toMatchObject({
      promptTokens: 100,
      completionTokens: 20,
      cachedTokens: 60,
    });
    // gpt-4o: 40 uncached at $2.50/M, 60 cached at $1.25/M, 20 out at $10/M.
    expect(response.cost).toBeCloseTo((40 * 2.5 + 60 * 1.25 + 20 * 10) / 1e6, 12);
  });

  it('passes deltas on as they arrive, before the response is complete', async () => {
    const resume = deferred();
    const server = await fakeServer([
      { content: 'one two three four five six', pauseAfterChunks: 3, resume: resume.promise },
    ]);
    const { llm } = fakeLLM(server, { stream: true });
    const first = deferred<LLMDelta>();
    let done = false;
    const call = llm.complete(ask(), { onDelta: (d) => first.resolve(d) }).finally(() => {
      done = true;
    });
    expect(await first.promise).toEqual({ content: 'one ' });
    expect(done).toBe(false);
    resume.resolve();
    expect((await call).content).toBe('one two three four five six');
  });

  it('a stream dropped in the middle is retried, after a reset delta', async () => {
    const server = await fakeServer([
      { content: 'This answer will break off halfway', dropConnection: 'midStream' },
      { content: 'A complete answer' },
    ]);
    const { llm, delays } = fakeLLM(server, { stream: true });
    const deltas: LLMDelta[] = [];
    const response = await llm.complete(ask(), { onDelta: (d) => deltas.push(d) });
    expect(response.content).toBe('A complete answer');
    expect(deltas.filter((d) => d.reset)).toHaveLength(1);
    expect(deltas.findIndex((d) => d.reset)).toBeGreaterThan(0);
    expect(streamedText(deltas)).toBe('A complete answer');
    expect(delays).toHaveLength(1);
    expect(await server.requests[0]!.settled).toBe('dropped');
  });

  it('a stream that ends without a finish reason is incomplete, and retried', async () => {
    const chunk = (content: string) => ({
      id: 'x',
      object: 'chat.completion.chunk',
      model: 'gpt-4o',
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    });
    const server = await fakeServer([{ chunks: [chunk('cut ')], done: false }, 'whole']);
    const { llm } = fakeLLM(server, { stream: true, maxRetries: 1 });
    expect((await llm.complete(ask())).content).toBe('whole');
    expect(server.requests).toHaveLength(2);
  });

  it('a stream silent for longer than timeoutMs is abandoned and retried', async () => {
    const server = await fakeServer([
      { content: 'goes quiet after this', pauseAfterChunks: 2 },
      { content: 'steady answer' },
    ]);
    // Long enough for the second attempt on a busy machine.
    const { llm, delays } = fakeLLM(server, { stream: true, timeoutMs: 1000 });
    const deltas: LLMDelta[] = [];
    const response = await llm.complete(ask(), { onDelta: (d) => deltas.push(d) });
    expect(response.content).toBe('steady answer');
    expect(await server.requests[0]!.settled).toBe('disconnected');
    expect(deltas.filter((d) => d.reset)).toHaveLength(1);
    expect(delays).toHaveLength(1);
  });

  it('abort in the middle of a stream closes the connection; no retry', async () => {
    const server = await fakeServer([
      { content: 'a long answer that never ends', pauseAfterChunks: 2 },
      'not asked',
    ]);
    const { llm, delays } = fakeLLM(server, { stream: true });
    const controller = new AbortController();
    const call = llm.complete(ask(), {
      signal: controller.signal,
      onDelta: () => controller.abort(),
    });
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(await server.requests[0]!.settled).toBe('disconnected');
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('an error event inside the stream becomes an LLMError', async () => {
    const server = await fakeServer([
      {
        chunks: [
          {
            error: {
              message: "This model's maximum context length is 8192 tokens",
              code: 'context_length_exceeded',
            },
          },
        ],
      },
    ]);
    const { llm } = fakeLLM(server, { stream: true });
    const error = await llm.complete(ask()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMError);
    expect(error).toMatchObject({ code: 'context_length_exceeded', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('a provider error code inside the stream is mapped like its status', async () => {
    const server = await fakeServer([
      { chunks: [{ error: { message: 'Upstream overloaded', code: 502 } }] },
      'recovered',
    ]);
    const { llm } = fakeLLM(server, { stream: true });
    expect((await llm.complete(ask())).content).toBe('recovered');
    expect(server.requests).toHaveLength(2);
  });
});
