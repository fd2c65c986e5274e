import type { AnyStateMachine, StateValue } from 'xstate';
import { conversationMachine } from '../machines/conversation-machine.js';

interface StateNodeLike {
  path: readonly string[];
  states: Record<string, StateNodeLike>;
}

/**
 * Every state of a machine as a dotted path (`idle`, `idle.finished`, `thinking.requesting`),
 * parents before children, in definition order.
 *
 * @example
 * ```ts
 * stateNames(conversationMachine); // ['idle', 'idle.ready', …, 'paused.awaitingConfirmation']
 * ```
 */
export function stateNames(machine: AnyStateMachine = conversationMachine): string[] {
  const names: string[] = [];
  const visit = (node: StateNodeLike) => {
    for (const child of Object.values(node.states)) {
      names.push(child.path.join('.'));
      visit(child);
    }
  };
  visit(machine.root as unknown as StateNodeLike);
  return names;
}

/** The active states of a state value as dotted paths: `{ thinking: 'gate' }` → `thinking`, `thinking.gate`. */
export function activeStates(value: StateValue, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}${value}`];
  const paths: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    paths.push(`${prefix}${key}`);
    if (child !== undefined) paths.push(...activeStates(child, `${prefix}${key}.`));
  }
  return paths;
}
