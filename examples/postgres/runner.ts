/**
 * A worker process: runs one conversation stored in PostgreSQL, and runs it again
 * whenever a message arrives from another process (see controller.ts).
 *
 *   npm run build
 *   DATABASE_URL=postgres://user:password@127.0.0.1:5432/db \
 *     node --import tsx examples/postgres/runner.ts demo-1
 *
 * With LLM_API_KEY set it uses that model (see docs/llm.md); without, a scripted model
 * that works with a `sleep` tool for a while and then answers with the messages it read.
 * Kill it (even with SIGKILL) and start it again: it resumes where the log stops.
 */
import { filter } from 'rxjs';
import { z } from 'zod';
import { Agent, Conversation, defineTool, llmFromEnv } from 'steerable';
import { ConversationLeasedError, PostgresEventStore } from 'steerable/postgres';
import { ScriptedLLM } from 'steerable/testing';

const conversationId = process.argv[2] ?? 'demo';

const sleep = defineTool({
  name: 'sleep',
  description: 'Waits a number of seconds (stands for real work)',
  parameters: z.object({ seconds: z.number().min(0).max(60) }),
  execute: ({ seconds }, ctx) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => resolve(`slept ${seconds} s`), seconds * 1000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('interrupted'));
      });
    }),
});

const scripted = new ScriptedLLM([], {
  whenExhausted: ({ request }) => {
    const last = request.messages.at(-1);
    if (last?.role === 'user') return ScriptedLLM.call('sleep', { seconds: 5 }, 'Working on it.');
    const read = request.messages.filter((m) => m.role === 'user').map((m) => m.content);
    return ScriptedLLM.finish(`Done. Messages I read: ${read.join(' | ')}`);
  },
});

const store = new PostgresEventStore(); // DATABASE_URL
await store.connect(); // fail fast on a wrong URL, a refused connection, a missing permission
const conversation = new Conversation({
  agent: new Agent({ llm: llmFromEnv() ?? scripted, tools: [sleep] }),
  store,
  conversationId,
});

try {
  await conversation.ready;
} catch (error) {
  if (error instanceof ConversationLeasedError) console.error(error.message);
  else console.error(error);
  await store.close();
  process.exit(1);
}
console.log(`runner: ${conversationId} has ${conversation.events.length} events; running`);

const stop = async () => {
  await conversation.close();
  await store.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

let running: Promise<void> | undefined;
const runOnce = () =>
  (running ??= conversation
    .run()
    .then(
      (result) => console.log(`runner: run ended: ${JSON.stringify(result)}`),
      (error: unknown) => console.error(`runner: run failed: ${String(error)}`),
    )
    .finally(() => (running = undefined)));
await runOnce();
// A message that arrives while nothing runs starts the next run (once the conversation
// has taken it in: events$ tells of it while it is being logged).
conversation.events$
  .pipe(filter((e) => e.kind === 'message' && e.role === 'user'))
  .subscribe(() => setImmediate(() => void runOnce()));
