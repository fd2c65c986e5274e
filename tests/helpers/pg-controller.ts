/**
 * A controller process for the PostgreSQL tests: attaches to a conversation that runs
 * elsewhere and steers it. Reports JSON lines on stdout.
 *
 * Config (argv[2], JSON): see `ControllerConfig`. Commands on stdin (JSON lines):
 * `{ type: 'go' }` sends `messages` (all at once, without awaiting one before the next);
 * `{ type: 'send', text, id?, delivery? }`; `{ type: 'pause' }`; `{ type: 'interrupt' }`;
 * `{ type: 'close' }` closes and exits.
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
  conversationId: string;
  /** Sent on `{ type: 'go' }`. */
  messages?: Send[];
}

const config = JSON.parse(process.argv[2]!) as ControllerConfig;
const report = (message: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(message)}\n`);

const store = new PostgresEventStore({ connectionString: config.url });
const remote = await Conversation.attach({ store, conversationId: config.conversationId });
report({ type: 'attached', events: remote.events.length });

async function sendAll(messages: Send[]): Promise<void> {
  const handles = await Promise.all(
    messages.map((m) =>
      remote.sendMessage(m.text, {
        ...(m.id ? { id: m.id } : {}),
        ...(m.delivery ? { delivery: m.delivery } : {}),
      }),
    ),
  );
  report({ type: 'sent', ids: handles.map((h) => h.id) });
  const outcomes = await Promise.all(handles.map((h) => h.outcome));
  report({ type: 'outcomes', outcomes });
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { type: string } & Partial<Send>;
  void (async () => {
    switch (command.type) {
      case 'go':
        await sendAll(config.messages ?? []);
        break;
      case 'send':
        await sendAll([command as Send]);
        break;
      case 'pause':
        await remote.pause();
        report({ type: 'paused', status: remote.status });
        break;
      case 'interrupt':
        await remote.interrupt();
        report({ type: 'interrupted', status: remote.status });
        break;
      case 'close':
        await remote.close();
        await store.close();
        report({ type: 'closed' });
        process.exit(0);
    }
  })();
});
