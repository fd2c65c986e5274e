import { isRecord } from './is-record.js';
import type { LLMDelta } from './types.js';

interface ToolCallParts {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Assembles the chunks of a streamed Chat Completion into the body the same request
 * would have returned without streaming, so one function (`normalizeCompletion`) checks
 * and reduces both. Each piece of text or tool call is passed to `onDelta` as it arrives.
 * Only the first choice is kept; usage comes from the chunk that carries it (requested
 * with `stream_options: { include_usage: true }`).
 *
 * @example
 * ```ts
 * const assembler = new StreamAssembler((delta) => process.stdout.write(delta.content ?? ''));
 * for await (const chunk of stream) assembler.push(chunk);
 * const response = normalizeCompletion(assembler.toCompletion(), context);
 * ```
 */
export class StreamAssembler {
  readonly #onDelta: ((delta: LLMDelta) => void) | undefined;
  #id: string | undefined;
  #model: string | undefined;
  #content: string | null = null;
  #refusal: string | null = null;
  readonly #toolCalls: ToolCallParts[] = [];
  #finishReason: unknown = null;
  #usage: unknown;
  #sawChoice = false;
  #deltas = 0;

  constructor(onDelta?: (delta: LLMDelta) => void) {
    this.#onDelta = onDelta;
  }

  /** How many deltas were passed on so far. */
  get deltas(): number {
    return this.#deltas;
  }

  /** Whether any chunk carried a choice. */
  get sawChoice(): boolean {
    return this.#sawChoice;
  }

  /** Whether a chunk carried a `finish_reason` (a complete stream always has one). */
  get finished(): boolean {
    return this.#finishReason !== null && this.#finishReason !== undefined;
  }

  /** Adds one chunk (a parsed `chat.completion.chunk`). */
  push(chunk: unknown): void {
    if (!isRecord(chunk)) return;
    if (typeof chunk.id === 'string' && chunk.id !== '') this.#id ??= chunk.id;
    if (typeof chunk.model === 'string' && chunk.model !== '') this.#model ??= chunk.model;
    const usage = chunk.usage ?? (isRecord(chunk.x_groq) ? chunk.x_groq.usage : undefined);
    if (isRecord(usage)) this.#usage = usage;
    if (!Array.isArray(chunk.choices)) return;
    for (const choice of chunk.choices as unknown[]) {
      if (!isRecord(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
      this.#sawChoice = true;
      if (isRecord(choice.delta)) this.#addDelta(choice.delta);
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        this.#finishReason = choice.finish_reason;
      }
    }
  }

  /**
   * The assembled response, in the shape of a non-streamed `chat.completion` (with no
   * choice when no chunk carried one).
   */
  toCompletion(): Record<string, unknown> {
    const message: Record<string, unknown> = { role: 'assistant', content: this.#content };
    if (this.#refusal !== null) message.refusal = this.#refusal;
    if (this.#toolCalls.length > 0) {
      message.tool_calls = this.#toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      }));
    }
    return {
      id: this.#id,
      object: 'chat.completion',
      model: this.#model,
      choices: this.#sawChoice ? [{ index: 0, message, finish_reason: this.#finishReason }] : [],
      ...(this.#usage === undefined ? {} : { usage: this.#usage }),
    };
  }

  #addDelta(delta: Record<string, unknown>): void {
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.#content = (this.#content ?? '') + delta.content;
      this.#emit({ content: delta.content });
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.#refusal = (this.#refusal ?? '') + delta.refusal;
      this.#emit({ content: delta.refusal });
    }
    if (!Array.isArray(delta.tool_calls)) return;
    for (const piece of delta.tool_calls as unknown[]) {
      if (isRecord(piece)) this.#addToolCallPiece(piece);
    }
  }

  #addToolCallPiece(piece: Record<string, unknown>): void {
    const id = typeof piece.id === 'string' && piece.id !== '' ? piece.id : undefined;
    const index = this.#slotOf(piece.index, id);
    const call = (this.#toolCalls[index] ??= { id: '', name: '', arguments: '' });
    const fn = isRecord(piece.function) ? piece.function : {};
    const name = typeof fn.name === 'string' && fn.name !== '' ? fn.name : undefined;
    let args: string | undefined;
    if (typeof fn.arguments === 'string') args = fn.arguments === '' ? undefined : fn.arguments;
    else if (isRecord(fn.arguments)) args = JSON.stringify(fn.arguments);
    if (id !== undefined && call.id === '') call.id = id;
    // Some providers repeat the name in every piece: keep it once.
    if (name !== undefined && name !== call.name) call.name += name;
    if (args !== undefined) call.arguments += args;
    if (id === undefined && name === undefined && args === undefined) return;
    this.#emit({
      toolCall: {
        index,
        ...(id === undefined ? {} : { id }),
        ...(name === undefined ? {} : { name }),
        ...(args === undefined ? {} : { arguments: args }),
      },
    });
  }

  /** The slot of a piece: its `index`, or (for providers that send none) by id or the last call. */
  #slotOf(index: unknown, id: string | undefined): number {
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0) return index;
    const last = this.#toolCalls.length - 1;
    if (last < 0) return 0;
    if (id !== undefined && this.#toolCalls[last]?.id !== id) return last + 1;
    return last;
  }

  #emit(delta: LLMDelta): void {
    this.#deltas += 1;
    this.#onDelta?.(delta);
  }
}
