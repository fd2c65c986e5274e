import type { Command } from 'commander';
import { llmFromEnv } from '../../llm/llm-from-env.js';
import { processIO } from '../io.js';
import { type RunCommandOptions, runScenarioFiles } from '../run-scenarios.js';

/** `steerable run <file | folder>…`: runs scenarios and reports pass or fail. */
export function registerRunCommand(
  program: Command,
  deps: Pick<RunCommandOptions, 'createModel'> = {},
): void {
  program
    .command('run')
    .description('Run scenario files (YAML) and report pass or fail; exit code 1 on any failure')
    .argument('<paths...>', 'scenario files, or folders of them')
    .option('-v, --verbose', 'print every event as it happens')
    .option('--keep', 'keep the temporary workspaces and print where they are')
    .option(
      '--record <file>',
      'run against the real model (LLM_API_KEY, LLM_MODEL) and write the session to <file> as a scenario',
    )
    .action(
      async (paths: string[], flags: { verbose?: boolean; keep?: boolean; record?: string }) => {
        const createModel = deps.createModel ?? (() => llmFromEnv());
        process.exitCode = await runScenarioFiles(paths, { ...flags, createModel }, processIO);
      },
    );
}
