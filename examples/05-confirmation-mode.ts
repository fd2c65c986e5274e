/**
 * 05 · Confirmation mode: with `ConfirmRisky`, actions rated at or above a risk threshold
 * wait for approval (status `waiting_for_confirmation`). `run()` approves them;
 * `rejectPendingActions(reason)` rejects them and the model reads the reason.
 *
 *   npx tsx examples/05-confirmation-mode.ts
 *   LLM_API_KEY=sk-… npx tsx examples/05-confirmation-mode.ts
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ActionEvent,
  Agent,
  ConfirmRisky,
  Conversation,
  type LLMRequest,
  type LanguageModel,
  TerminalTool,
  llmFromEnv,
} from 'steerable';
import { ScriptedLLM, type ScriptedReply } from 'steerable/testing';

/** Your decision on the actions that wait: true approves, a string rejects with that reason. */
export type Decide = (actions: ActionEvent[]) => true | string | Promise<true | string>;

export interface ConfirmationOptions {
  llm?: LanguageModel;
  workspace?: string;
  /** Default: reject `rm -rf` (too broad), approve everything else. */
  decide?: Decide;
  visualizer?: boolean;
  print?: (line: string) => void;
}

const commandOf = (action: ActionEvent) =>
  String((action.arguments as { command?: string }).command);

const defaultDecide: Decide = (actions) =>
  actions.some((a) => commandOf(a).includes('rm -rf'))
    ? 'Too broad: keep the directory and its text files, delete only the object files.'
    : true;

export async function main(options: ConfirmationOptions = {}) {
  const print = options.print ?? console.log;
  const decide = options.decide ?? defaultDecide;
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'steerable-confirm-')));
  const llm = options.llm ?? llmFromEnv() ?? new ScriptedLLM([], { whenExhausted: offlineModel });
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [TerminalTool] }),
    workspace,
    visualizer: options.visualizer ?? true,
  });
  // Deletions, moves, installs… (medium) and anything worse wait for approval.
  conversation.setConfirmationPolicy(new ConfirmRisky({ threshold: 'medium' }));
  const decisions: string[] = [];
  try {
    conversation.sendMessage(
      'Create build/app.o and build/notes.txt, then clean the object files out of build/.',
    );
    let result = await conversation.run();
    while (result.status === 'waiting_for_confirmation') {
      const waiting = [...conversation.state.openActions.values()];
      const decision = await decide(waiting);
      const what = waiting.map((a) => `${commandOf(a)} (risk ${a.securityRisk})`).join(', ');
      decisions.push(decision === true ? `approved ${what}` : `rejected ${what}: ${decision}`);
      print(`\n${decisions.at(-1)}\n`);
      if (decision !== true) conversation.rejectPendingActions(decision);
      result = await conversation.run(); // approves what waits (nothing, after a rejection)
    }
    print(`status: ${result.status}`);
    return { status: result.status, decisions, workspace };
  } finally {
    await conversation.close();
  }
}

/** The offline model: make the files, try rm -rf, then delete only the object file. */
function offlineModel({ request }: { request: LLMRequest }): ScriptedReply {
  const commands = request.messages.flatMap((m) =>
    m.role === 'assistant'
      ? (m.tool_calls ?? []).map((c) => String(JSON.parse(c.function.arguments).command))
      : [],
  );
  const rejected = request.messages.some(
    (m) => m.role === 'tool' && m.content.includes('rejected this action'),
  );
  if (commands.length === 0) {
    return ScriptedLLM.call('terminal', {
      command: 'mkdir -p build && touch build/app.o build/notes.txt',
    });
  }
  if (!rejected && commands.length === 1)
    return ScriptedLLM.call('terminal', { command: 'rm -rf build' });
  if (!commands.includes('rm build/app.o'))
    return ScriptedLLM.call('terminal', { command: 'rm build/app.o' });
  return ScriptedLLM.finish('Removed build/app.o and kept build/notes.txt.');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
