import OpenAI from 'openai';
import {
  Conversation,
  type Delivery,
  LLM,
  type LanguageModel,
  type LLMRequest,
  type LLMResponse,
} from 'steerable';
import { type FakeRequest, type FakeTurn, startFakeOpenAIServer } from 'steerable/testing';
import { BENCH_API_KEY, BENCH_MODEL } from './per-step.js';
import { type Bench, type Row, row } from './result.js';
import { round, summarize } from './stats.js';
import { openAITools } from './baseline-loop.js';
import { benchAgent, SYSTEM_PROMPT } from './workload.js';

/** The model's reply delay in `queue` mode: the message waits for it. */
const QUEUE_REPLY_DELAY_MS = 25;
const WARMUP = 10;

/** The last user message of a request's messages. */
function lastUserText(
  messages: readonly { role: string; content?: unknown }[],
): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') return typeof m.content === 'string' ? m.content : undefined;
  }
  return undefined;
}

/** Notes when a request that carries a given message first reaches the model side. */
class Arrivals {
  readonly #waiting = new Map<string, (at: number) => void>();

  /** Resolves with the time the request carrying `text` arrives. Call before sending it. */
  expect(text: string): Promise<number> {
    return new Promise((resolve) => this.#waiting.set(text, resolve));
  }

  /** Called by the model side for every request. */
  arrived(text: string | undefined, at: number): void {
    if (text === undefined) return;
    const resolve = this.#waiting.get(text);
    if (!resolve) return;
    this.#waiting.delete(text);
    resolve(at);
  }
}

/** Something that can be steered: it sends a message that a new model request carries. */
interface Steerer {
  /** Sends `text` (the first one starts the work). */
  send(text: string): void;
}

/** Steers a conversation with `sendMessage`. */
function conversationSteerer(conversation: Conversation, delivery: Delivery): Steerer {
  let started = false;
  return {
    send(text) {
      conversation.sendMessage(text, { delivery });
      if (!started) {
        started = true;
        void conversation.run().catch(() => undefined);
      }
    },
  };
}

/**
 * The baseline of `interrupt` mode: what a hand-written loop does to steer with the
 * `openai` client: abort the request in flight and send a new one with the message.
 */
function rawSteerer(
  client: OpenAI,
  tools: OpenAI.ChatCompletionTool[],
): Steerer & { stop(): void } {
  const messages: OpenAI.ChatCompletionMessageParam[] = [
    { role: 'system', content: SYSTEM_PROMPT },
  ];
  let inFlight: AbortController | undefined;
  return {
    send(text) {
      messages.push({ role: 'user', content: text });
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      client.chat.completions
        .create({ model: 'gpt-4o-mini', messages, tools }, { signal: controller.signal })
        .catch(() => undefined);
    },
    stop: () => inFlight?.abort(),
  };
}

/**
 * Sends `count` messages through each steerer (after a few unrecorded ones), taking
 * turns, each while its requests are in flight, and returns the latencies of each: from
 * the send to the arrival of the request that carries the message. Taking turns puts
 * every steerer under the same load.
 */
async function measureSends(
  arrivals: Arrivals,
  steerers: Record<string, Steerer>,
  count: number,
): Promise<Record<string, number[]>> {
  const latencies: Record<string, number[]> = {};
  for (const [name, steerer] of Object.entries(steerers)) {
    const started = arrivals.expect(`${name} start`);
    steerer.send(`${name} start`);
    await started;
    latencies[name] = [];
  }
  for (let i = 0; i < count + WARMUP; i++) {
    for (const [name, steerer] of Object.entries(steerers)) {
      const text = `${name} ${i}`;
      const arrival = arrivals.expect(text);
      const sentAt = performance.now();
      steerer.send(text);
      const at = await arrival;
      if (i >= WARMUP) latencies[name]!.push(at - sentAt);
    }
  }
  return latencies;
}

/** A conversation on `llm`, for the latency runs. */
function conversationOn(llm: LanguageModel): Conversation {
  return new Conversation({
    agent: benchAgent(llm),
    visualizer: false,
    maxIterationsPerRun: 100_000,
  });
}

/** Holds a fake-server request until the client leaves (interrupt) or for a known delay (queue). */
function holdingScript(arrivals: Arrivals, delivery: Delivery) {
  return (request: FakeRequest): FakeTurn => {
    const body = request.body as { messages: { role: string; content?: unknown }[] };
    arrivals.arrived(lastUserText(body.messages), performance.now());
    const usage = { promptTokens: 100, completionTokens: 1 };
    if (delivery === 'queue') return { content: 'ok', usage, delay: QUEUE_REPLY_DELAY_MS };
    // Never answered: the interrupt aborts it; the server stops waiting when the client leaves.
    return { content: 'never sent', usage, delay: new Promise<void>(() => undefined) };
  };
}

/** An in-process model that holds every call until it is aborted. */
class HoldingModel implements LanguageModel {
  readonly model = 'bench/holding';
  readonly metrics = {
    accumulatedCost: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    calls: 0,
    latenciesMs: [] as number[],
  };
  constructor(readonly arrivals: Arrivals) {}

