import type { Command } from 'commander';
import { Delivery } from '../../events/schema.js';
import type * as Postgres from '../../postgres/index.js';
import { processIO } from '../io.js';

interface AttachFlags {
  store?: string;
  steering?: string;
}

/**
 * `steerable attach --store <url> <conversationId>`: the chat prompt of `steerable chat`,
 * connected to a conversation a worker runs in another process (PostgreSQL). Lines typed
 * go in with `sendMessage`; `/now`, `/later`, `/retract`, `/pause`, `/interrupt` steer it.
 */
export function registerAttachCommand(program: Command): void {
  program
    .command('attach')
    .description(
      'Steer a conversation that runs in another process: each line is sent to its runner (/now, /later, /retract, /pause, /interrupt)',
    )
    .argument('<conversationId>', 'the conversation to attach to')
    .option('--store <url>', 'the PostgreSQL connection string (default: DATABASE_URL)')
    .option('--steering <mode>', 'the delivery of plain lines: steer (default), interrupt or queue')
    .action(async (conversationId: string, flags: AttachFlags) => {
      process.exitCode = await attach(conversationId, flags);
      // The session is over: stop reading, so an open pipe does not keep the process alive.
      process.stdin.destroy();
    });
}

async function attach(conversationId: string, flags: AttachFlags): Promise<number> {
  let steering: Delivery | undefined;
  if (flags.steering !== undefined) {
    const parsed = Delivery.safeParse(flags.steering);
    if (!parsed.success) {
      processIO.err(`--steering must be steer, interrupt or queue (got "${flags.steering}")`);
      return 1;
    }
    steering = parsed.data;
  }
  // Loaded here: `pg` is an optional dependency, needed only by this command.
  let postgres: typeof Postgres;
  try {
    postgres = await import('../../postgres/index.js');
  } catch (error) {
    processIO.err(
      `steerable attach needs the PostgreSQL client: npm install pg (${error instanceof Error ? error.message : String(error)})`,
    );
    return 1;
  }
  const { attachConversation } = await import('../../conversation/attach.js');
  const { runAttachSession } = await import('../attach/attach-session.js');
  let store: Postgres.PostgresEventStore | undefined;
  try {
    store = new postgres.PostgresEventStore({
      ...(flags.store !== undefined ? { connectionString: flags.store } : {}),
    });
    await store.connect();
    const remote = await attachConversation({ store, conversationId });
    try {
      return await runAttachSession({
        remote,
        input: process.stdin,
        output: process.stdout,
        colors: processIO.colors,
        ...(steering ? { steering } : {}),
      });
    } finally {
      await remote.close();
    }
  } catch (error) {
    processIO.err(`steerable attach: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await store?.close();
  }
}
