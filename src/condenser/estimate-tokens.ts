import type { ChatMessage } from '../llm/types.js';

/** Characters per token of English text and code, on average, for the usual tokenizers. */
const CHARS_PER_TOKEN = 4;
/** Tokens each message costs besides its text (role, separators). */
const MESSAGE_OVERHEAD = 4;

/**
 * A rough token count of one message: its characters (text, tool names and arguments)
 * divided by four, plus a small overhead. Good enough to decide when to condense; not
 * a tokenizer.
 */
export function estimateMessageTokens(message: ChatMessage): number {
  let chars = message.content?.length ?? 0;
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) {
      chars += call.function.name.length + call.function.arguments.length;
    }
  }
  return Math.ceil(chars / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD;
}

/**
 * A rough token count of messages (see `estimateMessageTokens`).
 *
 * @example
 * ```ts
 * estimateTokens(conversation.state.messages); // ≈ what the next request will cost
 * ```
 */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const message of messages) total += estimateMessageTokens(message);
  return total;
}
