import { CondensationError } from '../errors/condensation-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import type { ChatMessage, LanguageModel } from '../llm/types.js';
import type { CondensationResult, CondenseOptions, Condenser, ContextView } from './condenser.js';
import { estimateMessageTokens, estimateTokens } from './estimate-tokens.js';

/** Options of `new LLMSummarizingCondenser(...)`. */
export interface LLMSummarizingCondenserOptions {
  /** The model that writes summaries (it may be a cheaper one than the agent's). */
  llm: LanguageModel;
  /** Condense when the context holds more messages than this. Default 120. */
  maxSize?: number;
  /** Also condense when the context's estimated tokens pass this. Default: no token limit. */
  maxTokens?: number;
  /** Messages at the start that are never summarised, the system prompt included (it always stays). Default 2. */
  keepFirst?: number;
  /** Counts tokens of messages. Default `estimateTokens` (characters / 4). */
  countTokens?: (messages: readonly ChatMessage[]) => number;
  /** Longest text of one message in the summarising prompt; longer ones are cut in the middle. Default 10,000. */
  maxMessageChars?: number;
}

const SUMMARY_INSTRUCTIONS = [
  'You keep the memory of a software agent whose early conversation is being dropped to save space.',
  'Below are the messages being dropped, oldest first (one of them may be an earlier summary).',
  'Write a summary the agent can continue from. Keep, concisely:',
  '- USER_CONTEXT: what the user asked for, every requirement and correction they gave;',
  '- COMPLETED: what was done, with results (files changed, commands run, test outcomes);',
  '- PENDING: what is still to do;',
  '- STATE: facts needed to continue (paths, names, values, errors seen, task ids and statuses).',
  'Skip what does not matter for the rest of the task. Answer with the summary only.',
].join('\n');

/**
 * Replaces the middle of a long context with a summary written by a model, like
 * OpenHands' `LLMSummarizingCondenser`. When the context holds more than `maxSize`
 * messages (or more than `maxTokens` estimated tokens), it keeps the first `keepFirst`
 * messages and the most recent ones, so that about half the limit remains, and asks
 * `llm` to summarise the rest (including any earlier summary). A forced condensation
 * (the provider said the context is too long) halves the context. A tool call and its
 * results are always kept or dropped together.
 *
 * @example
 * ```ts
 * const agent = new Agent({
 *   llm,
 *   tools: [TerminalTool, FileEditorTool],
 *   condenser: new LLMSummarizingCondenser({ llm: summaryLlm, maxSize: 80, keepFirst: 2 }),
 * });
 * ```
 */
export class LLMSummarizingCondenser implements Condenser {
  readonly llm: LanguageModel;
  readonly maxSize: number;
  readonly maxTokens: number | undefined;
  readonly keepFirst: number;
  readonly #countTokens: (messages: readonly ChatMessage[]) => number;
  readonly #maxMessageChars: number;

  /** @throws InvalidOptionError for sizes that leave no room to condense. */
  constructor(options: LLMSummarizingCondenserOptions) {
    if (typeof options?.llm?.complete !== 'function') {
      throw new TypeError('LLMSummarizingCondenser needs an `llm` with a complete() method');
    }
    this.llm = options.llm;
    this.maxSize = integer('maxSize', options.maxSize ?? 120, 4);
    this.keepFirst = integer('keepFirst', options.keepFirst ?? 2, 0);
    this.maxTokens =
      options.maxTokens === undefined ? undefined : integer('maxTokens', options.maxTokens, 1);
    this.#maxMessageChars = integer('maxMessageChars', options.maxMessageChars ?? 10_000, 100);
    this.#countTokens = options.countTokens ?? estimateTokens;
    if (Math.floor(this.maxSize / 2) - this.keepFirst - 1 < 1) {
      throw new InvalidOptionError(
        'keepFirst',
        `LLMSummarizingCondenser: keepFirst (${this.keepFirst}) must be less than maxSize / 2 - 1 (maxSize ${this.maxSize}) to leave room for recent messages`,
      );
    }
  }

  shouldCondense(view: ContextView): boolean {
    if (view.messages.length > this.maxSize) return true;
    return this.maxTokens !== undefined && this.#countTokens(view.messages) > this.maxTokens;
  }

