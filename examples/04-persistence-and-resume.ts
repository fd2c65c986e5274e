/**
 * 04 · Persistence and resume after a restart: with `persistenceDir`, every event goes to
 * `<persistenceDir>/<conversationId>/events.jsonl` as it happens. A new Conversation with
 * the same directory and id replays the log and continues, pending messages included.
 *
 *   npx tsx examples/04-persistence-and-resume.ts
 *   LLM_API_KEY=sk-… npx tsx examples/04-persistence-and-resume.ts
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { filter, firstValueFrom } from 'rxjs';
import {
  Agent,
  Conversation,
  type LLMRequest,
  type LanguageModel,
  TerminalTool,
  llmFromEnv,
} from 'steerable';
import { ScriptedLLM, type ScriptedReply } from 'steerable/testing';

export interface PersistenceOptions {
  /** Makes the model of each "process" (a new one after the restart). */
  llm?: () => LanguageModel;
  workspace?: string;
  persistenceDir?: string;
  visualizer?: boolean;
  print?: (line: string) => void;
}

export async function main(options: PersistenceOptions = {}) {
  const print = options.print ?? console.log;
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'steerable-resume-')));
  const persistenceDir = options.persistenceDir ?? join(workspace, '.conversations');
  const conversationId = 'count-to-three';
  const makeModel =
    options.llm ?? (() => llmFromEnv() ?? new ScriptedLLM([], { whenExhausted: offlineModel }));
  const open = () =>
    new Conversation({
      agent: new Agent({ llm: makeModel(), tools: [TerminalTool] }),
      workspace,
      persistenceDir,
      conversationId,
      visualizer: options.visualizer ?? true,
    });

  // The first process: one step, a pause, a message that waits, then the process ends.
  const first = open();
  const firstStep = firstValueFrom(
    first.events$.pipe(filter((e) => e.kind === 'observation' && e.toolName === 'terminal')),
  );
  first.sendMessage(
    'Append the numbers 1, 2 and 3 to count.txt, one terminal call per number (echo N >> count.txt).',
  );
  const running = first.run();
  await firstStep;
  await first.pause();
  await running;
  first.sendMessage('When you have finished counting, also write "done" to done.txt.');
  await first.close(); // everything is in events.jsonl
  const lines = (await readFile(join(persistenceDir, conversationId, 'events.jsonl'), 'utf8'))
    .trim()
    .split('\n').length;
  print(`\nthe first process stopped: ${lines} events in events.jsonl`);

  // The second process: the same directory and id replay the log and continue.
  const second = open();
  try {
    print(
      `restored: status ${second.status}, ${second.events.length} events, ${second.pendingMessages.length} pending message(s)`,
    );
    const result = await second.run();
    const count = await readFile(join(workspace, 'count.txt'), 'utf8');
    const done = await readFile(join(workspace, 'done.txt'), 'utf8').catch(() => '');
    print(`run() resolved: ${result.status}; count.txt: ${count.trim().split('\n').join(', ')}`);
    return { status: result.status, count, done, restoredEvents: lines };
  } finally {
    await second.close();
  }
}

/** The offline model, a function of the request: it works across the restart. */
function offlineModel({ request }: { request: LLMRequest }): ScriptedReply {
  const users = request.messages.flatMap((m) => (m.role === 'user' ? [m.content] : []));
  const commands = request.messages.flatMap((m) =>
    m.role === 'assistant'
      ? (m.tool_calls ?? []).map((c) => String(JSON.parse(c.function.arguments).command))
      : [],
  );
  const counted = commands.filter((c) => c.includes('count.txt')).length;
  if (counted < 3)
    return ScriptedLLM.call('terminal', { command: `echo ${counted + 1} >> count.txt` });
  const askedDone = users.some((u) => u.includes('done.txt'));
  if (askedDone && !commands.some((c) => c.includes('done.txt'))) {
    return ScriptedLLM.call('terminal', { command: 'echo done > done.txt' });
  }
  return ScriptedLLM.finish('Counted to three and wrote done.txt.');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
