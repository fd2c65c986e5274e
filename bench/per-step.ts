import OpenAI from 'openai';
import { type Agent, Conversation, LLM } from 'steerable';
import { instantBaseline, openAIBaseline, openAITools } from './baseline-loop.js';
import { machineAlone, xstateFloor } from './anatomy.js';
import { startBenchServer } from './fake-server.js';
import { interleaved, type Repetitions, type Timing, timed } from './measure.js';
import { type Bench, type Row, row } from './result.js';
import { median, round } from './stats.js';
import { benchAgent, InstantModel, taskMessage } from './workload.js';

/** The model name the benchmarks give `LLM` (priced, so cost is computed as in real use). */
export const BENCH_MODEL = 'openai/gpt-4o-mini';
/**
 * A key as long as a real one: the conversation masks the model's key in every event, and
 * a short stand-in would not be masked (nor cost anything), unlike in real use.
 */
export const BENCH_API_KEY = 'sk-bench-0123456789abcdefghijklmnopqrstuvwxyz0123456789';
const API_MODEL = 'gpt-4o-mini';

const SIZES = [10, 100, 1000] as const;

/** One conversation of `steps` tool steps through the framework; checks it ran them all. */
export async function frameworkRun(agent: Agent, steps: number): Promise<Timing> {
  const conversation = new Conversation({
    agent,
    visualizer: false,
    maxIterationsPerRun: steps + 10,
  });
  const { value: result, timing } = await timed(() => {
    conversation.sendMessage(taskMessage(steps));
    return conversation.run();
  });
  await conversation.close();
  if (result.status !== 'finished' || result.iterations !== steps + 1) {
    throw new Error(`framework run of ${steps} steps ended with ${JSON.stringify(result)}`);
  }
  return timing;
}

function expectRequests(requests: number, steps: number): void {
  if (requests !== steps + 1)
    throw new Error(`baseline made ${requests} requests for ${steps} steps`);
}

const perStepMs = (timings: Timing[], steps: number, key: keyof Timing) =>
  median(timings.map((t) => t[key])) / steps;

/**
 * 1. Per-step overhead: one conversation of N tool steps through the framework against a
 * hand-written loop doing the same requests, at N = 10, 100, 1,000. Over HTTP (the `LLM`
 * class against the fake server, the baseline with the `openai` client) and in process
 * (a model that answers at once: the framework's own cost, nothing else).
 */
