import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { LLM } from '../src/llm/llm.js';
import { LLMError } from '../src/llm/llm-error.js';
import type { ChatMessage } from '../src/llm/types.js';
import { PROVIDERS, resolveModel } from '../src/llm/providers.js';
import { defineTool, toToolSpec } from '../src/tools/define-tool.js';
import { ask, fakeLLM, fakeServer } from './helpers/fake-llm.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Clears every variable the LLM reads, so the machine's environment does not leak in. */
function clearEnv() {
  for (const name of ['LLM_API_KEY', 'LLM_MODEL', 'LLM_BASE_URL']) vi.stubEnv(name, '');
  for (const provider of Object.values(PROVIDERS)) {
    if (provider.apiKeyEnv) vi.stubEnv(provider.apiKeyEnv, '');
  }
}

describe('provider prefixes', () => {
  it.each([
    ['openai/gpt-4o', 'https://api.openai.com/v1', 'gpt-4o'],
    [
      'anthropic/claude-sonnet-4-5-20250929',
      'https://api.anthropic.com/v1',
      'claude-sonnet-4-5-20250929',
    ],
    [
      'openrouter/anthropic/claude-sonnet-4.5',
      'https://openrouter.ai/api/v1',
      'anthropic/claude-sonnet-4.5',
    ],
    ['groq/llama-3.3-70b-versatile', 'https://api.groq.com/openai/v1', 'llama-3.3-70b-versatile'],
    [
      'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'https://api.together.xyz/v1',
      'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    ],
    ['deepseek/deepseek-chat', 'https://api.deepseek.com/v1', 'deepseek-chat'],
    ['mistral/mistral-small-latest', 'https://api.mistral.ai/v1', 'mistral-small-latest'],
    ['ollama/qwen2.5-coder:7b', 'http://localhost:11434/v1', 'qwen2.5-coder:7b'],
    ['lmstudio/qwen3-8b', 'http://localhost:1234/v1', 'qwen3-8b'],
    ['litellm_proxy/gpt-4o', 'http://localhost:4000/v1', 'gpt-4o'],
    [
      'gemini/gemini-2.5-flash',
      'https://generativelanguage.googleapis.com/v1beta/openai',
      'gemini-2.5-flash',
    ],
  ])('%s → %s, model %s', (model, baseUrl, apiModel) => {
    clearEnv();
    const llm = new LLM({ model, apiKey: 'k' });
    expect(llm.baseUrl).toBe(baseUrl);
    expect(llm.apiModel).toBe(apiModel);
    expect(llm.model).toBe(model);
  });

  it('a model with no known prefix is sent as is, to OpenAI unless baseUrl says otherwise', () => {
    expect(resolveModel('gpt-4o')).toMatchObject({ prefixed: false, apiModel: 'gpt-4o' });
    expect(resolveModel('meta-llama/Llama-3-8B')).toMatchObject({
      prefixed: false,
      apiModel: 'meta-llama/Llama-3-8B',
      provider: PROVIDERS.openai,
    });
    expect(resolveModel('OpenAI/gpt-4o')).toMatchObject({ prefixed: true, apiModel: 'gpt-4o' });
  });

  it('baseUrl overrides the provider URL, and the request carries the model without prefix', async () => {
    const server = await fakeServer(['hi']);
    const { llm } = fakeLLM(server, { model: 'groq/llama-3.3-70b-versatile' });
    await llm.complete(ask());
    expect(server.requests[0]).toMatchObject({
      path: '/v1/chat/completions',
      body: { model: 'llama-3.3-70b-versatile' },
    });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test-key-0123456789');
  });
});

describe('environment variables', () => {
  it('LLM_MODEL, LLM_API_KEY and LLM_BASE_URL are the defaults', async () => {
    const server = await fakeServer(['from env']);
    clearEnv();
    vi.stubEnv('LLM_MODEL', 'deepseek/deepseek-chat');
    vi.stubEnv('LLM_API_KEY', 'sk-from-env-123456');
    vi.stubEnv('LLM_BASE_URL', server.baseUrl);
    const llm = new LLM();
    expect(llm.model).toBe('deepseek/deepseek-chat');
    expect(llm.baseUrl).toBe(server.baseUrl);
    expect((await llm.complete(ask())).content).toBe('from env');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-from-env-123456');
    expect(server.requests[0]!.body).toMatchObject({ model: 'deepseek-chat' });
  });

  it('options win over the environment', () => {
    clearEnv();
    vi.stubEnv('LLM_MODEL', 'openai/gpt-4o');
    vi.stubEnv('LLM_BASE_URL', 'http://elsewhere.invalid/v1');
    const llm = new LLM({ model: 'mistral/codestral-latest', baseUrl: 'http://127.0.0.1:9/v1/' });
    expect(llm.model).toBe('mistral/codestral-latest');
    expect(llm.baseUrl).toBe('http://127.0.0.1:9/v1');
  });

  it("the provider's own key variable is the last resort", async () => {
    const server = await fakeServer(['ok']);
    clearEnv();
    vi.stubEnv('GROQ_API_KEY', 'gsk-own-variable-1234');
    const llm = new LLM({ model: 'groq/llama-3.1-8b-instant', baseUrl: server.baseUrl });
    await llm.complete(ask());
    expect(server.requests[0]!.headers.authorization).toBe('Bearer gsk-own-variable-1234');
  });

  it('no model anywhere is a clear error', () => {
    clearEnv();
    expect(() => new LLM()).toThrow(/LLM_MODEL/);
  });

  it('no key for a remote provider fails the call without a request', async () => {
    clearEnv();
    const llm = new LLM({ model: 'anthropic/claude-haiku-4-5' });
    const error = await llm.complete(ask()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMError);
    expect(error).toMatchObject({ code: 'authentication', retryable: false });
    expect((error as Error).message).toMatch(/LLM_API_KEY \(or ANTHROPIC_API_KEY\)/);
  });

  it('a local server needs no key', async () => {
    const server = await fakeServer(['local']);
    clearEnv();
    const llm = new LLM({ model: 'ollama/llama3.2', baseUrl: server.baseUrl });
    expect((await llm.complete(ask())).content).toBe('local');
  });

  it('rejects bad numeric options', () => {
    expect(() => new LLM({ model: 'openai/gpt-4o', maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => new LLM({ model: 'openai/gpt-4o', timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

describe('the key stays secret', () => {
  const key = 'sk-secret-abcdef-0123456789';

  it('is left out of describe(), JSON and inspect', () => {
    const llm = new LLM({ model: 'openai/gpt-4o', apiKey: key, temperature: 0.2 });
    const settings = llm.describe();
    expect(settings).toEqual({
      model: 'openai/gpt-4o',
      baseUrl: 'https://api.openai.com/v1',
      usageId: 'default',
      temperature: 0.2,
      maxRetries: 5,
      timeoutMs: 300_000,
      stream: false,
    });
    expect(JSON.stringify(llm)).toBe(JSON.stringify(settings));
    expect(inspect(llm, { depth: 10, showHidden: true })).not.toContain(key);
    expect(inspect(llm)).toMatch(/^LLM \{/);
  });

  it('describe() rebuilds the same LLM', () => {
    const llm = new LLM({
      model: 'groq/llama-3.3-70b-versatile',
      apiKey: key,
      stream: true,
      maxOutputTokens: 512,
      usageId: 'agent',
    });
    expect(new LLM({ ...llm.describe(), apiKey: key }).describe()).toEqual(llm.describe());
  });

  it('is blanked out of errors that echo it', async () => {
    const server = await fakeServer([
      { status: 401, message: `Incorrect API key provided: ${key}` },
    ]);
    const { llm } = fakeLLM(server, { apiKey: key });
    const error = (await llm.complete(ask()).catch((e: unknown) => e)) as LLMError;
    expect(error.code).toBe('authentication');
    expect(error.message).toContain('Incorrect API key provided: [redacted]');
    expect(error.message).not.toContain(key);
  });
});

describe('the request body', () => {
  const edit = defineTool({
    name: 'edit_file',
    description: 'Replaces text in a file',
    parameters: z.object({
      path: z.string().describe('File to edit'),
      old: z.string(),
      new: z.string(),
      count: z.number().int().optional(),
      mode: z.enum(['exact', 'regex']).default('exact'),
    }),
    execute: () => 'ok',
  });
  const now = defineTool({
    name: 'now',
    description: 'The time',
    parameters: z.object({}),
    execute: () => '',
  });

  it("carries each tool's JSON schema from zod, in the shape the API accepts", async () => {
    const server = await fakeServer(['ok']);
    const { llm } = fakeLLM(server);
    await llm.complete(ask('edit it', [toToolSpec(edit), toToolSpec(now)]));
    const body = server.requests[0]!.body as { tools: unknown[] };
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'edit_file',
          description: 'Replaces text in a file',
          parameters: {
            type: 'object',
            properties: {
              path: { type: 'string', description: 'File to edit' },
              old: { type: 'string' },
              new: { type: 'string' },
              count: { type: 'integer', minimum: expect.any(Number), maximum: expect.any(Number) },
              mode: { type: 'string', enum: ['exact', 'regex'], default: 'exact' },
            },
            required: ['path', 'old', 'new'],
          },
        },
      },
      {
        type: 'function',
        function: {
          name: 'now',
          description: 'The time',
          parameters: { type: 'object', properties: {} },
        },
      },
    ]);
  });

  it('sends the messages as they are, no tools key without tools, and the options', async () => {
    const server = await fakeServer(['ok']);
    const { llm } = fakeLLM(server, { model: 'gpt-4o', temperature: 0, maxOutputTokens: 256 });
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Run ls' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'terminal', arguments: '{"command":"ls"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'a.txt' },
    ] satisfies ChatMessage[];
    await llm.complete({ messages, tools: [] });
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body).toEqual({ model: 'gpt-4o', messages, temperature: 0, max_tokens: 256 });
  });

  it.each([
    ['openai/gpt-5', 'max_completion_tokens'],
    ['gpt-5', 'max_tokens'],
    ['groq/llama-3.1-8b-instant', 'max_tokens'],
    ['anthropic/claude-haiku-4-5', 'max_tokens'],
  ])('%s at a custom URL limits output with %s', async (model, field) => {
    const server = await fakeServer(['ok']);
    const { llm } = fakeLLM(server, { model, maxOutputTokens: 100 });
    await llm.complete(ask());
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body[field]).toBe(100);
    expect(Object.keys(body).filter((k) => k.startsWith('max_'))).toEqual([field]);
  });
});
