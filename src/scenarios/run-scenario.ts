import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Conversation } from '../conversation/conversation.js';
import type { ConversationEvent, ConversationStatus } from '../events/schema.js';
import type { LanguageModel } from '../llm/types.js';
import type { AnyToolDefinition } from '../tools/define-tool.js';
import { checkExpectations } from './check-expectations.js';
import { RecordingModel } from './recording-model.js';
import { ScenarioModel } from './scenario-model.js';
import { scenarioConversation } from './scenario-conversation.js';
import type { Scenario } from './schema/scenario-schema.js';
import { ScenarioRun } from './scenario-run.js';
import type { ScenarioTurn } from './schema/turn-schema.js';
import { toolRegistry } from './tool-registry.js';

/** Options of `runScenario`. */
export interface RunScenarioOptions {
  /** A model to run instead of the scripted turns (a real `LLM`, for `--record`). */
  model?: LanguageModel;
  /** Tools the scenario may name besides the built-in ones. */
  tools?: Iterable<AnyToolDefinition>;
  /** Run in this directory instead of a fresh temporary one (it is not removed). */
  workspace?: string;
  /** Keep the temporary workspace after the run. Default false. */
  keepWorkspace?: boolean;
  /** Called with every event as it is logged. */
  onEvent?: (event: ConversationEvent) => void;
  /** Called once the conversation exists, before anything runs (e.g. to open the inspector). */
  onConversation?: (conversation: Conversation) => void | Promise<void>;
}

/** What a scenario run gave. */
export interface ScenarioResult {
  name: string;
  file?: string;
  passed: boolean;
  /** One line per thing that went wrong: an expectation, a trigger that never fired, an error. */
  failures: string[];
  status: ConversationStatus;
  /** The whole event log. */
  events: ConversationEvent[];
  /** Model requests made (aborted and failed ones included). */
  modelCalls: number;
  /** Scripted turns never used (indices into `turns`). */
  unusedTurns: number[];
  /** The model's replies that reached the log, as scripted turns (what `--record` writes). */
  recordedTurns: ScenarioTurn[];
  /** Where it ran (removed afterwards unless `keepWorkspace` or `workspace` was given). */
  workspace: string;
  durationMs: number;
}

/**
 * Runs a scenario in a fresh temporary workspace: builds the agent from the named tools
 * on a `ScenarioModel` (or `options.model`), sends the scripted messages and controls on
 * their triggers, calls `run()` (again after a `resume`, or when a message waits in a
 * resting conversation), waits for the `afterMs` triggers, then checks the expectations.
 * It never throws for a failing scenario: the result lists what went wrong.
 *
 * @throws ScenarioError when the scenario names a tool that does not exist.
 *
 * @example
 * ```ts
 * const result = await runScenario(await loadScenario('examples/scenarios/steer-while-acting.yaml'));
 * if (!result.passed) console.error(result.failures.join('\n'));
 * ```
 */
export async function runScenario(
  scenario: Scenario,
  options: RunScenarioOptions = {},
): Promise<ScenarioResult> {
  const started = performance.now();
  const registry = toolRegistry(options.tools);
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'steerable-scenario-')));
  const removeWorkspace = !options.workspace && !options.keepWorkspace;
  const failures: string[] = [];
  try {
    for (const [path, content] of Object.entries(scenario.files ?? {})) {
      await mkdir(dirname(join(workspace, path)), { recursive: true });
      await writeFile(join(workspace, path), content);
    }
    const scripted = options.model ? undefined : new ScenarioModel(scenario.turns ?? []);
    const model = new RecordingModel(options.model ?? scripted!);
    const conversation = scenarioConversation(scenario.agent, model, registry, {
      workspace,
      ...(options.onEvent ? { callbacks: [options.onEvent] } : {}),
    });
    scripted?.watch(conversation);

    const run = new ScenarioRun(conversation, scenario, failures);
    let status: ConversationStatus;
    try {
      await options.onConversation?.(conversation);
      status = await run.play(scenario.timeoutMs);
    } finally {
      run.stop();
      await conversation.close();
    }
    const events = [...conversation.events];
    failures.push(
      ...(await checkExpectations(scenario.expect, {
        status,
        events,
        modelCalls: model.calls.length,
        messageStates: run.messageStates,
        workspace,
      })),
    );
    if (run.runError && scenario.expect.status !== 'error') {
      failures.push(`the run failed: ${run.runError.message}`);
    }
    return {
      name: scenario.name,
      ...(scenario.file !== undefined ? { file: scenario.file } : {}),
      passed: failures.length === 0,
      failures,
      status,
      events,
      modelCalls: model.calls.length,
      unusedTurns: [...(scripted?.unusedTurns ?? [])],
      recordedTurns: model.turns(events),
      workspace,
      durationMs: performance.now() - started,
    };
  } finally {
    if (removeWorkspace) await rm(workspace, { recursive: true, force: true });
  }
}
