/**
 * A controller process: attaches to a conversation that a runner (runner.ts) works on,
 * prints its events as they happen, and steers it. It never runs the agent.
 *
 *   DATABASE_URL=postgres://... node --import tsx examples/postgres/controller.ts demo-1 "Also do X"
 *   ... controller.ts demo-1 "Stop and do Y" --interrupt   # delivery 'interrupt'
 *   ... controller.ts demo-1 "Afterwards, do Z" --queue     # delivery 'queue'
 *   ... controller.ts demo-1 --pause                         # pause the runner
 *
 * The message is durable when sendMessage resolves: with no runner alive it waits in
 * PostgreSQL, and the next runner reads it when it starts.
 */
import { Conversation, type Delivery } from 'steerable';
import { PostgresEventStore } from 'steerable/postgres';

const [conversationId = 'demo', ...rest] = process.argv.slice(2);
const text = rest.find((arg) => !arg.startsWith('--'));
const delivery: Delivery = rest.includes('--interrupt')
  ? 'interrupt'
  : rest.includes('--queue')
    ? 'queue'
    : 'steer';

const store = new PostgresEventStore(); // DATABASE_URL
const remote = await Conversation.attach({ store, conversationId });
console.log(`controller: ${conversationId} is ${remote.status} (${remote.events.length} events)`);
const subscription = remote.events$.subscribe((event) => {
  const detail = 'content' in event ? `: ${String(event.content).slice(0, 80)}` : '';
  console.log(`  #${event.seq} ${event.kind}${detail}`);
});

if (rest.includes('--pause')) {
  await remote.pause();
  console.log(`controller: paused (status ${remote.status})`);
}
if (text !== undefined) {
  const { id, outcome } = await remote.sendMessage(text, { delivery });
  console.log(`controller: message ${id} is stored; waiting for the model to read it`);
  console.log(`controller: outcome ${JSON.stringify(await outcome)}`);
}
subscription.unsubscribe();
await remote.close();
await store.close();