export const perStep: Bench = async ({ quick }) => {
  const reps = (steps: number, http: boolean): Repetitions => {
    if (quick) return { warmup: 0, min: 1, max: 1, budgetMs: 0 };
    if (steps === 10) return { warmup: 3, min: 10, max: 40, budgetMs: http ? 8_000 : 3_000 };
    if (steps === 100) return { warmup: 1, min: 5, max: 15, budgetMs: http ? 20_000 : 4_000 };
    return { warmup: 0, min: 2, max: 5, budgetMs: http ? 30_000 : 6_000 };
  };
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};

  // In process: no network, no JSON; what remains is the framework.
  const instant = benchAgent(new InstantModel());
  // Let the JIT settle first (the sizes below are measured in order, smallest first).
  for (let i = 0; i < (quick ? 0 : 3); i++) await frameworkRun(instant, 500);
  const inProcess: Record<number, { framework: number; baseline: number; frameworkCpu: number }> =
    {};
  for (const steps of SIZES) {
    const { a: fw, b: base } = await interleaved(
      reps(steps, false),
      () => frameworkRun(instant, steps),
      async () => {
        const { value, timing } = await timed(() =>
          instantBaseline(instant.llm, steps, instant.toolSpecs),
        );
        expectRequests(value, steps);
        return timing;
      },
    );
    inProcess[steps] = {
      framework: perStepMs(fw, steps, 'wallMs') * 1000,
      frameworkCpu: perStepMs(fw, steps, 'cpuMs') * 1000,
      baseline: perStepMs(base, steps, 'wallMs') * 1000,
    };
    const r = inProcess[steps];
    rows.push(
      row(`in process, N=${steps}: framework per step`, round(r.framework, 1), 'µs'),
      row(`in process, N=${steps}: framework CPU per step`, round(r.frameworkCpu, 1), 'µs'),
      row(`in process, N=${steps}: bare loop per step`, round(r.baseline, 2), 'µs'),
    );
    details[`inProcess${steps}`] = { runs: fw.length, framework: fw, baseline: base };
  }
  details.inProcess = inProcess;

  // Anatomy: how much of the in-process cost is XState's, the machine's, the rest.
  const ANATOMY_STEPS = 200;
  const floor: number[] = [];
  const machine: number[] = [];
  const whole: number[] = [];
  const anatomyStart = performance.now();
  for (let i = 0; i < (quick ? 1 : 40); i++) {
    if (i >= 10 && performance.now() - anatomyStart > 5_000) break;
    floor.push(await xstateFloor(ANATOMY_STEPS));
    machine.push(await machineAlone(ANATOMY_STEPS));
    whole.push(((await frameworkRun(instant, ANATOMY_STEPS)).cpuMs * 1000) / ANATOMY_STEPS);
  }
  rows.push(
    row(
      `in process, CPU per step: XState floor (a machine invoking 2 promise actors per step)`,
      round(median(floor), 1),
      'µs',
    ),
    row(
      `in process, CPU per step: conversationMachine alone (ports stubbed)`,
      round(median(machine), 1),
      'µs',
    ),
    row(
      `in process, CPU per step: whole Conversation (N=${ANATOMY_STEPS})`,
      round(median(whole), 1),
      'µs',
    ),
  );
  details.anatomy = { steps: ANATOMY_STEPS, floor, machine, whole };

  // Over HTTP, against the fake server in its own process.
  const server = await startBenchServer();
  try {
    const tools = openAITools(instant.toolSpecs);
    const llm = new LLM({ model: BENCH_MODEL, apiKey: BENCH_API_KEY, baseUrl: server.baseUrl });
    const agent = benchAgent(llm);
    const client = new OpenAI({ apiKey: BENCH_API_KEY, baseURL: server.baseUrl });
    const http: Record<
      number,
      { framework: number; baseline: number; frameworkCpu: number; baselineCpu: number }
    > = {};
    for (const steps of SIZES) {
      const { a: fw, b: base } = await interleaved(
        reps(steps, true),
        () => frameworkRun(agent, steps),
        async () => {
          const { value, timing } = await timed(() =>
            openAIBaseline(client, API_MODEL, steps, tools),
          );
          expectRequests(value, steps);
          return timing;
        },
      );
      http[steps] = {
        framework: perStepMs(fw, steps, 'wallMs'),
        baseline: perStepMs(base, steps, 'wallMs'),
        frameworkCpu: perStepMs(fw, steps, 'cpuMs'),
        baselineCpu: perStepMs(base, steps, 'cpuMs'),
      };
      const r = http[steps];
      rows.push(
        row(`HTTP, N=${steps}: openai loop per step`, round(r.baseline, 3), 'ms'),
        row(`HTTP, N=${steps}: framework per step`, round(r.framework, 3), 'ms'),
        row(
          `HTTP, N=${steps}: framework / openai loop (wall)`,
          round(r.framework / r.baseline, 3),
          '×',
          steps === 100 ? { op: '<=', value: 1.15 } : undefined,
        ),
        row(
          `HTTP, N=${steps}: framework / openai loop (client CPU)`,
          round(r.frameworkCpu / r.baselineCpu, 3),
          '×',
        ),
      );
      details[`http${steps}`] = { runs: fw.length, framework: fw, baseline: base };
    }
    details.http = http;
    const overhead = (n: number) => http[n]!.framework - http[n]!.baseline;
    const growth = overhead(1000) - overhead(10);
    rows.push(
      row('HTTP: overhead per step at N=10 (framework − loop)', round(overhead(10), 3), 'ms'),
      row('HTTP: overhead per step at N=1,000 (framework − loop)', round(overhead(1000), 3), 'ms'),
      row(
        'HTTP: growth of the overhead per step from N=10 to N=1,000 (target: within 10 % of the loop’s step at N=1,000)',
        round(growth, 3),
        'ms',
        { op: '<=', value: round(0.1 * http[1000]!.baseline, 3) },
      ),
    );
  } finally {
    await server.close();
  }
  return { id: 'per-step', title: '1. Per-step overhead', rows, details };
};
