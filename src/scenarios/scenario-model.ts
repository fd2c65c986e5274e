import { setTimeout as sleep } from 'node:timers/promises';
import { type Observable, filter, firstValueFrom } from 'rxjs';
import type { ConversationEvent } from '../events/schema.js';
import { LLMError } from '../llm/llm-error.js';
import { LLMMetrics } from '../llm/metrics.js';
import type { CompletionOptions, LanguageModel, LLMRequest, LLMResponse } from '../llm/types.js';
import { abortReason, abortable } from './abortable.js';
import type { ScenarioTurn } from './schema/turn-schema.js';
import { conditionHolds, describeCondition } from './turn-condition.js';
import { turnReply } from './turn-reply.js';

/** What a `ScenarioModel` watches to know how many user messages have arrived (`waitFor`). */
export interface MessageSource {
  readonly events: readonly ConversationEvent[];
  readonly events$: Observable<ConversationEvent>;
}

/**
 * The model of a scenario: it answers each request with a scripted turn. A request gets
 * the first unused turn whose `when` fits it (turns without `when` fit every request), so
 * a conditional turn waits, unused, until a request fits. A turn is used up only when its
 * reply reaches the conversation's log: a request aborted before (while the turn is held
 * by `delayMs` or `waitFor`, or just as the reply came back) leaves the turn for the next
 * request. When no unused turn fits, the call fails with an `LLMError` (`no_script`) that
 * says why.
 *
 * @example
 * ```ts
 * const model = new ScenarioModel([{ call: { tool: 'echo', args: { text: 'hi' } } }, { finish: 'done' }]);
 * ```
 */
export class ScenarioModel implements LanguageModel {
  readonly model: string;
  readonly metrics = new LLMMetrics();
  /** Every request, in order (copies). */
  readonly requests: LLMRequest[] = [];
  readonly #turns: readonly ScenarioTurn[];
  readonly #unused: number[];
  /** Response ids the conversation logged. */
  readonly #logged = new Set<string>();
  /** The turn of the last reply, until we know whether it reached the log. */
  #pending: { turnIndex: number; responseId: string } | undefined;
  #source: MessageSource | undefined;

  constructor(turns: readonly ScenarioTurn[], options: { model?: string } = {}) {
    this.#turns = turns;
    this.#unused = turns.map((_, i) => i);
    this.model = options.model ?? 'scenario/scripted';
  }

  /** Indices (in the scenario's `turns`) of the turns not used yet. */
  get unusedTurns(): readonly number[] {
    this.#settle();
    return this.#unused;
  }

  /**
   * Watches the conversation's log: `waitFor: { userMessages }` counts its messages, and a
   * reply counts as used only once it is logged. Without it, a reply counts when returned.
   */
  watch(source: MessageSource): void {
    this.#source = source;
    for (const event of source.events) this.#note(event);
    source.events$.subscribe((event) => this.#note(event));
  }

  async complete(request: LLMRequest, options: CompletionOptions = {}): Promise<LLMResponse> {
    const started = performance.now();
    const callIndex = this.requests.length;
    this.requests.push({ messages: [...request.messages], tools: request.tools });
    const { signal } = options;
    this.#settle();
    if (signal?.aborted) throw abortReason(signal);

    const turnIndex = this.#unused.find((i) => conditionHolds(this.#turns[i]!.when, request));
    if (turnIndex === undefined) throw new LLMError('no_script', this.#noTurn(callIndex, request));
    const turn = this.#turns[turnIndex]!;
    if (turn.waitFor) await abortable(this.#userMessages(turn.waitFor.userMessages), signal);
    if (turn.delayMs) await sleep(turn.delayMs, undefined, signal ? { signal } : {});
    if (signal?.aborted) throw abortReason(signal);

    this.#unused.splice(this.#unused.indexOf(turnIndex), 1);
    if (turn.error !== undefined) {
      throw new LLMError('server_error', `scripted error (turns[${turnIndex}]): ${turn.error}`);
    }
    const reply = turnReply(turn, callIndex, this.model);
    if (this.#source) this.#pending = { turnIndex, responseId: reply.id };
    const latencyMs = performance.now() - started;
    this.metrics.record(reply.usage, reply.cost ?? 0, latencyMs);
    return { ...reply, latencyMs };
  }

  #note(event: ConversationEvent): void {
    if (event.kind === 'action' || (event.kind === 'message' && event.role === 'assistant')) {
      if (event.responseId !== undefined) this.#logged.add(event.responseId);
    }
  }

  /** Puts the last reply's turn back when the conversation dropped the reply. */
  #settle(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    if (!pending || this.#logged.has(pending.responseId)) return;
    this.#unused.push(pending.turnIndex);
    this.#unused.sort((a, b) => a - b);
  }

  /** Resolves once the conversation has received `count` user messages. */
  #userMessages(count: number): Promise<unknown> {
    const source = this.#source;
    if (!source) {
      return Promise.reject(
        new LLMError('no_script', 'waitFor needs the conversation: call model.watch(conversation)'),
      );
    }
    let seen = source.events.filter(isUserMessage).length;
    if (seen >= count) return Promise.resolve();
    return firstValueFrom(
      source.events$.pipe(filter((event) => isUserMessage(event) && ++seen >= count)),
    );
  }

  #noTurn(callIndex: number, request: LLMRequest): string {
    const head = `model call ${callIndex + 1}: `;
    if (this.#unused.length === 0) {
      return `${head}no scripted turn left (all ${this.#turns.length} turns were used)`;
    }
    const waiting = this.#unused
      .map((i) => `turns[${i}] (when ${describeCondition(this.#turns[i]!.when ?? {})})`)
      .join(', ');
    const last = request.messages.filter((m) => m.role === 'user').at(-1)?.content;
    return `${head}no unused turn fits the request (last user message: ${JSON.stringify(last ?? null)}): ${waiting}`;
  }
}

function isUserMessage(event: ConversationEvent): boolean {
  return event.kind === 'message' && event.role === 'user';
}