  async condense(
    view: ContextView,
    options: CondenseOptions = {},
  ): Promise<CondensationResult | undefined> {
    const range = this.forgettingRange(view, options.force ?? false);
    if (!range) return undefined;
    const forgotten = view.messages.slice(range.start, range.end);
    let response;
    try {
      response = await this.llm.complete(
        {
          messages: [
            { role: 'system', content: SUMMARY_INSTRUCTIONS },
            { role: 'user', content: this.#prompt(forgotten) },
          ],
          tools: [],
        },
        options.signal ? { signal: options.signal } : {},
      );
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new CondensationError(`The summarising model failed: ${reason}`, { cause: error });
    }
    const summary = response.content?.trim();
    if (!summary) throw new CondensationError('The summarising model returned no summary');
    return {
      summary,
      forgottenEventIds: [...new Set(view.eventIds.slice(range.start, range.end))],
      usage: {
        model: response.model,
        promptTokens: response.usage?.promptTokens ?? 0,
        completionTokens: response.usage?.completionTokens ?? 0,
        ...(response.usage?.cachedTokens !== undefined
          ? { cachedTokens: response.usage.cachedTokens }
          : {}),
        cost: response.cost ?? 0,
        latencyMs: response.latencyMs ?? 0,
      },
    };
  }

  /**
   * The messages `[start, end)` a condensation would summarise, or `undefined` when none
   * can go. Both ends sit on a boundary that does not split a tool call from its results.
   */
  forgettingRange(view: ContextView, force: boolean): { start: number; end: number } | undefined {
    const messages = view.messages;
    const head = Math.max(this.keepFirst, messages[0]?.role === 'system' ? 1 : 0);
    const tails: number[] = [];
    if (force) tails.push(Math.floor(messages.length / 2) - head - 1);
    if (messages.length > this.maxSize) tails.push(Math.floor(this.maxSize / 2) - head - 1);
    if (this.maxTokens !== undefined && this.#countTokens(messages) > this.maxTokens) {
      tails.push(this.#tailWithin(messages, head, Math.floor(this.maxTokens / 2)));
    }
    if (tails.length === 0) return undefined;
    const tail = Math.max(0, Math.min(...tails));
    const start = boundary(messages, head);
    const end = boundary(messages, messages.length - tail);
    return end > start ? { start, end } : undefined;
  }

  /** How many recent messages fit in `budget` tokens together with the head. */
  #tailWithin(messages: readonly ChatMessage[], head: number, budget: number): number {
    let used = this.#countTokens(messages.slice(0, head));
    let count = 0;
    for (let i = messages.length - 1; i >= head; i--) {
      used += estimateMessageTokens(messages[i]!);
      if (used > budget) break;
      count++;
    }
    return count;
  }

  #prompt(messages: readonly ChatMessage[]): string {
    const blocks = messages.map((m) => `<MESSAGE>\n${this.#clip(render(m))}\n</MESSAGE>`);
    return `${blocks.join('\n')}\n\nNow write the summary.`;
  }

  #clip(text: string): string {
    const max = this.#maxMessageChars;
    if (text.length <= max) return text;
    const half = Math.floor((max - 40) / 2);
    return `${text.slice(0, half)}\n[... ${text.length - 2 * half} characters cut ...]\n${text.slice(-half)}`;
  }
}

/** The first index at or after `i` that does not start inside a tool call's results. */
function boundary(messages: readonly ChatMessage[], i: number): number {
  let at = Math.max(0, i);
  while (at < messages.length && messages[at]!.role === 'tool') at++;
  return Math.min(at, messages.length);
}

function render(message: ChatMessage): string {
  switch (message.role) {
    case 'system':
      return `SYSTEM: ${message.content}`;
    case 'user':
      return `USER: ${message.content}`;
    case 'tool':
      return `TOOL RESULT (${message.tool_call_id}): ${message.content}`;
    case 'assistant': {
      const parts = message.content ? [`AGENT: ${message.content}`] : [];
      for (const call of message.tool_calls ?? []) {
        parts.push(`AGENT CALLED ${call.function.name} (${call.id}): ${call.function.arguments}`);
      }
      return parts.join('\n') || 'AGENT: (empty)';
    }
  }
}

function integer(name: string, value: number, least: number): number {
  if (!Number.isInteger(value) || value < least) {
    throw new InvalidOptionError(
      name,
      `LLMSummarizingCondenser: ${name} must be an integer >= ${least}, got ${String(value)}`,
    );
  }
  return value;
}
