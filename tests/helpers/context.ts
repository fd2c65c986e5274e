import type { ChatMessage } from '../../src/index.js';

/**
 * Throws unless every assistant message with tool calls is followed by exactly one
 * result per call (before the next assistant or user message), and every tool result
 * answers a call of the assistant message before it: what providers require.
 */
export function expectValidContext(messages: readonly ChatMessage[]): void {
  let open: Set<string> | undefined;
  messages.forEach((message, i) => {
    if (message.role === 'tool') {
      if (!open?.delete(message.tool_call_id)) {
        throw new Error(`message ${i}: tool result ${message.tool_call_id} answers no open call`);
      }
      return;
    }
    if (open && open.size > 0) {
      throw new Error(`message ${i}: calls ${[...open].join(', ')} have no result`);
    }
    open =
      message.role === 'assistant' && message.tool_calls
        ? new Set(message.tool_calls.map((c) => c.id))
        : undefined;
  });
  if (open && open.size > 0) {
    throw new Error(`the context ends with calls ${[...open].join(', ')} without results`);
  }
}
