import {
  Agent,
  type AnyToolDefinition,
  defineTool,
  type LanguageModel,
  type LLMRequest,
  type LLMResponse,
} from 'steerable';
import { z } from 'zod';

/** The system prompt of every benchmark conversation (short: the history is what grows). */
export const SYSTEM_PROMPT = 'You are a benchmark agent. Call the tools you are asked to call.';

/** The trivial in-process tool every step calls. */
export const noopTool: AnyToolDefinition = defineTool({
  name: 'noop',
  description: 'Does nothing and says so',
  parameters: z.object({ step: z.number().int() }),
  execute: ({ step }) => `ok ${step}`,
});

/** The first user message: it tells the model (fake or in-process) how many steps to make. */
export function taskMessage(steps: number): string {
  return `Call noop ${steps} times, then answer done. steps=${steps}`;
}

/** The number of steps a task message asks for. */
export function stepsOf(text: string): number {
  const match = /steps=(\d+)/.exec(text);
  return match ? Number(match[1]) : 0;
}

/** How many tool results the request already holds: the step the model is at. */
export function stepOfRequest(messages: readonly { role: string }[]): number {
  let steps = 0;
  for (const message of messages) if (message.role === 'tool') steps += 1;
  return steps;
}

/**
 * The model's reply to a request: a `noop` call until the task's steps are done, then
 * the text `done`. Stateless (decided from the request), so the in-process model and the
 * fake HTTP server answer a framework run and a baseline run identically.
 */
export function replyFor(
  messages: readonly { role: string; content?: unknown }[],
): { toolCall: { id: string; name: string; arguments: string } } | { text: string } {
  const firstUser = messages.find((m) => m.role === 'user');
  const wanted = stepsOf(typeof firstUser?.content === 'string' ? firstUser.content : '');
  const step = stepOfRequest(messages);
  if (step >= wanted) return { text: 'done' };
  return {
    toolCall: { id: `call_${step}`, name: 'noop', arguments: JSON.stringify({ step }) },
  };
}

/**
 * A model that answers at once, in process: the framework's own cost with no network
 * and no serialization.
 */
export class InstantModel implements LanguageModel {
  readonly model = 'bench/instant';
  readonly metrics = {
    accumulatedCost: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    calls: 0,
    latenciesMs: [] as number[],
  };
  #responses = 0;

  complete(request: LLMRequest): Promise<LLMResponse> {
    const reply = replyFor(request.messages);
    const id = `instant-${this.#responses++}`;
    if ('text' in reply) {
      return Promise.resolve({
        id,
        model: this.model,
        content: reply.text,
        toolCalls: [],
        finishReason: 'stop',
      });
    }
    return Promise.resolve({
      id,
      model: this.model,
      content: null,
      toolCalls: [reply.toolCall],
      finishReason: 'tool_calls',
    });
  }
}

/** An agent with the `noop` tool on the given model. */
export function benchAgent(llm: LanguageModel): Agent {
  return new Agent({ llm, tools: [noopTool], systemPrompt: SYSTEM_PROMPT });
}
