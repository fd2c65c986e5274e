import type { ConversationEvent } from '../events/schema.js';
import type { CompletionOptions, LanguageModel, LLMRequest, LLMResponse } from '../llm/types.js';
import type { ScenarioTurn } from './schema/turn-schema.js';
import { responseToTurn } from './turn-reply.js';

/** One call seen by a `RecordingModel`. */
export interface RecordedCall {
  request: LLMRequest;
  /** The reply, when the call completed (not aborted, not failed). */
  response?: LLMResponse;
  error?: unknown;
}

/**
 * Wraps any model and records each call: the request, and the response or the error.
 * `turns()` gives the completed responses as scripted turns, so a session with a real
 * model becomes a scenario that replays without one (record once, replay forever).
 *
 * @example
 * ```ts
 * const recorder = new RecordingModel(new LLM({ model: 'openai/gpt-4o' }));
 * const result = await runScenario(scenario, { model: recorder });
 * const replayable = { ...scenario, turns: recorder.turns() };
 * ```
 */
export class RecordingModel implements LanguageModel {
  readonly inner: LanguageModel;
  readonly calls: RecordedCall[] = [];

  constructor(inner: LanguageModel) {
    this.inner = inner;
  }

  get model(): string {
    return this.inner.model;
  }

  get metrics(): LanguageModel['metrics'] {
    return this.inner.metrics;
  }

  async complete(request: LLMRequest, options?: CompletionOptions): Promise<LLMResponse> {
    const call: RecordedCall = {
      request: { messages: [...request.messages], tools: request.tools },
    };
    this.calls.push(call);
    try {
      call.response = await this.inner.complete(request, options);
      return call.response;
    } catch (error) {
      call.error = error;
      throw error;
    }
  }

  /**
   * The completed responses as scripted turns, in order; failed calls are left out. Given
   * the conversation's log, only the responses that reached it count: a reply that came
   * back just as its request was aborted is dropped, as the conversation dropped it.
   */
  turns(events?: readonly ConversationEvent[]): ScenarioTurn[] {
    const logged = events && new Set(events.flatMap((e) => responseIdOf(e)));
    return this.calls.flatMap((call) =>
      call.response && (!logged || logged.has(call.response.id))
        ? [responseToTurn(call.response)]
        : [],
    );
  }
}

function responseIdOf(event: ConversationEvent): string[] {
  if (event.kind === 'action') return [event.responseId];
  if (event.kind === 'message' && event.responseId !== undefined) return [event.responseId];
  return [];
}
