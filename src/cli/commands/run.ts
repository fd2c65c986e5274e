import type { Command } from 'commander';
import { llmFromEnv } from '../../llm/llm-from-env.js';
import { ResultInspectors } from '../inspect-results.js';
import { processIO } from '../io.js';
import { type RunCommandOptions, runScenarioFiles } from '../run-scenarios.js';

interface RunFlags {
  verbose?: boolean;
  keep?: boolean;
  record?: string;
  inspect?: boolean;
}

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
    .option('--inspect', "open the inspector on each scenario's log (until Ctrl-C)")
    .action(async (paths: string[], flags: RunFlags) => {
      const createModel = deps.createModel ?? (() => llmFromEnv());
      const inspectors = flags.inspect ? new ResultInspectors() : undefined;
      const { inspect: _inspect, ...rest } = flags;
      process.exitCode = await runScenarioFiles(
        paths,
        { ...rest, createModel, ...(inspectors ? { inspect: inspectors.inspect } : {}) },
        processIO,
      );
      if (inspectors && inspectors.size > 0) {
        processIO.out('Inspectors open: press Ctrl-C to stop.');
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        await inspectors.close();
      }
    });
}
