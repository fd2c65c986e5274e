import type { Command } from 'commander';
import { llmFromEnv } from '../../llm/llm-from-env.js';
import { runSeedDemo } from '../demo.js';

/** `steerable demo`: the seed example end to end. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the seed example: a message sent while the agent works is acted on before it finishes',
    )
    .action(async () => {
      // The real model when LLM_API_KEY is set, the embedded scripted one otherwise.
      const llm = llmFromEnv();
      if (llm) console.log(`model: ${llm.model} at ${llm.baseUrl}`);
      const result = await runSeedDemo({ llm });
      process.exitCode = result.success ? 0 : 1;
    });
}
