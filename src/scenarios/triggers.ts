import type { Subscription } from 'rxjs';
import type { StateValue } from 'xstate';
import type { Conversation } from '../conversation/conversation.js';
import type { ConversationEvent } from '../events/schema.js';
import { activeStates } from './machine-states.js';
import { describeMatcher, matchesEvent } from './match-event.js';
import type { Trigger } from './schema/trigger-schema.js';

/** Something to do when a trigger fires: send a message, pause, resume… */
export interface TriggeredAction {
  /** Names it in messages: `messages[1] ("Also add…")`. */
  label: string;
  trigger: Trigger;
  fire: () => void;
}

interface Armed {
  action: TriggeredAction;
  fired: boolean;
  /** Events matched so far (for `afterEvent`). */
  matches: number;
}

/**
 * Fires scripted actions on their triggers while a conversation runs. State triggers are
 * watched through the actor's inspection (`@xstate.microstep`), so a state entered only
 * for a moment (`thinking.route`, `acting.next`) counts too; event triggers through
 * `events$`. Both fire synchronously, at the step that caused them, before the machine
 * goes on. Actions with the same trigger fire in the order they were given.
 */
export class TriggerWatcher {
  readonly #conversation: Conversation;
  readonly #armed: Armed[];
  readonly #entered = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #subscriptions: Array<Subscription | { unsubscribe(): void }> = [];
  #active = new Set<string>();
  #wake: (() => void) | undefined;
  #stopped = false;

  constructor(conversation: Conversation, actions: readonly TriggeredAction[]) {
    this.#conversation = conversation;
    this.#armed = actions.map((action) => ({ action, fired: false, matches: 0 }));
  }

  /**
   * Fires the `at: start` actions, counts the states the machine is in as entered once,
   * counts the events already logged, and starts watching.
   */
  start(): void {
    for (const armed of this.#armed) if (armed.action.trigger.at === 'start') this.#fire(armed);
    const actor = this.#conversation.actor;
    this.#enter(activeStates(actor.getSnapshot().value));
    for (const event of this.#conversation.events) this.#onEvent(event);
    this.#subscriptions.push(
      actor.system.inspect((inspection) => {
        if (inspection.type !== '@xstate.microstep' || inspection.actorRef !== actor) return;
        this.#enter(activeStates((inspection.snapshot as unknown as { value: StateValue }).value));
      }),
      this.#conversation.events$.subscribe((event) => this.#onEvent(event)),
    );
  }

  /** Starts the clocks of the `afterMs` triggers (call when the first run starts). */
  startClock(): void {
    for (const armed of this.#armed) {
      const ms = armed.action.trigger.afterMs;
      if (ms === undefined) continue;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#fire(armed);
        this.#wakeUp();
      }, ms);
      this.#timers.add(timer);
    }
  }

  /** `afterMs` triggers that have not fired yet. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Resolves at the next timer, or at `wakeUp()`. */
  nextWake(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  /** Resolves a pending `nextWake()`. */
  wakeUp(): void {
    this.#wakeUp();
  }

  /** The actions whose trigger never fired, with why. */
  unfired(): Array<{ action: TriggeredAction; reason: string }> {
    return this.#armed
      .filter((armed) => !armed.fired)
      .map((armed) => ({ action: armed.action, reason: this.#whyNot(armed) }));
  }

  /** Stops watching and clears the timers. Idempotent. */
  stop(): void {
    this.#stopped = true;
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#subscriptions.length = 0;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#wakeUp();
  }

  #enter(states: string[]): void {
    const now = new Set(states);
    const entered = states.filter((state) => !this.#active.has(state));
    this.#active = now;
    for (const state of entered) {
      const count = (this.#entered.get(state) ?? 0) + 1;
      this.#entered.set(state, count);
      for (const armed of this.#armed) {
        const { stateEntered, nth = 1 } = armed.action.trigger;
        if (stateEntered === state && count === nth) this.#fire(armed);
      }
    }
  }

  #onEvent(event: ConversationEvent): void {
    for (const armed of this.#armed) {
      const matcher = armed.action.trigger.afterEvent;
      if (!matcher || armed.fired || !matchesEvent(matcher, event)) continue;
      armed.matches += 1;
      if (armed.matches === (matcher.nth ?? 1)) this.#fire(armed);
    }
  }

  #fire(armed: Armed): void {
    if (armed.fired || this.#stopped) return;
    armed.fired = true;
    armed.action.fire();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #whyNot(armed: Armed): string {
    const { trigger } = armed.action;
    if (trigger.stateEntered !== undefined) {
      const count = this.#entered.get(trigger.stateEntered) ?? 0;
      return `its trigger { stateEntered: ${trigger.stateEntered}, nth: ${trigger.nth ?? 1} } never fired: "${trigger.stateEntered}" was entered ${times(count)}`;
    }
    if (trigger.afterEvent !== undefined) {
      return `its trigger { afterEvent: ${describeMatcher(trigger.afterEvent)} } never fired: ${times(armed.matches, 'matching event')} logged`;
    }
    if (trigger.afterMs !== undefined) {
      return `its trigger { afterMs: ${trigger.afterMs} } did not fire before the scenario ended`;
    }
    return 'its trigger never fired';
  }
}

function times(count: number, noun?: string): string {
  if (noun) return `${count} ${noun}${count === 1 ? '' : 's'}`;
  return count === 1 ? 'once' : `${count} times`;
}
