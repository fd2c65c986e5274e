import type { Delivery } from '../../events/schema.js';

/** What one typed line asks for. */
export type ChatInput =
  | { type: 'send'; text: string; delivery: Delivery }
  | { type: 'retract' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'status' }
  | { type: 'cost' }
  | { type: 'inspect' }
  | { type: 'help' }
  | { type: 'quit' }
  | { type: 'empty' }
  | { type: 'unknown'; command: string };

/** The commands of `steerable chat`, for `/help`. */
export const CHAT_HELP = [
  'Type a message and press Enter: it reaches the agent at its next step (steer).',
  '  /now <text>     send at once: aborts the model request in flight (interrupt)',
  '  /later <text>   send as a follow-up, read when the agent would finish (queue)',
  '  /retract        withdraw the last message the agent has not read yet',
  '  /pause          pause the agent (messages wait); /resume continues',
  '  /status         status, state and pending messages',
  '  /cost           tokens and cost so far',
  '  /inspect        open the inspector in the browser',
  '  /quit           end the session',
].join('\n');

const SIMPLE = new Set(['retract', 'pause', 'resume', 'status', 'cost', 'inspect', 'help', 'quit']);

/**
 * Reads one typed line: a plain line is a message (steer); `/now` and `/later` send with
 * `interrupt` and `queue`; other `/commands` control the session. `//text` sends `/text`.
 */
export function parseChatLine(line: string): ChatInput {
  const text = line.trim();
  if (text === '') return { type: 'empty' };
  if (text.startsWith('//')) return { type: 'send', text: text.slice(1), delivery: 'steer' };
  if (!text.startsWith('/')) return { type: 'send', text, delivery: 'steer' };
  const [command = '', ...rest] = text.slice(1).split(/\s+/);
  const argument = text.slice(1 + command.length).trim();
  if (command === 'now' || command === 'later') {
    if (argument === '') return { type: 'unknown', command: `/${command} needs a message` };
    return { type: 'send', text: argument, delivery: command === 'now' ? 'interrupt' : 'queue' };
  }
  if (command === 'exit') return { type: 'quit' };
  if (SIMPLE.has(command) && rest.length === 0) return { type: command } as ChatInput;
  return { type: 'unknown', command: `/${command}` };
}
