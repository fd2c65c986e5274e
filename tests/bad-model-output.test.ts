import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnyToolDefinition, type Conversation, defineTool } from '../src/index.js';
import { ScriptedLLM, type ScriptedTurn } from '../src/testing/index.js';
import { echoTool, scripted, toolTexts } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

async function firstToolResult(turn: ScriptedTurn, tools: AnyToolDefinition[] = [echoTool]) {
  const { conversation, llm } = scripted([turn, 'recovered'], tools);
  open.push(conversation);
  conversation.sendMessage('go');
  const result = await conversation.run();
  const observation = conversation.events.find((e) => e.kind === 'observation')!;
  return { result, observation, conversation, seen: toolTexts(llm.requests[1]!) };
}

describe('bad model output becomes an error observation the model sees', () => {
  it('an unknown tool: the observation lists the tools that exist', async () => {
    const { result, observation, seen } = await firstToolResult(
      ScriptedLLM.call('rm_everything', {}),
    );
    expect(result.status).toBe('finished');
    expect(observation).toMatchObject({ isError: true, toolName: 'rm_everything' });
    expect(observation.kind === 'observation' && observation.content).toMatch(
      /Unknown tool "rm_everything"/,
    );
    expect(seen[0]).toMatch(/echo, finish/);
  });

  it('arguments that are not JSON', async () => {
    const { observation, seen } = await firstToolResult({
      toolCalls: [{ name: 'echo', arguments: '{"text": "unterminated' }],
    });
    expect(observation).toMatchObject({ isError: true });
    expect(seen[0]).toMatch(/not valid JSON/);
  });

  it('arguments failing the schema: names the path, not the value', async () => {
    const { observation, seen } = await firstToolResult(
      ScriptedLLM.call('echo', { text: 12345678 }),
    );
    expect(observation).toMatchObject({ isError: true });
    expect(seen[0]).toMatch(/Invalid arguments for tool "echo"/);
    expect(seen[0]).toMatch(/`text`/);
    expect(seen[0]).not.toMatch(/12345678/);
  });

  it('a missing required argument', async () => {
    const { seen } = await firstToolResult(ScriptedLLM.call('echo', {}));
    expect(seen[0]).toMatch(/`text`/);
  });

  it('a tool that throws: the model gets the error text and the conversation goes on', async () => {
    const broken = defineTool({
      name: 'broken',
      description: 'Always fails',
      parameters: z.object({}),
      execute: () => {
        throw new Error('disk on fire');
      },
    });
    const { result, observation, seen } = await firstToolResult(ScriptedLLM.call('broken'), [
      broken,
    ]);
    expect(result.status).toBe('finished');
    expect(observation).toMatchObject({ isError: true });
    expect(seen[0]).toBe('Tool "broken" failed: disk on fire');
  });

  it('a tool returning an error result keeps its data', async () => {
    const soft = defineTool({
      name: 'soft',
      description: 'Reports a failure',
      parameters: z.object({}),
      execute: () => ({ content: 'file not found', isError: true, data: { code: 'ENOENT' } }),
    });
    const { observation } = await firstToolResult(ScriptedLLM.call('soft'), [soft]);
    expect(observation).toMatchObject({
      isError: true,
      content: 'file not found',
      data: { code: 'ENOENT' },
    });
  });
});

it('every tool call of a response gets its result, in order', async () => {
  const { conversation, llm } = scripted([
    {
      content: 'Let me do three things.',
      toolCalls: [
        { name: 'echo', arguments: { text: '1' } },
        { name: 'nope', arguments: {} },
        { name: 'echo', arguments: { text: '3' } },
      ],
    },
    'ok',
  ]);
  open.push(conversation);
  conversation.sendMessage('go');
  await conversation.run();
  const request = llm.requests[1]!;
  const assistant = request.messages.find((m) => m.role === 'assistant');
  expect(assistant).toMatchObject({ content: 'Let me do three things.' });
  expect(
    assistant?.role === 'assistant' && assistant.tool_calls?.map((c) => c.function.name),
  ).toEqual(['echo', 'nope', 'echo']);
  expect(toolTexts(request)).toEqual(['echo: 1', expect.stringMatching(/Unknown tool/), 'echo: 3']);
});
