import { afterEach } from 'vitest';
import { LLM, type LLMOptions, type LLMRequest, type ToolSpec } from '../../src/index.js';
import {
  type FakeOpenAIServer,
  type FakeOpenAIServerOptions,
  startFakeOpenAIServer,
} from '../../src/testing/index.js';

const servers: FakeOpenAIServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Starts a fake server that is closed after the test. */
export async function fakeServer(
  script: FakeOpenAIServerOptions['script'] = [],
): Promise<FakeOpenAIServer> {
  const server = await startFakeOpenAIServer({ script });
  servers.push(server);
  return server;
}

/** A sleep that does not wait: it records each delay the retry policy chose. */
export function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal) => {
    signal?.throwIfAborted();
    delays.push(ms);
  };
  return { delays, sleep };
}

/**
 * An `LLM` talking to the fake server through the real `openai` client, with a sleep
 * that records the backoff delays instead of waiting.
 */
export function fakeLLM(server: Pick<FakeOpenAIServer, 'baseUrl'>, options: LLMOptions = {}) {
  const { delays, sleep } = recordingSleep();
  const llm = new LLM({
    model: 'openai/gpt-4o',
    apiKey: 'sk-test-key-0123456789',
    baseUrl: server.baseUrl,
    ...options,
    retry: { sleep, ...options.retry },
  });
  return { llm, delays };
}

/** A request with one user message and the given tools. */
export function ask(content = 'Hello', tools: readonly ToolSpec[] = []): LLMRequest {
  return { messages: [{ role: 'user', content }], tools };
}
