import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSeedDemo, seedModel } from '../src/cli/demo.js';
import { LLM } from '../src/llm/llm.js';
import { llmFromEnv } from '../src/llm/llm-from-env.js';
import type { ChatMessage } from '../src/llm/types.js';
import { nextEvent } from './helpers/conversation.js';
import { fakeServer } from './helpers/fake-llm.js';

let workspace: string | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  if (workspace) await rm(workspace, { recursive: true, force: true });
  workspace = undefined;
});

describe('llmFromEnv', () => {
  it('is undefined without LLM_API_KEY', () => {
    vi.stubEnv('LLM_API_KEY', '');
    expect(llmFromEnv()).toBeUndefined();
  });

  it('builds the LLM from LLM_MODEL, LLM_API_KEY and LLM_BASE_URL', () => {
    vi.stubEnv('LLM_API_KEY', 'sk-env');
    vi.stubEnv('LLM_MODEL', 'anthropic/claude-haiku-4-5');
    vi.stubEnv('LLM_BASE_URL', '');
    const llm = llmFromEnv({ stream: true });
    expect(llm).toBeInstanceOf(LLM);
    expect(llm!.describe()).toMatchObject({
      model: 'anthropic/claude-haiku-4-5',
      baseUrl: 'https://api.anthropic.com/v1',
      stream: true,
    });
  });

  it('defaults the model to openai/gpt-4o-mini', () => {
    vi.stubEnv('LLM_API_KEY', 'sk-env');
    vi.stubEnv('LLM_MODEL', '');
    expect(llmFromEnv()!.model).toBe('openai/gpt-4o-mini');
  });
});

it('the seed demo runs on the real LLM path when LLM_API_KEY is set', async () => {
  // The fake server plays the demo's model over HTTP.
  const server = await fakeServer((request) =>
    seedModel({
      request: { messages: (request.body as { messages: ChatMessage[] }).messages, tools: [] },
    }),
  );
  vi.stubEnv('LLM_API_KEY', 'sk-demo-key');
  vi.stubEnv('LLM_MODEL', 'openai/gpt-4o-mini');
  vi.stubEnv('LLM_BASE_URL', server.baseUrl);
  workspace = await mkdtemp(join(tmpdir(), 'llm-demo-'));
  const result = await runSeedDemo({
    llm: llmFromEnv(),
    workspace,
    waitSeconds: 0,
    visualizer: false,
    print: () => undefined,
    sendWhen: (conversation) =>
      nextEvent(conversation, (e) => e.kind === 'action' && e.toolName === 'terminal'),
  });
  expect(result.success).toBe(true);
  expect(result.document.trim().split('\n')).toHaveLength(3);
  expect(result.cost).toBeGreaterThan(0);
  expect(server.requests.length).toBeGreaterThanOrEqual(4);
  for (const request of server.requests) {
    expect(request.headers.authorization).toBe('Bearer sk-demo-key');
    const tools = (request.body as { tools: Array<{ function: { name: string } }> }).tools;
    expect(tools.map((t) => t.function.name)).toEqual(['terminal', 'file_editor', 'finish']);
  }
});
