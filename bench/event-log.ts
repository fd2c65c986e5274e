import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as steerable from 'steerable';
import { Conversation, type EventDraft, EventLog, type EventStore } from 'steerable';
import { type Bench, type Row, row } from './result.js';
import { median, round, summarize } from './stats.js';
import { benchAgent, InstantModel } from './workload.js';

/** The file store's constructor, as `steerable` exports it once persistence has landed. */
type FileEventStoreClass = new (
  dir: string,
  options?: {
    durability?: 'batch' | 'none';
    logger?: { warn(message: string): void; error(message: string): void };
  },
) => EventStore;

/** `FileEventStore` from the built package, or undefined when this build has none. */
export function fileEventStore(): FileEventStoreClass | undefined {
  return (steerable as Record<string, unknown>).FileEventStore as FileEventStoreClass | undefined;
}

const RESUME_EVENTS = 100_000;
const quietLogger = { warn: () => undefined, error: (m: string) => console.error(m) };

/** The events of one tool step, as the conversation logs them. */
function stepDrafts(step: number): EventDraft[] {
  const toolCallId = `call_${step}`;
  const args = JSON.stringify({ command: `ls -la src/step-${step}` });
  return [
    {
      kind: 'action',
      source: 'agent',
      toolName: 'terminal',
      toolCallId,
      arguments: JSON.parse(args) as unknown,
      rawArguments: args,
      responseId: `chatcmpl-${step}`,
      usage: {
        model: 'gpt-4o-mini',
        promptTokens: 1200 + step,
        completionTokens: 30,
        cost: 0.0002,
        latencyMs: 850,
      },
    },
    {
      kind: 'observation',
      source: 'environment',
      toolName: 'terminal',
      toolCallId,
      actionId: `action-${step}`,
      content: `total 8\ndrwxr-xr-x 2 user user 4096 step-${step}\n-rw-r--r-- 1 user user  120 index.ts`,
      isError: false,
    },
  ];
}

/** A fresh directory for a store. */
async function storeDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'steerable-bench-'));
}

/**
 * Appends `total` events to a log over `store`, two per macrotask (as a conversation's
 * steps do), and resolves with the events per second until all are stored (flushed).
 * `during` runs alongside (the `sendMessage` bursts).
 */
async function appendRate(
  store: EventStore,
  total: number,
  during?: () => Promise<void>,
): Promise<number> {
  const log = new EventLog(await store.open('producer'));
  const t0 = performance.now();
  const side = during?.();
  for (let step = 0; log.length < total; step++) {
    for (const draft of stepDrafts(step)) log.append(draft);
    if (step % 2 === 1) await new Promise((resolve) => setImmediate(resolve));
  }
  await log.flush();
  const seconds = (performance.now() - t0) / 1000;
  await side;
  await log.close();
  return total / seconds;
}

/**
 * Bursts of `size` `sendMessage` calls into a conversation on the same store, one burst
 * per `everyMs`, until `stop()` says so; each burst's time until its messages are on disk.
 */
function messageBursts(store: EventStore, size: number, everyMs: number) {
  const conversation = new Conversation({
    agent: benchAgent(new InstantModel()),
    store,
    conversationId: 'steering',
    visualizer: false,
  });
  const stored: number[] = [];
  let messages = 0;
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      const t0 = performance.now();
      const ids: string[] = [];
      for (let i = 0; i < size; i++)
        ids.push(conversation.sendMessage(`burst message ${messages++}`).id);
      await new Promise<void>((resolve) => {
        const last = ids.at(-1)!;
        const off = store.subscribe('steering', (event) => {
          if (event.id === last) {
            off();
            resolve();
          }
        });
      });
      stored.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  };
  return {
    run,
    stop: () => (stopped = true),
    stored,
    messages: () => messages,
    close: () => conversation.close(),
  };
}

/** Writes a log of `count` events for conversation `id` (steps, with a user message every 50). */
async function writeLog(store: EventStore, id: string, count: number): Promise<void> {
  const log = new EventLog(await store.open(id, { metadata: { model: 'bench/instant' } }));
  log.append({
    kind: 'system_prompt',
    source: 'agent',
    content: 'You are a benchmark agent.',
    tools: [],
  });
  for (let step = 0; log.length + 4 <= count; step++) {
    if (step % 50 === 0) {
      const message = log.append({
        kind: 'message',
        source: 'user',
        role: 'user',
        content: `Task ${step}: list the files`,
        delivery: 'steer',
      });
      log.append({ kind: 'message_delivered', source: 'agent', messageIds: [message.id] });
    }
    for (const draft of stepDrafts(step)) log.append(draft);
    if (step % 500 === 0) await log.flush();
  }
  // Whole steps only (an action without its observation would be completed on resume).
  while (log.length < count) {
    log.append({ kind: 'message', source: 'agent', role: 'assistant', content: 'Noted.' });
  }
  await log.close();
}

