import { afterEach, describe, expect, it } from 'vitest';
import { LLM } from '../src/llm/llm.js';
import { costOf, lookupPrice, priceKey } from '../src/llm/pricing.js';
import { deferred } from './helpers/deferred.js';
import { ask, fakeLLM, fakeServer } from './helpers/fake-llm.js';

const perMillion = (usd: number) => usd / 1_000_000;

describe('llm.metrics', () => {
  it('adds up tokens, cost, calls and per-call latency over several calls', async () => {
    const server = await fakeServer([
      { id: 'a', content: 'one', usage: { promptTokens: 1000, completionTokens: 100 } },
      { status: 500 },
      {
        id: 'b',
        content: 'two',
        usage: { promptTokens: 2000, completionTokens: 200, cachedTokens: 1500 },
      },
      { id: 'c', toolCalls: [{ name: 'x' }], usage: { promptTokens: 500, completionTokens: 50 } },
    ]);
    const { llm } = fakeLLM(server);
    const responses = [
      await llm.complete(ask()),
      await llm.complete(ask()),
      await llm.complete(ask()),
    ];
    // gpt-4o: $2.50 / M in, $1.25 / M cached in, $10 / M out.
    const expected = [
      1000 * perMillion(2.5) + 100 * perMillion(10),
      500 * perMillion(2.5) + 1500 * perMillion(1.25) + 200 * perMillion(10),
      500 * perMillion(2.5) + 50 * perMillion(10),
    ];
    responses.forEach((response, i) => expect(response.cost).toBeCloseTo(expected[i]!, 12));
    const metrics = llm.metrics;
    expect(metrics.calls).toBe(3);
    expect(metrics.retries).toBe(1);
    expect(metrics.promptTokens).toBe(3500);
    expect(metrics.completionTokens).toBe(350);
    expect(metrics.cachedTokens).toBe(1500);
    expect(metrics.accumulatedCost).toBeCloseTo(expected[0]! + expected[1]! + expected[2]!, 12);
    expect(metrics.latenciesMs).toHaveLength(3);
    expect(metrics.latenciesMs).toEqual(responses.map((r) => r.latencyMs));
    expect(metrics.records.map((r) => [r.responseId, r.attempts, r.model])).toEqual([
      ['a', 1, 'gpt-4o'],
      ['b', 2, 'gpt-4o'],
      ['c', 1, 'gpt-4o'],
    ]);
    expect(metrics.snapshot()).toMatchObject({ calls: 3, promptTokens: 3500, retries: 1 });
  });

  it('inputCostPerToken and outputCostPerToken override the table', async () => {
    const server = await fakeServer([
      { content: 'x', usage: { promptTokens: 10, completionTokens: 5, cachedTokens: 4 } },
    ]);
    const { llm } = fakeLLM(server, { inputCostPerToken: 0.01, outputCostPerToken: 0.1 });
    const response = await llm.complete(ask());
    expect(response.cost).toBeCloseTo(10 * 0.01 + 5 * 0.1, 12);
    expect(llm.describe()).toMatchObject({ inputCostPerToken: 0.01, outputCostPerToken: 0.1 });
  });

  describe('a model with no known price', () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    afterEach(() => {
      process.off('warning', listen);
      warnings.length = 0;
    });

    it('costs 0 and says so once', async () => {
      process.on('warning', listen);
      const server = await fakeServer([
        { content: 'x', usage: { promptTokens: 10, completionTokens: 5 } },
        { content: 'y', usage: { promptTokens: 10, completionTokens: 5 } },
      ]);
      const { llm } = fakeLLM(server, { model: 'openai/house-model-without-price' });
      expect(llm.priceKnown).toBe(false);
      const warned = deferred<Error>();
      process.once('warning', (w) => warned.resolve(w));
      expect((await llm.complete(ask())).cost).toBe(0);
      const warning = await warned.promise;
      expect(warning.message).toMatch(
        /No price is known for model "openai\/house-model-without-price"/,
      );
      expect((warning as Error & { code?: string }).code).toBe('STEERABLE_UNKNOWN_PRICE');
      await llm.complete(ask());
      // Warnings are emitted on the next tick: let any second one arrive before counting.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.message.includes('house-model-without-price'))).toHaveLength(
        1,
      );
      expect(llm.metrics).toMatchObject({ calls: 2, promptTokens: 20, accumulatedCost: 0 });
    });

    it('local models are free and known to be', () => {
      expect(new LLM({ model: 'ollama/qwen2.5-coder:7b' }).priceKnown).toBe(true);
      expect(new LLM({ model: 'lmstudio/some-model' }).priceKnown).toBe(true);
    });
  });

  it('a failed call adds nothing', async () => {
    const server = await fakeServer([{ status: 401 }]);
    const { llm } = fakeLLM(server);
    await expect(llm.complete(ask())).rejects.toThrow();
    expect(llm.metrics).toMatchObject({ calls: 0, accumulatedCost: 0, promptTokens: 0 });
  });
});

describe('the price table', () => {
  it('finds models under their dated, prefixed and dotted names', () => {
    expect(priceKey('anthropic/claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(priceKey('openrouter/anthropic/claude-sonnet-4.5')).toBe('claude-sonnet-4-5');
    expect(priceKey('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(priceKey('mistral/mistral-small-latest')).toBe('mistral-small');
    expect(lookupPrice('openai/gpt-4o-mini')).toEqual({
      inputCostPerToken: perMillion(0.15),
      outputCostPerToken: perMillion(0.6),
      cachedInputCostPerToken: perMillion(0.075),
    });
    expect(lookupPrice('anthropic/claude-sonnet-4-5-20250929')?.outputCostPerToken).toBe(
      perMillion(15),
    );
    expect(lookupPrice('deepseek/deepseek-chat')).toBeDefined();
    expect(lookupPrice('someone/unknown-model')).toBeUndefined();
  });

  it('costOf prices cached prompt tokens apart', () => {
    const price = { inputCostPerToken: 1, outputCostPerToken: 10, cachedInputCostPerToken: 0.1 };
    expect(
      costOf({ promptTokens: 100, completionTokens: 10, cachedTokens: 40 }, price),
    ).toBeCloseTo(60 + 4 + 100);
    expect(
      costOf(
        { promptTokens: 100, completionTokens: 0 },
        { inputCostPerToken: 1, outputCostPerToken: 1 },
      ),
    ).toBe(100);
    expect(costOf(undefined, price)).toBe(0);
  });
});
