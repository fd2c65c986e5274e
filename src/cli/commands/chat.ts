import type { Command } from 'commander';
import { Delivery } from '../../events/schema.js';
import { llmFromEnv } from '../../llm/llm-from-env.js';
import { ScenarioError } from '../../scenarios/scenario-error.js';
import { type ChatDependencies, type StartChatOptions, startChat } from '../chat/start-chat.js';
import { processIO } from '../io.js';

/** The tools of the agent of `steerable chat` on a real model, unless `--tools` says otherwise. */
export const DEFAULT_CHAT_TOOLS = ['terminal', 'file_editor', 'task_tracker'] as const;

interface ChatFlags {
  scripted?: string;
  workspace?: string;
  steering?: string;
  tools?: string;
}

/** `steerable chat`: talk to an agent from the terminal while it works. */
export function registerChatCommand(program: Command, deps: ChatDependencies = {}): void {
  program
    .command('chat')
    .description(
      'Chat with an agent while it works: each line steers it at once (/now interrupts, /later queues, /help)',
    )
    .option('--scripted <file>', "use a scenario file's agent and turns instead of a model")
    .option('--workspace <dir>', 'where the agent works (default: the current directory)')
    .option('--steering <mode>', 'the delivery of plain lines: steer (default), interrupt or queue')
    .option(
      '--tools <names>',
      `the tools of the agent on the real model, comma-separated (default: ${DEFAULT_CHAT_TOOLS.join(',')})`,
    )
    .action(async (flags: ChatFlags) => {
      process.exitCode = await chat(flags, {
        createModel: () => llmFromEnv(),
        defaultTools: DEFAULT_CHAT_TOOLS,
        openInspector: async (conversation) => {
          const { startInspector } = await import('../../visualizer/start-inspector.js');
          return startInspector({ conversation });
        },
        ...deps,
      });
    });
}

async function chat(flags: ChatFlags, deps: ChatDependencies): Promise<number> {
  const options: StartChatOptions = { colors: processIO.colors };
  if (flags.steering !== undefined) {
    const steering = Delivery.safeParse(flags.steering);
    if (!steering.success) {
      processIO.err(`--steering must be steer, interrupt or queue (got "${flags.steering}")`);
      return 1;
    }
    options.steering = steering.data;
  }
  if (flags.scripted !== undefined) options.scripted = flags.scripted;
  if (flags.workspace !== undefined) options.workspace = flags.workspace;
  if (flags.tools !== undefined) {
    options.tools = flags.tools
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
  }
  try {
    const code = await startChat(options, deps);
    // The session is over: stop reading, so an open pipe does not keep the process alive.
    process.stdin.destroy();
    return code;
  } catch (error) {
    processIO.err(
      error instanceof ScenarioError
        ? error.message
        : `error: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
}