/**
 * 4. Event log on files: appends per second under the documented durability (one
 * `fdatasync` per batch) and without it, alone and during bursts of `sendMessage`; the
 * time to resume a conversation from a 100,000-event log; bytes per event on disk.
 */
export const eventLog: Bench = async ({ quick }) => {
  const FileEventStore = fileEventStore();
  if (!FileEventStore) {
    return {
      id: 'event-log',
      title: '4. Event log',
      rows: [],
      skipped:
        'this build of steerable exports no `FileEventStore` (the file store of branch `persistence` has not landed)',
    };
  }
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const dirs: string[] = [];
  const fresh = async (durability: 'batch' | 'none') => {
    const dir = await storeDir();
    dirs.push(dir);
    return new FileEventStore(dir, { durability, logger: quietLogger });
  };
  try {
    const total = quick ? 2_000 : 20_000;
    const reps = quick ? 1 : 3;
    for (const durability of ['batch', 'none'] as const) {
      const alone: number[] = [];
      const withBursts: number[] = [];
      const burstStored: number[] = [];
      for (let r = 0; r < reps; r++) {
        alone.push(await appendRate(await fresh(durability), total));
        const store = await fresh(durability);
        const bursts = messageBursts(store, 100, 5);
        let running: Promise<void> | undefined;
        withBursts.push(
          await appendRate(store, total, async () => {
            running = bursts.run();
          }),
        );
        bursts.stop();
        await running;
        burstStored.push(...bursts.stored);
        await bursts.close();
      }
      const label =
        durability === 'batch'
          ? "durability 'batch' (default: fdatasync per batch)"
          : "durability 'none'";
      rows.push(
        row(
          `appends per second, ${label}`,
          round(median(alone), 0),
          'events/s',
          durability === 'batch' ? { op: '>=', value: 20_000 } : undefined,
        ),
        row(
          `appends per second during sendMessage bursts, ${label}`,
          round(median(withBursts), 0),
          'events/s',
        ),
        row(
          `burst of 100 sendMessage until on disk, p50, ${label}`,
          round(summarize(burstStored).p50, 2),
          'ms',
        ),
        row(
          `burst of 100 sendMessage until on disk, p99, ${label}`,
          round(summarize(burstStored).p99, 2),
          'ms',
        ),
      );
      details[durability] = { alone, withBursts, bursts: burstStored.length };
    }

    // Resume from a 100,000-event log.
    const count = quick ? 10_000 : RESUME_EVENTS;
    const dir = await storeDir();
    dirs.push(dir);
    await writeLog(new FileEventStore(dir, { logger: quietLogger }), 'long', count);
    const file = join(dir, 'long', 'events.jsonl');
    const bytes = (await stat(file)).size;
    const resumes: number[] = [];
    for (let r = 0; r < (quick ? 1 : 5); r++) {
      const store = new FileEventStore(dir, { logger: quietLogger });
      const t0 = performance.now();
      const conversation = new Conversation({
        agent: benchAgent(new InstantModel()),
        store,
        conversationId: 'long',
        visualizer: false,
      });
      resumes.push(performance.now() - t0);
      if (conversation.events.length < count) {
        throw new Error(`resumed ${conversation.events.length} events of ${count}`);
      }
      await conversation.close();
    }
    const label = `resume a conversation from a ${count.toLocaleString('en-US')}-event log`;
    rows.push(
      row(`${label} (median of ${resumes.length})`, round(median(resumes), 1), 'ms', {
        op: '<=',
        value: 1000,
      }),
      row(
        `${label} (the first, in a process that has not read a log yet)`,
        round(resumes[0]!, 1),
        'ms',
      ),
      row(
        'bytes per event on disk (tool steps: action + observation)',
        round(bytes / count, 1),
        'B',
      ),
    );
    details.resume = { events: count, bytes, ms: resumes.map((t) => round(t, 1)) };
  } finally {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
  return { id: 'event-log', title: '4. Event log', rows, details };
};
