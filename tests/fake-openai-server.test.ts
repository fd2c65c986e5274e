import { describe, expect, it } from 'vitest';
import type { FakeRequest } from '../src/testing/fake-openai-server.js';
import { deferred } from './helpers/deferred.js';
import { fakeServer } from './helpers/fake-llm.js';

function post(baseUrl: string, body: unknown, path = '/chat/completions', signal?: AbortSignal) {
  return fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer t' },
    body: JSON.stringify(body),
    signal,
  });
}

const chatBody = (extra: object = {}) => ({
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

/** The parts of an answer the tests read. */
interface Answer {
  choices: Array<{ message: { content: string | null } }>;
  error: { message: string };
}

async function answer(res: Response | Promise<Response>): Promise<Answer> {
  return (await (await res).json()) as Answer;
}

/** A streamed chunk, as the tests read it. */
interface Chunk {
  object: string;
  choices: Array<{ delta: { content?: string }; finish_reason: string | null }>;
  usage?: unknown;
}

/** The `data:` payloads of an SSE body. */
function events(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

describe('startFakeOpenAIServer', () => {
  it('listens on 127.0.0.1 and answers a scripted text reply as a chat completion', async () => {
    const server = await fakeServer(['Hello!']);
    expect(server.baseUrl).toBe(`http://127.0.0.1:${server.port}/v1`);
    const res = await post(server.baseUrl, chatBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-4o',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
    });
  });

  it('records every request: path, headers, parsed body, stream flag', async () => {
    const server = await fakeServer(['a', 'b']);
    await (await post(server.baseUrl, chatBody())).text();
    await (await post(server.baseUrl, chatBody({ stream: true }))).text();
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]).toMatchObject({
      index: 0,
      method: 'POST',
      path: '/v1/chat/completions',
      body: chatBody(),
      stream: false,
      clientDisconnected: false,
    });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer t');
    expect(server.requests[1]!.stream).toBe(true);
    expect(await server.requests[1]!.settled).toBe('completed');
  });

  it('tool calls, with JSON arguments and ids', async () => {
    const server = await fakeServer([
      {
        toolCalls: [
          { name: 'add', arguments: { a: 1 } },
          { name: 'raw', arguments: '{oops', id: 'mine' },
        ],
      },
    ]);
    const json = (await (await post(server.baseUrl, chatBody())).json()) as {
      choices: Array<{ message: unknown; finish_reason: string }>;
    };
    expect(json.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        content: null,
        tool_calls: [
          { id: 'call_0_0', type: 'function', function: { name: 'add', arguments: '{"a":1}' } },
          { id: 'mine', type: 'function', function: { name: 'raw', arguments: '{oops' } },
        ],
      },
    });
  });

  it('streams SSE chunks ending with [DONE], with usage only when asked for', async () => {
    const server = await fakeServer([
      { content: 'Hello world', usage: { promptTokens: 3, completionTokens: 2 }, chunkSize: 5 },
      { content: 'again', usage: { promptTokens: 3, completionTokens: 2 } },
    ]);
    const res = await post(
      server.baseUrl,
      chatBody({ stream: true, stream_options: { include_usage: true } }),
    );
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const data = events(await res.text());
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello world');
    expect(chunks.slice(1, 4).map((c) => c.choices[0]?.delta.content)).toEqual([
      'Hello',
      ' worl',
      'd',
    ]);
    expect(chunks.at(-2)!.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 2 },
    });

    const plain = events(await (await post(server.baseUrl, chatBody({ stream: true }))).text());
    expect(plain.slice(0, -1).some((d) => 'usage' in JSON.parse(d))).toBe(false);
  });

  it('faults: status, message, code, headers', async () => {
    const server = await fakeServer([
      {
        status: 429,
        message: 'slow down',
        code: 'rate_limit_exceeded',
        headers: { 'retry-after': '3' },
      },
      { status: 503, body: { detail: 'custom' } },
    ]);
    const first = await post(server.baseUrl, chatBody());
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(await first.json()).toEqual({
      error: {
        message: 'slow down',
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    const second = await post(server.baseUrl, chatBody());
    expect(second.status).toBe(503);
    expect(await second.json()).toEqual({ detail: 'custom' });
  });

  it('raw bodies and verbatim JSON', async () => {
    const server = await fakeServer([{ raw: 'not json' }, { json: { choices: [] } }]);
    expect(await (await post(server.baseUrl, chatBody())).text()).toBe('not json');
    expect(await (await post(server.baseUrl, chatBody())).json()).toEqual({ choices: [] });
  });

  it('a function script sees each request and its number', async () => {
    const seen: Array<[unknown, number]> = [];
    const server = await fakeServer((request: FakeRequest, turn: number) => {
      seen.push([(request.body as { messages: unknown[] }).messages.length, turn]);
      return `turn ${turn}`;
    });
    await (await post(server.baseUrl, chatBody())).text();
    const res = await post(server.baseUrl, chatBody());
    expect((await answer(res)).choices[0]?.message.content).toBe('turn 1');
    expect(seen).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });

  it('function entries in a list, push(), and a clear error when the script runs out', async () => {
    const server = await fakeServer([
      (request) => `echo ${(request.body as { model: string }).model}`,
    ]);
    server.push('pushed');
    const first = await answer(post(server.baseUrl, chatBody()));
    expect(first.choices[0]?.message.content).toBe('echo gpt-4o');
    const second = await answer(post(server.baseUrl, chatBody()));
    expect(second.choices[0]?.message.content).toBe('pushed');
    const third = await post(server.baseUrl, chatBody());
    expect(third.status).toBe(400);
    expect((await answer(third)).error.message).toMatch(
      /no scripted turn for chat completion request 3 \(the script has 2\)/,
    );
  });

  it('concurrent requests each get their own turn', async () => {
    const hold = deferred();
    const server = await fakeServer([{ content: 'first', delay: hold.promise }, 'second']);
    const first = post(server.baseUrl, chatBody());
    await server.waitForRequest(0);
    const second = (await answer(post(server.baseUrl, chatBody()))) as Answer & { id: string };
    expect([second.id, second.choices[0]?.message.content]).toEqual(['chatcmpl-fake-1', 'second']);
    hold.resolve();
    const late = (await answer(first)) as Answer & { id: string };
    expect([late.id, late.choices[0]?.message.content]).toEqual(['chatcmpl-fake-0', 'first']);
  });

  it('a script that throws answers 400 with its message', async () => {
    const server = await fakeServer([
      () => {
        throw new Error('bad test script');
      },
    ]);
    const res = await post(server.baseUrl, chatBody());
    expect(res.status).toBe(400);
    expect((await answer(res)).error.message).toMatch(/bad test script/);
  });

  it('other routes are 404 and use no turn', async () => {
    const server = await fakeServer(['kept']);
    expect((await post(server.baseUrl, {}, '/embeddings')).status).toBe(404);
    const res = await post(server.baseUrl, chatBody());
    expect((await answer(res)).choices[0]?.message.content).toBe('kept');
  });

  it('notices a client that leaves during a delay, and waitForRequest resolves on arrival', async () => {
    const never = deferred();
    const server = await fakeServer([{ content: 'late', delay: never.promise }]);
    const arrived = server.waitForRequest(0);
    const controller = new AbortController();
    const res = post(server.baseUrl, chatBody(), undefined, controller.signal);
    expect((await arrived).body).toEqual(chatBody());
    controller.abort();
    await expect(res).rejects.toThrow();
    expect(await server.requests[0]!.settled).toBe('disconnected');
    expect(server.requests[0]!.clientDisconnected).toBe(true);
  });

  it('drops the connection before answering, or in the middle of a stream', async () => {
    const server = await fakeServer([
      { dropConnection: 'before' },
      { content: 'abcdefghijklmnop', dropConnection: 'midStream' },
    ]);
    await expect(post(server.baseUrl, chatBody())).rejects.toThrow();
    const res = await post(server.baseUrl, chatBody({ stream: true }));
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(await server.requests[1]!.settled).toBe('dropped');
  });

  it('close() ends open connections and stops listening', async () => {
    const never = deferred();
    const server = await fakeServer([{ content: 'never', delay: never.promise }]);
    const pending = post(server.baseUrl, chatBody());
    await server.waitForRequest(0);
    await server.close();
    await expect(pending).rejects.toThrow();
    await expect(post(server.baseUrl, chatBody())).rejects.toThrow();
  });
});
