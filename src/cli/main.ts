#!/usr/bin/env node
import { Command } from 'commander';
import { runSeedDemo } from './demo.js';

const program = new Command();
program
  .name('steerable')
  .description('Agents you can steer while they run: demo, scenarios, inspector');

program
  .command('demo')
  .description(
    'Run the seed example: a message sent while the agent works is acted on before it finishes',
  )
  .action(async () => {
    const result = await runSeedDemo();
    process.exitCode = result.success ? 0 : 1;
  });

await program.parseAsync(process.argv);
