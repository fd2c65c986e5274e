import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Conversation } from '../conversation/conversation.js';
import { ConversationRunError } from '../errors/conversation-run-error.js';
import type { ConversationEvent, ConversationStatus } from '../events/schema.js';
import type { LanguageModel } from '../llm/types.js';
import type { AnyToolDefinition } from '../tools/define-tool.js';
import { checkExpectations } from './check-expectations.js';
import { RecordingModel } from './recording-model.js';
import { ScenarioModel } from './scenario-model.js';
import { scenarioConversation } from './scenario-conversation.js';
import type { Scenario, ScenarioControl, ScenarioMessage } from './schema/scenario-schema.js';
import type { ScenarioTurn } from './schema/turn-schema.js';
import { toolRegistry } from './tool-registry.js';
import { type TriggeredAction, TriggerWatcher } from './triggers.js';

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

/** Statuses in which a waiting message makes the runner call `run()` again. */
const RESTING: ReadonlySet<ConversationStatus> = new Set(['idle', 'finished', 'stuck']);

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
 * const result = await runScenario(await loadScenario('examples/scenarios/seed.yaml'));
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

/** One play of a scenario on a conversation: triggers, the run loop, the timeout. */
class ScenarioRun {
  readonly #conversation: Conversation;
  readonly #failures: string[];
  readonly #watcher: TriggerWatcher;
  #resumeRequested = false;
  runError: ConversationRunError | undefined;
  /** Where each message stood when the play ended (before `close()` discards the rest). */
  messageStates: Conversation['state']['messageStates'] = new Map();

  constructor(conversation: Conversation, scenario: Scenario, failures: string[]) {
    this.#conversation = conversation;
    this.#failures = failures;
    this.#watcher = new TriggerWatcher(conversation, [
      ...scenario.messages.map((message, i) => this.#messageAction(message, i)),
      ...scenario.controls.map((control, i) => this.#controlAction(control, i)),
    ]);
  }

  /** Plays the scenario; resolves with the final status (also on timeout). */
  async play(timeoutMs: number): Promise<ConversationStatus> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const loop = this.#loop();
    loop.catch(() => undefined); // after a timeout, close() ends the loop with an error
    try {
      if ((await Promise.race([loop, timedOut])) === 'timeout') {
        const state = JSON.stringify(this.#conversation.actor.getSnapshot().value);
        this.#failures.push(
          `timed out after ${timeoutMs} ms (status "${this.#conversation.status}", state ${state})`,
        );
      }
    } finally {
      clearTimeout(timer);
    }
    this.messageStates = new Map(this.#conversation.state.messageStates);
    return this.#conversation.status;
  }

  /** Stops the triggers and reports those that never fired. */
  stop(): void {
    this.#watcher.stop();
    for (const { action, reason } of this.#watcher.unfired()) {
      this.#failures.push(`${action.label} was never sent: ${reason}`);
    }
  }

  async #loop(): Promise<void> {
    const conversation = this.#conversation;
    this.#watcher.start();
    let first = true;
    for (;;) {
      const resume = this.#resumeRequested;
      this.#resumeRequested = false;
      const waiting = RESTING.has(conversation.status) && conversation.pendingMessages.length > 0;
      if (first || resume || waiting) {
        if (first) this.#watcher.startClock();
        first = false;
        const iterations = await this.#runOnce();
        // A run that did nothing with messages still waiting would loop forever.
        if (iterations === 0 && !resume && waiting) break;
        continue;
      }
      if (this.#watcher.pendingTimers === 0) break;
      await this.#watcher.nextWake();
    }
  }

  async #runOnce(): Promise<number> {
    try {
      return (await this.#conversation.run()).iterations;
    } catch (error) {
      if (!(error instanceof ConversationRunError)) throw error;
      this.runError = error;
      return 0;
    }
  }

  #messageAction(message: ScenarioMessage, index: number): TriggeredAction {
    const label = `messages[${index}] (${JSON.stringify(shorten(message.text))})`;
    return {
      label,
      trigger: message.trigger,
      fire: () =>
        this.#attempt(label, () => {
          this.#conversation.sendMessage(message.text, {
            ...(message.delivery !== undefined ? { delivery: message.delivery } : {}),
            ...(message.id !== undefined ? { id: message.id } : {}),
          });
        }),
    };
  }

  #controlAction(control: ScenarioControl, index: number): TriggeredAction {
    const label = `controls[${index}] (${control.do}${control.messageId ? ` ${control.messageId}` : ''})`;
    const conversation = this.#conversation;
    const commands: Record<ScenarioControl['do'], () => unknown> = {
      pause: () => conversation.pause(),
      interrupt: () => conversation.interrupt(),
      resume: () => {
        this.#resumeRequested = true;
        this.#watcher.wakeUp();
      },
      reject: () => conversation.rejectPendingActions(control.reason),
      retract: () => conversation.retractMessage(control.messageId!),
    };
    return {
      label,
      trigger: control.trigger,
      fire: () => this.#attempt(label, commands[control.do]),
    };
  }

  /** Runs a triggered command; a failure (thrown or rejected) is a scenario failure. */
  #attempt(label: string, command: () => unknown): void {
    const fail = (error: unknown) =>
      this.#failures.push(
        `${label} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    try {
      const result = command();
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }
}

function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
