import { describe, expect, it } from 'vitest';
import { LLMError } from '../src/llm/llm-error.js';
import { sleep } from '../src/llm/abort.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from '../src/llm/retry.js';
import { deferred } from './helpers/deferred.js';
import { ask, fakeLLM, fakeServer } from './helpers/fake-llm.js';

async function failure(promise: Promise<unknown>): Promise<LLMError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LLMError);
  return error as LLMError;
}

describe('retries', () => {
  it('429 then success: waits at least the Retry-After, then answers', async () => {
    const server = await fakeServer([
      { status: 429, message: 'Rate limit reached for gpt-4o', headers: { 'retry-after': '7' } },
      'Hello after the wait',
    ]);
    const { llm, delays } = fakeLLM(server);
    const response = await llm.complete(ask());
    expect(response.content).toBe('Hello after the wait');
    expect(server.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThanOrEqual(7000);
    expect(llm.metrics.retries).toBe(1);
    expect(llm.metrics.records[0]?.attempts).toBe(2);
  });

  it('honours retry-after-ms and an HTTP date', async () => {
    const server = await fakeServer([
      { status: 429, headers: { 'retry-after-ms': '2500' } },
      { status: 503, headers: { 'retry-after': new Date(Date.now() + 200_000).toUTCString() } },
      'ok',
    ]);
    const { llm, delays } = fakeLLM(server);
    await llm.complete(ask());
    expect(delays[0]).toBeGreaterThanOrEqual(2500);
    // The date is read against the clock when the answer arrives.
    expect(delays[1]).toBeGreaterThanOrEqual(150_000);
  });

  it('backs off exponentially with jitter on 5xx', async () => {
    const server = await fakeServer([
      { status: 500 },
      { status: 502 },
      { status: 503 },
      { status: 504 },
      'finally',
    ]);
    const { llm, delays } = fakeLLM(server);
    expect((await llm.complete(ask())).content).toBe('finally');
    expect(delays).toHaveLength(4);
    delays.forEach((delay, n) => {
      const full = 1000 * 2 ** n;
      expect(delay).toBeLessThanOrEqual(full);
      expect(delay).toBeGreaterThanOrEqual(full * 0.75);
      if (n > 0) expect(delay).toBeGreaterThan(delays[n - 1]!);
    });
  });

  it('the jitter and the delays are configurable', async () => {
    const server = await fakeServer([{ status: 500 }, { status: 500 }, { status: 500 }, 'ok']);
    const { llm, delays } = fakeLLM(server, {
      retry: { baseDelayMs: 100, maxDelayMs: 300, random: () => 1, jitter: 0.5 },
    });
    await llm.complete(ask());
    expect(delays).toEqual([50, 100, 150]);
  });

  it('500 on every attempt: fails after maxRetries + 1 requests with the provider message', async () => {
    const server = await fakeServer(
      Array.from({ length: 4 }, () => ({ status: 500, message: 'The server had an error' })),
    );
    const { llm, delays } = fakeLLM(server, { maxRetries: 3 });
    const error = await failure(llm.complete(ask()));
    expect(server.requests).toHaveLength(4);
    expect(delays).toHaveLength(3);
    expect(error).toMatchObject({ code: 'server_error', status: 500, attempts: 4 });
    expect(error.message).toContain('The server had an error');
    expect(error.message).toContain('gave up after 4 attempts');
    expect(llm.metrics.calls).toBe(0);
  });

  it('defaults to 5 retries', async () => {
    const server = await fakeServer(Array.from({ length: 6 }, () => ({ status: 503 })));
    const { llm } = fakeLLM(server);
    expect(llm.maxRetries).toBe(5);
    const error = await failure(llm.complete(ask()));
    expect(server.requests).toHaveLength(6);
    expect(error.attempts).toBe(6);
  });

  it.each([
    [400, 'bad_request'],
    [401, 'authentication'],
    [403, 'permission'],
    [404, 'not_found'],
    [422, 'bad_request'],
  ] as const)('%i is not retried (%s)', async (status, code) => {
    const server = await fakeServer([{ status, message: `Provider says ${status}` }, 'never sent']);
    const { llm, delays } = fakeLLM(server);
    const error = await failure(llm.complete(ask()));
    expect(error).toMatchObject({ code, status, retryable: false, attempts: 1 });
    expect(error.message).toContain(`Provider says ${status}`);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('an exhausted quota (429 insufficient_quota) is not retried', async () => {
    const server = await fakeServer([
      { status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota' },
      'never sent',
    ]);
    const { llm } = fakeLLM(server);
    const error = await failure(llm.complete(ask()));
    expect(error).toMatchObject({ code: 'rate_limit', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('408 and 409 are retried', async () => {
    const server = await fakeServer([{ status: 408 }, { status: 409 }, 'ok']);
    const { llm, delays } = fakeLLM(server);
    expect((await llm.complete(ask())).content).toBe('ok');
    expect(delays).toHaveLength(2);
  });

  it("the provider's x-should-retry header wins", async () => {
    const server = await fakeServer([
      { status: 400, headers: { 'x-should-retry': 'true' } },
      'retried',
      { status: 503, headers: { 'x-should-retry': 'false' } },
      'not asked',
    ]);
    const { llm } = fakeLLM(server);
    expect((await llm.complete(ask())).content).toBe('retried');
    const error = await failure(llm.complete(ask()));
    expect(error).toMatchObject({ code: 'server_error', retryable: false });
    expect(server.requests).toHaveLength(3);
  });

  it('a Retry-After longer than allowed fails at once instead of waiting', async () => {
    const server = await fakeServer([{ status: 429, headers: { 'retry-after': '86400' } }, 'no']);
    const { llm, delays } = fakeLLM(server);
    const error = await failure(llm.complete(ask()));
    expect(error.code).toBe('rate_limit');
    expect(error.message).toMatch(/retry after 86400 s, more than the 300 s allowed/);
    expect(delays).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('a connection dropped before the response is retried', async () => {
    const server = await fakeServer([{ dropConnection: 'before' }, 'second try']);
    const { llm, delays } = fakeLLM(server);
    expect((await llm.complete(ask())).content).toBe('second try');
    expect(await server.requests[0]!.settled).toBe('dropped');
    expect(delays).toHaveLength(1);
  });

  it('a connection dropped in the middle of the JSON body is retried', async () => {
    const server = await fakeServer([{ content: 'half', dropConnection: 'midStream' }, 'whole']);
    const { llm } = fakeLLM(server);
    expect((await llm.complete(ask())).content).toBe('whole');
    expect(server.requests).toHaveLength(2);
  });

  it('a refused connection is a retryable connection error', async () => {
    // Nothing listens on port 1 (and only root could bind it).
    const { llm, delays } = fakeLLM({ baseUrl: 'http://127.0.0.1:1/v1' }, { maxRetries: 2 });
    const error = await failure(llm.complete(ask()));
    expect(error).toMatchObject({ code: 'connection', retryable: true, attempts: 3 });
    expect(delays).toHaveLength(2);
  });

  it('a request that outlasts timeoutMs is abandoned and retried', async () => {
    const never = deferred();
    const server = await fakeServer([{ content: 'too late', delay: never.promise }, 'in time']);
    // Long enough for the second attempt on a busy machine.
    const { llm, delays } = fakeLLM(server, { timeoutMs: 1000 });
    expect((await llm.complete(ask())).content).toBe('in time');
    expect(await server.requests[0]!.settled).toBe('disconnected');
    expect(delays).toHaveLength(1);
  });

  it('a timeout on every attempt ends as a timeout error', async () => {
    const never = deferred();
    const server = await fakeServer(() => ({ content: 'late', delay: never.promise }));
    const { llm } = fakeLLM(server, { timeoutMs: 20, maxRetries: 1 });
    const error = await failure(llm.complete(ask()));
    expect(error).toMatchObject({ code: 'timeout', attempts: 2 });
    expect(error.message).toMatch(/within 20 ms/);
  });
});

describe('abort', () => {
  it('during a slow response: the request ends, the server sees the socket close, no retry', async () => {
    const never = deferred();
    const server = await fakeServer([{ content: 'slow', delay: never.promise }, 'not asked']);
    const { llm, delays } = fakeLLM(server);
    const controller = new AbortController();
    const call = llm.complete(ask(), { signal: controller.signal });
    await server.waitForRequest(0);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(await server.requests[0]!.settled).toBe('disconnected');
    expect(server.requests[0]!.clientDisconnected).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
    expect(llm.metrics.calls).toBe(0);
  });

  it('rejects with the reason given to abort()', async () => {
    const never = deferred();
    const server = await fakeServer([{ content: 'slow', delay: never.promise }]);
    const { llm } = fakeLLM(server);
    const controller = new AbortController();
    const call = llm.complete(ask(), { signal: controller.signal });
    await server.waitForRequest(0);
    const reason = new Error('user pressed stop');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });

  it('during the wait before a retry: ends at once, no further request', async () => {
    const server = await fakeServer([
      { status: 429, headers: { 'retry-after': '120' } },
      'not asked',
    ]);
    const waiting = deferred<number>();
    const { llm } = fakeLLM(server, {
      retry: {
        sleep: (ms, signal) => {
          waiting.resolve(ms);
          return sleep(ms, signal);
        },
      },
    });
    const controller = new AbortController();
    const call = llm.complete(ask(), { signal: controller.signal });
    expect(await waiting.promise).toBeGreaterThanOrEqual(120_000);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });

  it('even when the injected sleep ignores the signal', async () => {
    const server = await fakeServer([{ status: 500 }, 'not asked']);
    const waiting = deferred();
    const { llm } = fakeLLM(server, {
      retry: {
        sleep: () => {
          waiting.resolve();
          return new Promise(() => {});
        },
      },
    });
    const controller = new AbortController();
    const call = llm.complete(ask(), { signal: controller.signal });
    await waiting.promise;
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });

  it('an aborted signal sends nothing', async () => {
    const server = await fakeServer(['never']);
    const { llm } = fakeLLM(server);
    await expect(llm.complete(ask(), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('retry policy helpers', () => {
  it('backoffDelay grows, is capped, and never undercuts Retry-After', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, undefined, policy))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
    expect(backoffDelay(0, 9000, policy)).toBe(9000);
    expect(backoffDelay(3, 10, policy)).toBe(8000);
  });

  it('parseRetryAfter reads seconds, milliseconds and dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(
      parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now),
    ).toBe(30_000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });
});
