import type { Conversation } from '../conversation/conversation.js';
import { ConversationRunError } from '../errors/conversation-run-error.js';
import type { ConversationStatus } from '../events/schema.js';
import type { Scenario, ScenarioControl, ScenarioMessage } from './schema/scenario-schema.js';
import { type TriggeredAction, TriggerWatcher } from './triggers.js';

/** Statuses in which a waiting message makes the runner call `run()` again. */
const RESTING: ReadonlySet<ConversationStatus> = new Set(['idle', 'finished', 'stuck']);

/**
 * One play of a scenario on a conversation: the triggers of its messages and controls,
 * the run loop (`run()` at the start, after `resume`, and when a message waits in a
 * resting conversation), and the timeout. What goes wrong is added to `failures`.
 */
export class ScenarioRun {
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
