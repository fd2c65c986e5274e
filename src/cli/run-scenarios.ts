import { readFile, writeFile } from 'node:fs/promises';
import type { Conversation } from '../conversation/conversation.js';
import { ConsoleVisualizer } from '../visualizer/console-visualizer.js';
import type { LanguageModel } from '../llm/types.js';
import { formatResult } from '../scenarios/format-result.js';
import { findScenarioFiles, loadScenario } from '../scenarios/parse/load-scenario.js';
import { withRecordedTurns } from '../scenarios/recorded-scenario.js';
import { type ScenarioResult, runScenario } from '../scenarios/run-scenario.js';
import { ScenarioError } from '../scenarios/scenario-error.js';
import type { CommandIO } from './io.js';

/** Options of `steerable run`. */
export interface RunCommandOptions {
  /** Print each event as it happens. */
  verbose?: boolean;
  /** Keep each scenario's temporary workspace (its path is printed). */
  keep?: boolean;
  /** Run against the real model and write the session out to this file as a scenario. */
  record?: string;
  /** Called with each conversation before it runs. */
  onConversation?: (conversation: Conversation) => void | Promise<void>;
  /** `--inspect`: opens the inspector on a scenario's log once it has run; returns its URL. */
  inspect?: (result: ScenarioResult) => Promise<string>;
  /** Makes the real model for `--record` (undefined when none is configured). */
  createModel?: () => LanguageModel | undefined;
}

/**
 * `steerable run <file | folder>…`: runs every scenario, prints each with pass or fail (and,
 * on failure, what differed and the event log), and returns the exit code: 0 when all
 * pass, 1 otherwise (a file that is not a valid scenario counts as a failure).
 */
export async function runScenarioFiles(
  paths: readonly string[],
  options: RunCommandOptions,
  io: CommandIO,
): Promise<number> {
  const files: string[] = [];
  let failed = 0;
  for (const path of paths) {
    try {
      files.push(...(await findScenarioFiles(path)));
    } catch (error) {
      io.err(describe(error));
      failed += 1;
    }
  }
  if (options.record !== undefined && files.length !== 1) {
    io.err('--record takes exactly one scenario file');
    return 1;
  }
  let passed = 0;
  for (const file of files) {
    const ok = await runOne(file, options, io);
    if (ok) passed += 1;
    else failed += 1;
  }
  io.out(
    `\n${passed + failed} scenario${passed + failed === 1 ? '' : 's'}: ${passed} passed, ${failed} failed`,
  );
  return failed === 0 ? 0 : 1;
}

async function runOne(file: string, options: RunCommandOptions, io: CommandIO): Promise<boolean> {
  try {
    const scenario = await loadScenario(file);
    const model = options.record !== undefined ? options.createModel?.() : undefined;
    if (options.record !== undefined && !model) {
      throw new Error(
        '--record runs against the real model: set LLM_API_KEY (and LLM_MODEL, LLM_BASE_URL as needed)',
      );
    }
    const visualizer = options.verbose
      ? new ConsoleVisualizer({ write: io.out, colors: io.colors })
      : undefined;
    const result = await runScenario(scenario, {
      ...(model ? { model } : {}),
      ...(options.keep ? { keepWorkspace: true } : {}),
      ...(visualizer ? { onEvent: (event) => visualizer.print(event) } : {}),
      ...(options.onConversation ? { onConversation: options.onConversation } : {}),
    });
    io.out(formatResult(result, { colors: io.colors, eventLog: !options.verbose }));
    if (options.keep) io.out(`    workspace: ${result.workspace}`);
    if (options.inspect) io.out(`    inspector: ${await options.inspect(result)}`);
    if (options.record !== undefined && model) {
      const source = await readFile(file, 'utf8');
      await writeFile(options.record, withRecordedTurns(source, result.recordedTurns, model.model));
      io.out(
        `recorded ${result.recordedTurns.length} model turn(s) to ${options.record}: \`steerable run ${options.record}\` replays them without a model`,
      );
    }
    return result.passed;
  } catch (error) {
    io.err(describe(error));
    return false;
  }
}

function describe(error: unknown): string {
  if (error instanceof ScenarioError) return error.message;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}
