import type { LLMMetricsSnapshotSource, LLMUsage } from './types.js';

/**
 * Accumulated usage of a model: tokens, cost in USD, number of calls and the latency
 * of each call.
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
  readonly latenciesMs: number[] = [];

  /** Adds one call. */
  record(usage: LLMUsage | undefined, cost: number, latencyMs: number): void {
    this.calls += 1;
    this.accumulatedCost += cost;
    this.promptTokens += usage?.promptTokens ?? 0;
    this.completionTokens += usage?.completionTokens ?? 0;
    this.cachedTokens += usage?.cachedTokens ?? 0;
    this.latenciesMs.push(latencyMs);
  }

  /** A plain copy, for printing or JSON. */
  snapshot(): LLMMetricsSnapshotSource {
    return {
      accumulatedCost: this.accumulatedCost,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      cachedTokens: this.cachedTokens,
      calls: this.calls,
      latenciesMs: [...this.latenciesMs],
    };
  }
}
