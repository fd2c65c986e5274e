import type { AnyStateMachine } from 'xstate';
import { type ChartState, type MachineChart, describeMachine } from './machine-chart.js';

/** Options of `toMermaid`. */
export interface ToMermaidOptions {
  /** Layout direction of the diagram. Default `TB` (Mermaid's own default). */
  direction?: 'TB' | 'LR';
}

/**
 * The chart of a machine as a Mermaid `stateDiagram-v2`: every state (nested ones inside
 * their parents), each compound state's initial state, and every transition labelled
 * `event [guard]`. Targetless transitions (actions only, no change of state) are listed
 * as `%%` comments, since Mermaid has no way to draw them.
 *
 * @example
 * ```ts
 * import { conversationMachine, toMermaid } from 'steerable';
 * console.log(toMermaid(conversationMachine));
 * // stateDiagram-v2
 * //   [*] --> idle
 * //   state idle {
 * //   ...
 * ```
 */
export function toMermaid(machine: AnyStateMachine, options: ToMermaidOptions = {}): string {
  return chartToMermaid(describeMachine(machine), options);
}

/** `toMermaid` for a chart already read with `describeMachine`. */
export function chartToMermaid(chart: MachineChart, options: ToMermaidOptions = {}): string {
  const byId = new Map(chart.states.map((s) => [s.id, s]));
  const children = new Map<string, ChartState[]>();
  for (const state of chart.states) {
    if (state.parent === undefined) continue;
    children.set(state.parent, [...(children.get(state.parent) ?? []), state]);
  }
  const root = chart.states.find((s) => s.parent === undefined);
  if (!root) throw new TypeError('toMermaid: the chart has no root state');

  const name = (id: string): string => {
    const state = byId.get(id)!;
    const path = id.slice(root.id.length + 1);
    return state.parent === root.id ? mermaidId(state.key) : mermaidId(path);
  };
  const lines = ['stateDiagram-v2'];
  if (options.direction) lines.push(`  direction ${options.direction}`);

  const writeState = (state: ChartState, indent: string): void => {
    const kids = children.get(state.id) ?? [];
    const id = name(state.id);
    const aliased = id !== state.key;
    if (kids.length === 0) {
      lines.push(aliased ? `${indent}state "${state.key}" as ${id}` : `${indent}${id}`);
      return;
    }
    lines.push(aliased ? `${indent}state "${state.key}" as ${id} {` : `${indent}state ${id} {`);
    writeChildren(state, `${indent}  `);
    lines.push(`${indent}}`);
  };
  const writeChildren = (state: ChartState, indent: string): void => {
    if (state.initial) lines.push(`${indent}[*] --> ${name(state.initial)}`);
    for (const child of children.get(state.id) ?? []) writeState(child, indent);
  };

  writeChildren(root, '  ');
  for (const t of chart.transitions) {
    const label = mermaidLabel(t.label);
    if (t.target === undefined) {
      const where = t.source === root.id ? 'every state' : name(t.source);
      lines.push(`  %% ${where} handles ${label} without changing state`);
    } else {
      lines.push(`  ${name(t.source)} --> ${name(t.target)} : ${label}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A state id Mermaid accepts: letters, digits and `_`. */
function mermaidId(path: string): string {
  return path.replace(/[^A-Za-z0-9_]/g, '_');
}

/** A transition label without the characters that end a Mermaid statement. */
function mermaidLabel(text: string): string {
  return text.replace(/[;#\n]/g, ' ').trim();
}
