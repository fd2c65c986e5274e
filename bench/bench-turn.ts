import type { FakeReply } from 'steerable/testing';
import { replyFor } from './workload.js';

/** Fixed token counts: the server need not serialize the request again to count them. */
const USAGE = { promptTokens: 100, completionTokens: 10 };

/**
 * The fake server's answer to a benchmark request, decided from the request alone (see
 * `replyFor`): a `noop` call until the task's steps are done, then `done`. A `delay=<ms>`
 * in the first user message holds every answer back that long.
 */
export function benchTurn(body: unknown): FakeReply {
  const messages = (body as { messages?: { role: string; content?: unknown }[] }).messages ?? [];
  const first = messages.find((m) => m.role === 'user');
  const delay = /delay=(\d+)/.exec(typeof first?.content === 'string' ? first.content : '');
  const reply = replyFor(messages);
  const timing = delay ? { delay: Number(delay[1]) } : {};
  if ('text' in reply) return { content: reply.text, usage: USAGE, ...timing };
  return {
    content: null,
    toolCalls: [
      { id: reply.toolCall.id, name: reply.toolCall.name, arguments: reply.toolCall.arguments },
    ],
    usage: USAGE,
    ...timing,
  };
}
