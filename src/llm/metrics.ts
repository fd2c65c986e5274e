import type { LLMMetricsSnapshotSource, LLMUsage } from './types.js';

/** One successful model call, as `LLMMetrics` records it. */
export interface LLMCallRecord {
  /** The provider's response id. */
  responseId: string;
  /** The model that answered. */
  model: string;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Cost in USD (0 when the price is unknown). */
  cost: number;
  /** Wall time of the call in ms, retries and waits included. */
  latencyMs: number;
  /** Requests made for this call (1 when nothing was retried). */
  attempts: number;
}

/** What `LLMMetrics.record` may know about a call besides its usage, cost and latency. */
export interface LLMCallDetails {
  responseId?: string;
  model?: string;
  attempts?: number;
}

/** A plain copy of the metrics, for printing or JSON. */
export interface LLMMetricsSnapshot extends LLMMetricsSnapshotSource {
  retries: number;
  records: LLMCallRecord[];
}

/**
 * Accumulated usage of a model: tokens, cost in USD, number of calls and the latency
 * of each call. Only calls that returned a response are counted; `retries` counts the
 * requests that failed and were retried on the way.
 *
 * @example
 * ```ts
 * const llm = new LLM({ model: 'openai/gpt-4o' });
 * // ... after a run
 * console.log(llm.metrics.accumulatedCost.toFixed(4), llm.metrics.calls);
 * ```
 */
export class LLMMetrics implements LLMMetricsSnapshotSource {
  accumulatedCost = 0;
  promptTokens = 0;
  completionTokens = 0;
  cachedTokens = 0;
  calls = 0;
  /** Requests retried (failed attempts of calls that were tried again). */
  retries = 0;
  readonly latenciesMs: number[] = [];
  /** One record per call, oldest first. */
  readonly records: LLMCallRecord[] = [];

  /** Adds one call. */
  record(
    usage: LLMUsage | undefined,
    cost: number,
    latencyMs: number,
    details: LLMCallDetails = {},
  ): void {
    const attempts = details.attempts ?? 1;
    this.calls += 1;
    this.retries += attempts - 1;
    this.accumulatedCost += cost;
    this.promptTokens += usage?.promptTokens ?? 0;
    this.completionTokens += usage?.completionTokens ?? 0;
    this.cachedTokens += usage?.cachedTokens ?? 0;
    this.latenciesMs.push(latencyMs);
    this.records.push({
      responseId: details.responseId ?? `call-${this.calls}`,
      model: details.model ?? '',
      promptTokens: usage?.promptTokens ?? 0,
      completionTokens: usage?.completionTokens ?? 0,
      cachedTokens: usage?.cachedTokens ?? 0,
      cost,
      latencyMs,
      attempts,
    });
  }

  /** A plain copy, for printing or JSON. */
  snapshot(): LLMMetricsSnapshot {
    return {
      accumulatedCost: this.accumulatedCost,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      cachedTokens: this.cachedTokens,
      calls: this.calls,
      retries: this.retries,
      latenciesMs: [...this.latenciesMs],
      records: this.records.map((record) => ({ ...record })),
    };
  }
}
