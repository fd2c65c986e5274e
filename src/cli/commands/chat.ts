import type { Command } from 'commander';
import { Delivery } from '../../events/schema.js';
import { ScenarioError } from '../../scenarios/scenario-error.js';
import { type ChatDependencies, startChat } from '../chat/start-chat.js';
import { processIO } from '../io.js';

/** `steerable chat`: talk to an agent from the terminal while it works. */
export function registerChatCommand(program: Command, deps: ChatDependencies = {}): void {
  program
    .command('chat')
    .description(
      'Chat with an agent while it works: each line steers it at once (/now interrupts, /later queues, /help)',
    )
    .option(
      '--scripted <file>',
      "use a scenario file's agent and scripted turns instead of a model",
    )
    .option('--workspace <dir>', 'where the agent works (default: the current directory)')
    .option('--steering <mode>', 'the delivery of plain lines: steer, interrupt or queue', 'steer')
    .action(async (flags: { scripted?: string; workspace?: string; steering: string }) => {
      const steering = Delivery.safeParse(flags.steering);
      if (!steering.success) {
        processIO.err(`--steering must be steer, interrupt or queue (got "${flags.steering}")`);
        process.exitCode = 1;
        return;
      }
      try {
        process.exitCode = await startChat(
          {
            ...(flags.scripted !== undefined ? { scripted: flags.scripted } : {}),
            ...(flags.workspace !== undefined ? { workspace: flags.workspace } : {}),
            steering: steering.data,
            colors: processIO.colors,
          },
          deps,
        );
        // The session is over: stop reading, so an open pipe does not keep the process alive.
        process.stdin.destroy();
      } catch (error) {
        processIO.err(
          error instanceof ScenarioError
            ? error.message
            : `error: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exitCode = 1;
      }
    });
}
