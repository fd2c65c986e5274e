import type { AnyStateMachine, AnyStateNodeDefinition } from 'xstate';

/** One state of a chart. */
export interface ChartState {
  /** The state node id, e.g. `conversation.thinking.gate`. */
  id: string;
  /** The key within its parent, e.g. `gate`. */
  key: string;
  /** The parent's id; absent for the machine's root. */
  parent?: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** The id of the initial child of a compound state. */
  initial?: string;
  /** The sources of the actors this state invokes, e.g. `['callLLM']`. */
  invokes: string[];
}

/** What triggers a transition. */
export type ChartTransitionKind = 'event' | 'always' | 'done' | 'error';

/** One transition of a chart (a transition with several targets gives one per target). */
export interface ChartTransition {
  /** Unique in the chart: `<source>#<index>`. */
  id: string;
  source: string;
  /** The target state id; absent for a targetless transition (it runs actions, no state change). */
  target?: string;
  kind: ChartTransitionKind;
  /** The event, readable: `run`, `user.message`, `always`, `done: callLLM`, `error: callLLM`. */
  event: string;
  /** The guard, readable: `hasWork`, `batchDone && finishRequested`. */
  guard?: string;
  /** `event [guard]`. */
  label: string;
  /** The names of the actions it runs. */
  actions: string[];
  /** Re-enters the target (leaves and enters it again, restarting its invocations). */
  reenter: boolean;
}

/** A machine as data: its states (parents before children) and its transitions. */
export interface MachineChart {
  /** The machine id (the root state's id). */
  id: string;
  states: ChartState[];
  transitions: ChartTransition[];
}

/**
 * Reads a machine's chart from `machine.definition`: every state with its parent, and
 * every transition with its event and guard. Eventless (`always`) transitions, which the
 * definition leaves out, are read from the state nodes. The result is plain JSON.
 *
 * @example
 * ```ts
 * const chart = describeMachine(conversationMachine);
 * chart.states.filter((s) => s.parent === 'conversation').map((s) => s.key);
 * // ['idle', 'thinking', 'acting', 'paused']
 * ```
 */
export function describeMachine(machine: AnyStateMachine): MachineChart {
  const states: ChartState[] = [];
  const transitions: ChartTransition[] = [];

  const visit = (node: AnyStateNodeDefinition, parent: string | undefined): void => {
    const invokes = node.invoke.map((invoke) => ({
      id: invoke.id,
      src: typeof invoke.src === 'string' ? invoke.src : invoke.id,
    }));
    const initial = node.initial?.target[0]?.id;
    states.push({
      id: node.id,
      key: node.key,
      ...(parent !== undefined ? { parent } : {}),
      type: node.type,
      ...(initial !== undefined ? { initial } : {}),
      invokes: invokes.map((i) => i.src),
    });

    const always = machine.getStateNodeById(node.id).always ?? [];
    let index = 0;
    for (const transition of [...node.transitions, ...always]) {
      const { kind, event } = describeEvent(String(transition.eventType), invokes);
      const guard = describeGuard(transition.guard);
      const targets: Array<string | undefined> = transition.target?.length
        ? transition.target.map((t) => t.id)
        : [undefined];
      for (const target of targets) {
        transitions.push({
          id: `${node.id}#${index++}`,
          source: node.id,
          ...(target !== undefined ? { target } : {}),
          kind,
          event,
          ...(guard !== undefined ? { guard } : {}),
          label: guard === undefined ? event : `${event} [${guard}]`,
          actions: transition.actions.map(actionName),
          reenter: transition.reenter,
        });
      }
    }
    for (const child of Object.values(node.states)) visit(child, node.id);
  };

  const root = machine.definition;
  visit(root, undefined);
  return { id: root.id, states, transitions };
}

function describeEvent(
  eventType: string,
  invokes: Array<{ id: string; src: string }>,
): { kind: ChartTransitionKind; event: string } {
  if (eventType === '') return { kind: 'always', event: 'always' };
  for (const [prefix, kind] of [
    ['xstate.done.actor.', 'done'],
    ['xstate.error.actor.', 'error'],
  ] as const) {
    if (eventType.startsWith(prefix)) {
      const invokeId = eventType.slice(prefix.length);
      const src = invokes.find((i) => i.id === invokeId)?.src ?? invokeId;
      return { kind, event: `${kind}: ${src}` };
    }
  }
  if (eventType.startsWith('xstate.done.state.')) return { kind: 'done', event: 'done' };
  return { kind: 'event', event: eventType };
}

/** A guard as text: a name, or `and`/`or`/`not` of names. */
function describeGuard(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    const parts = guard.guards.map((g: unknown) => describeGuard(g) ?? '?');
    if (guard.name === 'and') return parts.join(' && ');
    if (guard.name === 'or') return parts.join(' || ');
    if (guard.name === 'not') return `!${parts.length === 1 ? parts[0] : `(${parts.join(', ')})`}`;
    return `${guard.name}(${parts.join(', ')})`;
  }
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') {
    return guard.type;
  }
  if (typeof guard === 'function' && guard.name) return guard.name;
  return 'guard';
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'object' && action !== null && 'type' in action) return String(action.type);
  if (typeof action === 'function' && action.name) return action.name;
  return 'action';
}
