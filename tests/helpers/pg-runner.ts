/**
 * A runner process for the PostgreSQL tests: runs scripted conversations on a
 * PostgresEventStore and reports what happens as JSON lines on stdout.
 *
 * Config (argv[2], JSON): see `RunnerConfig`. Commands on stdin (JSON lines):
 * `{ type: 'release', conversationId }` ends the running `slow` tool call;
 * `{ type: 'run', conversationId }` calls `run()` again; `{ type: 'close' }` closes
 * everything and exits.
 */
import { createInterface } from 'node:readline';
import { filter, firstValueFrom } from 'rxjs';
import { z } from 'zod';
import { Agent, Conversation, defineTool } from '../../src/index.js';
import { PostgresEventStore } from '../../src/postgres/index.js';
import { type ScriptedReply, ScriptedLLM, type ScriptedTurn } from '../../src/testing/index.js';

/** One model turn: call the `slow` tool, call `await_message`, hold until aborted, or answer `done`. */
export type Step = 'slow' | 'await-message' | 'hold' | 'done';

export interface RunnerConfig {
  url: string;
  conversations: string[];
  steps: Step[];
  /** Sent by the runner itself before `run()` when the conversation has no user message yet. */
  initialMessage?: string;
  /** Call `run()` once ready (default true). */
  run?: boolean;
  reconnectTimeoutMs?: number;
  /** Report these event kinds as `{ type: 'event' }` lines (with the time they were appended). */
  reportEvents?: string[];
}

const config = JSON.parse(process.argv[2]!) as RunnerConfig;
const report = (message: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(message)}\n`);
const errorInfo = (error: unknown) => ({
  name: error instanceof Error ? error.name : 'Error',
  message: error instanceof Error ? error.message : String(error),
});

const store = new PostgresEventStore({
  connectionString: config.url,
  ...(config.reconnectTimeoutMs !== undefined
    ? { reconnectTimeoutMs: config.reconnectTimeoutMs }
    : {}),
});
const releases = new Map<string, () => void>();
const conversations = new Map<string, Conversation>();

function texts(
  request: { messages: readonly { role: string; content?: unknown }[] },
  role: string,
) {
  return request.messages.filter((m) => m.role === role).map((m) => String(m.content));
}

function turn(conversationId: string, step: Step): ScriptedTurn {
  return ({ request, index, signal }) => {
    report({
      type: 'request',
      conversationId,
      index,
      userTexts: texts(request, 'user'),
      toolTexts: texts(request, 'tool'),
    });
    signal?.addEventListener('abort', () =>
      report({ type: 'request_aborted', conversationId, index }),
    );
    const replies: Record<Step, string | ScriptedReply> = {
      slow: ScriptedLLM.call('slow'),
      'await-message': ScriptedLLM.call('await_message'),
      hold: { content: 'held', delay: new Promise(() => undefined) },
      done: 'done',
    };
    return replies[step];
  };
}

function agentFor(conversationId: string): Agent {
  const slow = defineTool({
    name: 'slow',
    description: 'Runs until the test releases it',
    parameters: z.object({}),
    execute: (_args, ctx) =>
      new Promise<string>((resolve, reject) => {
        releases.set(conversationId, () => resolve('slow done'));
        ctx.signal.addEventListener('abort', () => {
          report({ type: 'tool_aborted', conversationId, tool: 'slow' });
          reject(new Error('aborted'));
        });
        report({ type: 'tool_started', conversationId, tool: 'slow' });
      }),
  });
  const awaitMessage = defineTool({
    name: 'await_message',
    description: 'Returns once a new user message is in the log',
    parameters: z.object({}),
    execute: async () => {
      const conversation = conversations.get(conversationId)!;
      const from = conversation.events.length;
      report({ type: 'tool_started', conversationId, tool: 'await_message' });
      const isUserMessage = (e: { kind: string; role?: string; seq: number }) =>
        e.kind === 'message' && e.role === 'user' && e.seq >= from;
      if (!conversation.events.some(isUserMessage)) {
        await firstValueFrom(conversation.events$.pipe(filter(isUserMessage)));
      }
      return 'a message arrived';
    },
  });
  const llm = new ScriptedLLM(
    config.steps.map((step) => turn(conversationId, step)),
    { whenExhausted: turn(conversationId, 'done') },
  );
  return new Agent({ llm, tools: [slow, awaitMessage] });
}

async function start(conversationId: string): Promise<void> {
  const conversation = new Conversation({
    agent: agentFor(conversationId),
    store,
    conversationId,
    visualizer: false,
  });
  conversations.set(conversationId, conversation);
  const kinds = new Set(config.reportEvents ?? []);
  conversation.events$.subscribe((event) => {
    if (kinds.has(event.kind)) {
      report({
        type: 'event',
        conversationId,
        kind: event.kind,
        seq: event.seq,
        id: event.id,
        at: performance.timeOrigin + performance.now(),
      });
    }
  });
  try {
    await conversation.ready;
  } catch (error) {
    conversations.delete(conversationId);
    report({ type: 'open_error', conversationId, ...errorInfo(error) });
    return;
  }
  report({
    type: 'ready',
    conversationId,
    events: conversation.events.length,
    pending: conversation.pendingMessages.map((m) => m.content),
  });
  const hasUserMessage = conversation.events.some((e) => e.kind === 'message' && e.role === 'user');
  if (config.initialMessage && !hasUserMessage) conversation.sendMessage(config.initialMessage);
  if (config.run !== false) await run(conversation);
}

async function run(conversation: Conversation): Promise<void> {
  try {
    const result = await conversation.run();
    report({ type: 'run_result', conversationId: conversation.id, ...result });
  } catch (error) {
    report({
      type: 'run_error',
      conversationId: conversation.id,
      status: conversation.status,
      ...errorInfo(error),
    });
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { type: string; conversationId?: string };
  if (command.type === 'release') {
    const release = releases.get(command.conversationId!);
    releases.delete(command.conversationId!);
    release?.();
  } else if (command.type === 'run') {
    void run(conversations.get(command.conversationId!)!);
  } else if (command.type === 'close') {
    void (async () => {
      await Promise.all([...conversations.values()].map((c) => c.close()));
      await store.close();
      report({ type: 'closed' });
      process.exit(0);
    })();
  }
});

await Promise.all(config.conversations.map((id) => start(id)));
