/**
 * 03 · Pause and resume: pause() lets the running step finish and starts nothing after
 * it; a message sent while paused waits; run() resumes, and the agent reads it.
 *
 *   npx tsx examples/03-pause-and-resume.ts
 *   LLM_API_KEY=sk-… npx tsx examples/03-pause-and-resume.ts
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { filter, firstValueFrom } from 'rxjs';
import {
  Agent,
  Conversation,
  type LLMRequest,
  type LanguageModel,
  TaskTrackerTool,
  TerminalTool,
  llmFromEnv,
} from 'steerable';
import { ScriptedLLM, type ScriptedReply } from 'steerable/testing';

export interface PauseOptions {
  llm?: LanguageModel;
  workspace?: string;
  visualizer?: boolean;
  print?: (line: string) => void;
}

export async function main(options: PauseOptions = {}) {
  const print = options.print ?? console.log;
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'steerable-pause-')));
  const llm = options.llm ?? llmFromEnv() ?? new ScriptedLLM([], { whenExhausted: offlineModel });
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [TaskTrackerTool, TerminalTool] }),
    workspace,
    visualizer: options.visualizer ?? true,
  });
  try {
    const firstStep = firstValueFrom(
      conversation.events$.pipe(
        filter((e) => e.kind === 'observation' && e.toolName === 'terminal'),
      ),
    );
    conversation.sendMessage(
      'Plan three steps with the task tracker, then run them one terminal call each: echo "step 1", echo "step 2", echo "step 3".',
    );
    const running = conversation.run();

    await firstStep;
    await conversation.pause(); // resolves once paused: nothing starts after this
    const paused = await running;
    print(`\nrun() resolved: ${paused.status}`);

    conversation.sendMessage('While you were paused: add a step 4 that runs echo "step 4".');
    print(`pending while paused: ${conversation.pendingMessages.length} message(s)`);

    const resumed = await conversation.run(); // resumes; the agent reads the message first
    print(`run() resolved: ${resumed.status}`);
    const commands = conversation.events.flatMap((e) =>
      e.kind === 'action' && e.toolName === 'terminal'
        ? [String((e.arguments as { command?: string }).command)]
        : [],
    );
    print(`terminal commands: ${commands.join(' | ')}`);
    return { paused: paused.status, resumed: resumed.status, commands };
  } finally {
    await conversation.close();
  }
}

/** The offline model: plans, then runs the steps it has not run yet (and step 4 once asked). */
function offlineModel({ request }: { request: LLMRequest }): ScriptedReply {
  const users = request.messages.flatMap((m) => (m.role === 'user' ? [m.content] : []));
  const calls = request.messages.flatMap((m) =>
    m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.function.name) : [],
  );
  const steps = users.some((u) => u.includes('step 4')) ? 4 : 3;
  const done = calls.filter((name) => name === 'terminal').length;
  if (!calls.includes('task_tracker')) {
    return ScriptedLLM.call('task_tracker', {
      command: 'plan',
      task_list: [1, 2, 3].map((n) => ({ title: `echo "step ${n}"` })),
    });
  }
  if (done < steps) return ScriptedLLM.call('terminal', { command: `echo "step ${done + 1}"` });
  return ScriptedLLM.finish(`Ran ${steps} steps.`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
