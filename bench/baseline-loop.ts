import type { ChatMessage, LanguageModel, ToolContext, ToolSpec } from 'steerable';
import type OpenAI from 'openai';
import { noopTool, SYSTEM_PROMPT, taskMessage } from './workload.js';

/** The context a hand-written loop hands its tool (it needs none of it). */
const context = {} as ToolContext;

/** A tool call as both baselines see it. */
interface Call {
  id: string;
  name: string;
  arguments: string;
}

/** Runs the tool calls of one reply the way a hand-written loop does: parse, call, append. */
async function runCalls(messages: ChatMessage[], calls: readonly Call[]): Promise<void> {
  for (const call of calls) {
    const args = JSON.parse(call.arguments) as { step: number };
    const result = await noopTool.execute(args, context);
    messages.push({
      role: 'tool',
      tool_call_id: call.id,
      content: typeof result === 'string' ? result : result.content,
    });
  }
}

/**
 * The limit: a hand-written agent loop over an in-process model. Ask, run the tool
 * calls, append, ask again, until the model answers with text. Returns the request count.
 */
export async function instantBaseline(
  llm: LanguageModel,
  steps: number,
  tools: readonly ToolSpec[],
): Promise<number> {
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: taskMessage(steps) },
  ];
  let requests = 0;
  for (;;) {
    const reply = await llm.complete({ messages, tools });
    requests += 1;
    if (reply.toolCalls.length === 0) {
      messages.push({ role: 'assistant', content: reply.content ?? '' });
      return requests;
    }
    messages.push({
      role: 'assistant',
      content: reply.content,
      tool_calls: reply.toolCalls.map((c) => ({
        id: c.id,
        type: 'function' as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    });
    await runCalls(messages, reply.toolCalls);
  }
}

/** The tools in the Chat Completions wire format. */
export function openAITools(tools: readonly ToolSpec[]): OpenAI.ChatCompletionTool[] {
  return tools.map((t) => ({
    type: 'function' as const,
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}

/**
 * The baseline of the HTTP measurements: a hand-written loop with the `openai` client,
 * sending the same requests (messages and tools) as the framework. Returns the request count.
 */
export async function openAIBaseline(
  client: OpenAI,
  model: string,
  steps: number,
  tools: OpenAI.ChatCompletionTool[],
): Promise<number> {
  const messages: OpenAI.ChatCompletionMessageParam[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: taskMessage(steps) },
  ];
  let requests = 0;
  for (;;) {
    const completion = await client.chat.completions.create({ model, messages, tools });
    requests += 1;
    const message = completion.choices[0]!.message;
    const calls = (message.tool_calls ?? []).flatMap((c) =>
      c.type === 'function'
        ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }]
        : [],
    );
    if (calls.length === 0) {
      messages.push({ role: 'assistant', content: message.content ?? '' });
      return requests;
    }
    messages.push({ role: 'assistant', content: message.content, tool_calls: message.tool_calls });
    await runCalls(messages as ChatMessage[], calls);
  }
}
