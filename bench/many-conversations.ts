import OpenAI from 'openai';
import { Conversation, LLM } from 'steerable';
import { openAIBaseline, openAITools } from './baseline-loop.js';
import { startBenchServer } from './fake-server.js';
import { interleaved, type Timing, timed } from './measure.js';
import { BENCH_API_KEY, BENCH_MODEL, frameworkRun } from './per-step.js';
import { type Bench, type Row, row } from './result.js';
import { collectGarbage, median, round } from './stats.js';
import { benchAgent, InstantModel, taskMessage } from './workload.js';

const IDLE = 1_000;
const CONCURRENT = 100;
const STEPS = 20;
const MB = 2 ** 20;

/** Heap and RSS after a full garbage collection. */
function memory(): { heap: number; rss: number } {
  collectGarbage();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, rss: usage.rss };
}

/** Memory of `IDLE` conversations sharing one agent: fresh, then after a 2-step run each. */
async function idleConversations(rows: Row[], details: Record<string, unknown>): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) throw new Error('run with node --expose-gc');
  const agent = benchAgent(new InstantModel());
  // One conversation first, so module set-up and compiled code are not counted.
  const warm = new Conversation({ agent, visualizer: false });
  await frameworkRun(agent, 2);
  const before = memory();
  const conversations: Conversation[] = [];
  for (let i = 0; i < IDLE; i++) conversations.push(new Conversation({ agent, visualizer: false }));
  const fresh = memory();
  for (const conversation of conversations) {
    conversation.sendMessage(taskMessage(2));
    await conversation.run();
  }
  const ran = memory();
  const heapMB = (fresh.heap - before.heap) / MB;
  const kb = (bytes: number) => round(bytes / IDLE / 1024, 1);
  rows.push(
    row(
      `${IDLE.toLocaleString('en-US')} idle conversations: heap in total`,
      round(heapMB, 1),
      'MB',
      {
        op: '<=',
        value: 60,
      },
    ),
    row('idle conversation: heap each', kb(fresh.heap - before.heap), 'KB'),
    row('idle conversation: RSS each', kb(fresh.rss - before.rss), 'KB'),
    row('after a 2-step run (11 events): heap each', kb(ran.heap - before.heap), 'KB'),
  );
  details.idle = { before, fresh, ran, events: conversations[0]!.events.length };
  await Promise.all([warm, ...conversations].map((c) => c.close()));
}

/** 100 conversations running 20 steps each at once, against 100 concurrent `openai` loops. */
async function concurrent(
  quick: boolean,
  rows: Row[],
  details: Record<string, unknown>,
  target: boolean,
) {
  const server = await startBenchServer();
  try {
    // One agent (and one `LLM`) serves every conversation, as one client serves every loop.
    const agent = benchAgent(
      new LLM({ model: BENCH_MODEL, apiKey: BENCH_API_KEY, baseUrl: server.baseUrl }),
    );
    const client = new OpenAI({ apiKey: BENCH_API_KEY, baseURL: server.baseUrl });
    const tools = openAITools(agent.toolSpecs);
    const { a: fw, b: base } = await interleaved(
      quick
        ? { warmup: 0, min: 1, max: 1, budgetMs: 0 }
        : { warmup: 1, min: 3, max: 7, budgetMs: 40_000 },
      () =>
        timed(() =>
          Promise.all(Array.from({ length: CONCURRENT }, () => frameworkRun(agent, STEPS))),
        ),
      () =>
        timed(async () => {
          const requests = await Promise.all(
            Array.from({ length: CONCURRENT }, () =>
              openAIBaseline(client, 'gpt-4o-mini', STEPS, tools),
            ),
          );
          if (requests.some((n) => n !== STEPS + 1)) throw new Error('a baseline loop fell short');
        }),
    );
    const steps = CONCURRENT * STEPS;
    const fwWall = median(fw.map((r) => r.timing.wallMs));
    const baseWall = median(base.map((r) => r.timing.wallMs));
    const fwRate = steps / (fwWall / 1000);
    const baseRate = steps / (baseWall / 1000);
    const perStepCpu = (runs: ReadonlyArray<{ timing: Timing }>) =>
      (median(runs.map((r) => r.timing.cpuMs)) / steps) * 1000;
    rows.push(
      row(`${CONCURRENT} × ${STEPS} steps at once: framework wall time`, round(fwWall, 0), 'ms'),
      row(
        `${CONCURRENT} × ${STEPS} steps at once: openai loops wall time`,
        round(baseWall, 0),
        'ms',
      ),
      row('framework steps per second', round(fwRate, 0), 'steps/s'),
      row('openai loops steps per second', round(baseRate, 0), 'steps/s'),
      row(
        'framework / openai loops (steps per second)',
        round(fwRate / baseRate, 3),
        '×',
        target ? { op: '>=', value: 0.8 } : undefined,
      ),
      row('client CPU per step: framework', round(perStepCpu(fw), 0), 'µs'),
      row('client CPU per step: openai loops', round(perStepCpu(base), 0), 'µs'),
    );
    details.concurrent = {
      frameworkWallMs: fw.map((r) => round(r.timing.wallMs, 1)),
      baselineWallMs: base.map((r) => round(r.timing.wallMs, 1)),
      frameworkCpuMs: fw.map((r) => round(r.timing.cpuMs, 1)),
      baselineCpuMs: base.map((r) => round(r.timing.cpuMs, 1)),
    };
  } finally {
    await server.close();
  }
}

/**
 * 3. Many conversations in one process: the memory of 1,000 idle ones, and 100 running
 * 20 tool steps each at the same time against the fake server, against 100 concurrent
 * hand-written `openai` loops (the baseline).
 */
export const manyConversations: Bench = async ({ quick }) => {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  await idleConversations(rows, details);
  await concurrent(quick, rows, details, true);
  return { id: 'many-conversations', title: '3. Many conversations in one process', rows, details };
};

/**
 * 3b. The concurrent run again, in a process with a 64 MB young generation
 * (`--max-semi-space-size=64`, set by the runner): how much of the gap is garbage collection.
 */
export const concurrentLargeYoungGeneration: Bench = async ({ quick }) => {
  const rows: Row[] = [];
  const details: Record<string, unknown> = { nodeFlags: process.execArgv };
  await concurrent(quick, rows, details, false);
  return {
    id: 'many-conversations-young-gen',
    title: '3b. 100 conversations at once, with node --max-semi-space-size=64',
    rows,
    details,
  };
};
