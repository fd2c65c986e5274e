import type { Command } from 'commander';
import { runSeedDemo } from '../demo.js';

/** `steerable demo`: the seed example end to end. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the seed example: a message sent while the agent works is acted on before it finishes',
    )
    .action(async () => {
      const result = await runSeedDemo();
      process.exitCode = result.success ? 0 : 1;
    });
}
