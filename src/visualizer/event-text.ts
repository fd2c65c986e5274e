import type { ConversationEvent } from '../events/schema.js';

/** Whitespace runs folded to one space, cut to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, Math.max(0, max - 1))}…` : flat;
}

/**
 * A tool call's arguments on one line: `command="ls -la", timeout=30`. Each value is
 * JSON, cut to `maxValue` characters; arguments that are not an object (the raw text of
 * invalid JSON) are shown as they came.
 */
export function formatArguments(args: unknown, maxValue = 80): string {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    return shorten(typeof args === 'string' ? args : (JSON.stringify(args) ?? ''), maxValue);
  }
  return Object.entries(args)
    .map(([key, value]) => `${key}=${shorten(JSON.stringify(value) ?? 'undefined', maxValue)}`)
    .join(', ');
}

/** A USD amount: four decimals below a dollar, two above. */
export function formatCost(cost: number): string {
  return cost >= 1 ? `$${cost.toFixed(2)}` : `$${cost.toFixed(4)}`;
}

/** A token count: `950`, `12.3K`, `1.2M`. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}K`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

/**
 * One readable line for an event, without colours: what the inspector's timeline shows.
 *
 * @example
 * ```ts
 * summarizeEvent(action); // 'terminal(command="ls")'
 * ```
 */
export function summarizeEvent(event: ConversationEvent, maxLength = 160): string {
  switch (event.kind) {
    case 'system_prompt':
      return `system prompt, tools: ${event.tools.map((t) => t.name).join(', ') || 'none'}`;
    case 'message':
      return event.role === 'user'
        ? `${event.delivery && event.delivery !== 'steer' ? `[${event.delivery}] ` : ''}${shorten(event.content, maxLength)}`
        : shorten(event.content, maxLength);
    case 'action':
      return shorten(
        `${event.thought ? `${event.thought} → ` : ''}${event.toolName}(${formatArguments(event.arguments)})`,
        maxLength,
      );
    case 'observation':
      return `${event.isError ? 'error from ' : ''}${event.toolName}: ${shorten(event.content, maxLength)}`;
    case 'message_delivered':
      return `model read ${event.messageIds.length} message${event.messageIds.length === 1 ? '' : 's'}`;
    case 'message_retracted':
      return `message ${event.messageId} retracted`;
    case 'agent_error':
      return `[${event.code}] ${shorten(event.message, maxLength)}`;
    case 'user_reject':
      return `rejected ${event.toolName}: ${shorten(event.reason, maxLength)}`;
    case 'pause':
      return event.interrupt ? 'interrupted' : 'pause requested';
    case 'state_update':
      return event.previous ? `${event.previous} → ${event.status}` : `status ${event.status}`;
    case 'condensation':
      return `context condensed: ${event.forgottenEventIds.length} events summarised`;
  }
}
