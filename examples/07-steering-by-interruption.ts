/**
 * 07 · Steering by interruption, two ways:
 * - a message with `delivery: 'interrupt'` aborts the model request in flight, and the
 *   agent thinks again at once with the message (a running tool call is left alone);
 * - `interrupt()` stops everything at once, a running tool call included (its action gets
 *   an error observation saying it was interrupted); `run()` continues.
 *
 *   npx tsx examples/07-steering-by-interruption.ts
 *   LLM_API_KEY=sk-… npx tsx examples/07-steering-by-interruption.ts
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { filter, firstValueFrom } from 'rxjs';
import {
  Agent,
  Conversation,
  type ConversationEvent,
  type LanguageModel,
  TerminalTool,
  llmFromEnv,
} from 'steerable';
import { ScriptedLLM } from 'steerable/testing';

export interface InterruptionOptions {
  llm?: LanguageModel;
  workspace?: string;
  visualizer?: boolean;
  print?: (line: string) => void;
}

const next = (conversation: Conversation, match: (e: ConversationEvent) => boolean) =>
  firstValueFrom(conversation.events$.pipe(filter(match)));

export async function main(options: InterruptionOptions = {}) {
  const print = options.print ?? console.log;
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'steerable-interrupt-')));
  const llm =
    options.llm ??
    llmFromEnv() ??
    new ScriptedLLM([
      // A long answer, cut short by the interrupting message (this request is aborted).
      { content: 'Chapter 1. The history of tea begins…', delay: 60_000 },
      'Tea: a leaf from China that became the world’s favourite drink after water.',
      ScriptedLLM.call('terminal', { command: 'sleep 30 && echo tests passed' }),
      'Today is the day you asked about; the tests were not run.',
    ]);
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [TerminalTool] }),
    workspace,
    visualizer: options.visualizer ?? true,
  });
  try {
    // 1. An interrupting message aborts the request in flight.
    const thinking = next(conversation, (e) => e.kind === 'message_delivered');
    conversation.sendMessage('Write a 2,000-word essay about the history of tea.');
    const first = conversation.run();
    await thinking; // the model is writing the essay
    conversation.sendMessage('Stop: one sentence is enough.', { delivery: 'interrupt' });
    const summary = await first;
    print(`\nafter the interrupting message: ${summary.status}, ${summary.iterations} requests`);

    // 2. interrupt() stops a long tool call.
    const acting = next(conversation, (e) => e.kind === 'action' && e.toolName === 'terminal');
    conversation.sendMessage('Run the slow test suite: sleep 30 && echo tests passed.');
    const second = conversation.run();
    await acting;
    await conversation.interrupt(); // aborts the command; status paused
    const stopped = await second;
    const observation = conversation.events.findLast((e) => e.kind === 'observation');
    print(
      `after interrupt(): ${stopped.status}; the tool said: ${observation?.kind === 'observation' ? observation.content : '-'}`,
    );

    conversation.sendMessage('Never mind the tests. What day is it?');
    const last = await conversation.run();
    print(`then: ${last.status}`);
    return {
      first: summary,
      interrupted: stopped.status,
      last: last.status,
      events: conversation.events,
    };
  } finally {
    await conversation.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