  complete(request: LLMRequest, options: { signal?: AbortSignal } = {}): Promise<LLMResponse> {
    this.arrivals.arrived(lastUserText(request.messages), performance.now());
    return new Promise((_, reject) => {
      options.signal?.addEventListener('abort', () => reject(options.signal!.reason as Error), {
        once: true,
      });
    });
  }
}

function latencyRows(
  label: string,
  latencies: number[],
  targets?: { p50: number; p99: number },
): Row[] {
  const s = summarize(latencies);
  return [
    row(
      `${label}: p50 (${s.n} sends)`,
      round(s.p50, 3),
      'ms',
      targets && { op: '<=', value: targets.p50 },
    ),
    row(`${label}: p99`, round(s.p99, 3), 'ms', targets && { op: '<=', value: targets.p99 }),
  ];
}

/**
 * 2. Steering latency: from `sendMessage` during `thinking` to the arrival at the server
 * of the request that carries the message. `interrupt` mode aborts the request in flight;
 * in `queue` mode the message waits for the model's reply, which takes a known delay.
 */
export const steeringLatency: Bench = async ({ quick }) => {
  const count = quick ? 20 : 300;
  const rows: Row[] = [];
  const details: Record<string, unknown> = { queueReplyDelayMs: QUEUE_REPLY_DELAY_MS };

  for (const delivery of ['interrupt', 'queue'] as const) {
    const arrivals = new Arrivals();
    const server = await startFakeOpenAIServer({ script: holdingScript(arrivals, delivery) });
    const llm = new LLM({ model: BENCH_MODEL, apiKey: BENCH_API_KEY, baseUrl: server.baseUrl });
    const conversation = conversationOn(llm);
    const raw = rawSteerer(
      new OpenAI({ apiKey: BENCH_API_KEY, baseURL: server.baseUrl, maxRetries: 0 }),
      openAITools(conversation.agent.toolSpecs),
    );
    try {
      if (delivery === 'interrupt') {
        const latencies = await measureSends(
          arrivals,
          { framework: conversationSteerer(conversation, delivery), raw },
          count,
        );
        details.interrupt = latencies.framework!.map((l) => round(l, 3));
        details.rawInterrupt = latencies.raw!.map((l) => round(l, 3));
        rows.push(
          ...latencyRows('HTTP, interrupt mode', latencies.framework!, { p50: 5, p99: 20 }),
          ...latencyRows('baseline: openai client, abort + new request', latencies.raw!),
        );
      } else {
        const latencies = (
          await measureSends(
            arrivals,
            { framework: conversationSteerer(conversation, delivery) },
            Math.min(count, 200),
          )
        ).framework!;
        details.queue = latencies.map((l) => round(l, 3));
        rows.push(
          ...latencyRows(`HTTP, queue mode (model reply ${QUEUE_REPLY_DELAY_MS} ms)`, latencies),
          ...latencyRows(
            'HTTP, queue mode, beyond the reply delay',
            latencies.map((l) => l - QUEUE_REPLY_DELAY_MS),
          ),
        );
      }
    } finally {
      raw.stop();
      await conversation.close();
      await server.close();
    }
  }

  // The framework alone: an in-process model, no HTTP.
  const arrivals = new Arrivals();
  const conversation = conversationOn(new HoldingModel(arrivals));
  try {
    const latencies = (
      await measureSends(
        arrivals,
        { framework: conversationSteerer(conversation, 'interrupt') },
        count,
      )
    ).framework!;
    details.inProcessInterrupt = latencies.map((l) => round(l, 4));
    rows.push(...latencyRows('in process, interrupt mode', latencies));
  } finally {
    await conversation.close();
  }
  return { id: 'steering-latency', title: '2. Steering latency', rows, details };
};
