/**
 * The runner process of the PostgreSQL steering benchmark: runs one conversation whose
 * agent sits in a tool call (so messages arrive during `acting`) and reports, for every
 * user message, when its `message` event was appended (`performance.timeOrigin +
 * performance.now()`, comparable across processes of this machine). `close` on stdin
 * ends it.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { Agent, Conversation, defineTool } from 'steerable';
import { PostgresEventStore } from 'steerable/postgres';
import { ScriptedLLM } from 'steerable/testing';

const { url, conversationId } = JSON.parse(process.argv[2]!) as {
  url: string;
  conversationId: string;
};
const report = (message: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(message)}\n`);

const wait = defineTool({
  name: 'wait',
  description: 'Waits until the conversation closes',
  parameters: z.object({}),
  execute: (_args, ctx) =>
    new Promise<string>((resolve) => {
      report({ type: 'acting' });
      ctx.signal.addEventListener('abort', () => resolve('stopped'));
    }),
});
const store = new PostgresEventStore({ connectionString: url });
const conversation = new Conversation({
  agent: new Agent({ llm: new ScriptedLLM([ScriptedLLM.call('wait')]), tools: [wait] }),
  store,
  conversationId,
  visualizer: false,
});
conversation.events$.subscribe((event) => {
  if (event.kind === 'message' && event.role === 'user') {
    report({ type: 'message', id: event.id, at: performance.timeOrigin + performance.now() });
  }
});
conversation.sendMessage('start');
conversation.run().catch(() => undefined);
createInterface({ input: process.stdin }).on('line', () => {
  void (async () => {
    await conversation.close();
    await store.close();
    process.exit(0);
  })();
});
