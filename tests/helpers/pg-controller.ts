/**
 * A controller process for the PostgreSQL tests: attaches to a conversation that runs
 * elsewhere and steers it. Reports JSON lines on stdout.
 *
 * Config (argv[2], JSON): see `ControllerConfig`. Commands on stdin (JSON lines):
 * `{ type: 'go' }` sends every conversation its messages (all at once, without awaiting
 * one before the next); `{ type: 'close' }` closes and exits.
 */
import { createInterface } from 'node:readline';
import { Conversation, type Delivery } from '../../src/index.js';
import { PostgresEventStore } from '../../src/postgres/index.js';

interface Send {
  text: string;
  id?: string;
  delivery?: Delivery;
}

export interface ControllerConfig {
  url: string;
  /** The conversations to attach to, each with the messages `{ type: 'go' }` sends it. */
  conversations: Record<string, Send[]>;
}

const config = JSON.parse(process.argv[2]!) as ControllerConfig;
const report = (message: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(message)}\n`);

const store = new PostgresEventStore({ connectionString: config.url });
const remotes = new Map(
  await Promise.all(
    Object.keys(config.conversations).map(
      async (conversationId) =>
        [conversationId, await Conversation.attach({ store, conversationId })] as const,
    ),
  ),
);
report({ type: 'attached' });

/** Sends every conversation its messages, all at once; reports ids, then outcomes. */
async function sendAll(batches: Record<string, Send[]>): Promise<void> {
  const handles = await Promise.all(
    Object.entries(batches).flatMap(([conversationId, messages]) =>
      messages.map((m) =>
        remotes.get(conversationId)!.sendMessage(m.text, {
          ...(m.id ? { id: m.id } : {}),
          ...(m.delivery ? { delivery: m.delivery } : {}),
        }),
      ),
    ),
  );
  report({ type: 'sent', ids: handles.map((h) => h.id) });
  const outcomes = await Promise.all(handles.map((h) => h.outcome));
  report({ type: 'outcomes', outcomes });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { type: string };
  void (async () => {
    switch (command.type) {
      case 'go':
        await sendAll(config.conversations);
        break;
      case 'close':
        await Promise.all([...remotes.values()].map((r) => r.close()));
        await store.close();
        report({ type: 'closed' });
        process.exit(0);
    }
  })();
});
