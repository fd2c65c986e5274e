import elkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK, ELKConstructorArguments, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { ChartState, ChartTransitionKind, MachineChart } from './machine-chart.js';

/** A point of the laid-out chart, in SVG user units. */
export interface ChartPoint {
  x: number;
  y: number;
}

/** A box of the laid-out chart. */
export interface ChartBox extends ChartPoint {
  width: number;
  height: number;
}

/** A state placed on the chart (absolute coordinates). */
export interface LaidOutState extends ChartBox {
  id: string;
  key: string;
  parent?: string;
  /** Nesting depth: 0 for the machine's root. */
  depth: number;
  /** Has child states (drawn as a container with a header). */
  compound: boolean;
  /** The actors it invokes. */
  invokes: string[];
  /** Events it handles without changing state (targetless transitions), e.g. `pause`. */
  handles: string[];
}

/** A transition (or several between the same two states, merged) placed on the chart. */
export interface LaidOutTransition {
  id: string;
  source: string;
  target: string;
  /** One line per merged transition, `event [guard]`; empty for an initial-state arrow. */
  lines: string[];
  kind: ChartTransitionKind | 'initial';
  /** The route: start point, bend points, end point (the arrowhead sits at the end). */
  points: ChartPoint[];
  /** Where the label goes (top-left corner and size). */
  label?: ChartBox;
}

/** The marker of a compound state's initial child (a filled dot). */
export interface LaidOutInitial extends ChartPoint {
  /** The compound state it belongs to. */
  parent: string;
  radius: number;
}

/** A machine chart laid out by ELK, ready to draw as SVG. */
export interface ChartLayout {
  width: number;
  height: number;
  /** Parents before children, so drawing in order paints containers first. */
  states: LaidOutState[];
  transitions: LaidOutTransition[];
  initials: LaidOutInitial[];
}

/** Width of one character of an edge label (12px monospace). */
export const LABEL_CHAR_WIDTH = 7.3;
/** Height of one line of an edge label. */
export const LABEL_LINE_HEIGHT = 15;
const STATE_CHAR_WIDTH = 8.2;
const HEADER_HEIGHT = 30;
const HANDLES_LINE_HEIGHT = 16;
const INITIAL_SIZE = 12;

type ElkConstructor = new (args?: ELKConstructorArguments) => ELK;
// elkjs is CommonJS: its `module.exports` is the constructor, which the types call `default`.
const ElkClass = elkModule as unknown as ElkConstructor;
let elk: ELK | undefined;

/**
 * Lays out a chart with ELK's layered algorithm (the one Stately's tools use): nested
 * states inside their parents, orthogonal edges, each label at the start of its edge.
 * Transitions between the same two states are merged into one arrow with one label line
 * each. All coordinates are absolute. `layoutOptions` (ELK option ids and values)
 * override the defaults.
 *
 * @example
 * ```ts
 * const layout = await layoutChart(describeMachine(conversationMachine));
 * layout.states.find((s) => s.key === 'thinking'); // { x, y, width, height, ... }
 * ```
 */
export async function layoutChart(
  chart: MachineChart,
  layoutOptions: Record<string, string> = {},
): Promise<ChartLayout> {
  elk ??= new ElkClass();
  const children = new Map<string | undefined, ChartState[]>();
  for (const state of chart.states) {
    children.set(state.parent, [...(children.get(state.parent) ?? []), state]);
  }
  const handles = new Map<string, string[]>();
  const merged = new Map<
    string,
    { source: string; target: string; lines: string[]; kind: ChartTransitionKind }
  >();
  for (const t of chart.transitions) {
    if (t.target === undefined) {
      handles.set(t.source, [...(handles.get(t.source) ?? []), t.label]);
      continue;
    }
    const key = `${t.source}->${t.target}`;
    const entry = merged.get(key);
    if (entry) entry.lines.push(t.label);
    else merged.set(key, { source: t.source, target: t.target, lines: [t.label], kind: t.kind });
  }

  const edges: ElkExtendedEdge[] = [];
  const toNode = (state: ChartState): ElkNode => {
    const kids = children.get(state.id) ?? [];
    const notes = handles.get(state.id) ?? [];
    const titleWidth = state.key.length * STATE_CHAR_WIDTH + 32;
    const notesWidth = notes.length ? `⟲ ${notes.join(' · ')}`.length * 6.4 + 24 : 0;
    if (kids.length === 0) {
      const invokeWidth = state.invokes.length
        ? `invoke ${state.invokes.join(', ')}`.length * 6.6 + 24
        : 0;
      return {
        id: state.id,
        width: Math.ceil(Math.max(96, titleWidth, invokeWidth, notesWidth)),
        height: 38 + (state.invokes.length ? 14 : 0) + notes.length * 14,
      };
    }
    const nodes = kids.map(toNode);
    if (state.initial) {
      const id = `${state.id}::initial`;
      nodes.unshift({ id, width: INITIAL_SIZE, height: INITIAL_SIZE });
      edges.push({ id: `${id}->${state.initial}`, sources: [id], targets: [state.initial] });
    }
    const top = HEADER_HEIGHT + (notes.length ? HANDLES_LINE_HEIGHT : 0);
    return {
      id: state.id,
      layoutOptions: {
        'elk.padding': `[top=${top},left=18,bottom=18,right=18]`,
        'elk.nodeSize.minimum': `(${Math.ceil(Math.max(titleWidth, notesWidth))}, 40)`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      },
      children: nodes,
    };
  };

  const root = chart.states.find((s) => s.parent === undefined);
  if (!root) throw new TypeError('layoutChart: the chart has no root state');
  const rootNode = toNode(root);
  for (const [key, m] of merged) {
    const width = Math.max(...m.lines.map((l) => l.length)) * LABEL_CHAR_WIDTH + 10;
    edges.push({
      id: key,
      sources: [m.source],
      targets: [m.target],
      labels: [{ text: m.lines.join('\n'), width, height: m.lines.length * LABEL_LINE_HEIGHT + 4 }],
    });
  }

  const graph: ElkNode = {
    id: '__graph',
    layoutOptions: {
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.padding': '[top=8,left=8,bottom=8,right=8]',
    },
    children: [rootNode],
    edges,
  };
  // Global options: every node and edge gets them unless it sets its own.
  const global = {
    'elk.algorithm': 'layered',
    'elk.direction': 'DOWN',
    'elk.edgeRouting': 'ORTHOGONAL',
    // Labels at the start of their edge, beside the state they leave: compact, and easy to pair.
    'elk.edgeLabels.placement': 'TAIL',
    'elk.spacing.nodeNode': '24',
    'elk.spacing.edgeNode': '12',
    'elk.spacing.edgeEdge': '8',
    'elk.spacing.edgeLabel': '4',
    'elk.layered.spacing.nodeNodeBetweenLayers': '28',
    'elk.layered.spacing.edgeNodeBetweenLayers': '12',
    'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
    'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
    // Depth-first cycle breaking keeps the main path (idle → thinking → acting) pointing
    // down and the loops back pointing up, so the chart reads from top to bottom.
    'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
    ...layoutOptions,
  };
  const laidOut: ElkNode = await elk.layout(graph, { layoutOptions: global });

  const states: LaidOutState[] = [];
  const initials: LaidOutInitial[] = [];
  const byId = new Map(chart.states.map((s) => [s.id, s]));
  const collect = (node: ElkNode, depth: number): void => {
    const state = byId.get(node.id);
    if (!state) {
      const parent = node.id.slice(0, -'::initial'.length);
      initials.push({
        parent,
        x: at(node.x) + INITIAL_SIZE / 2,
        y: at(node.y) + INITIAL_SIZE / 2,
        radius: INITIAL_SIZE / 2,
      });
      return;
    }
    states.push({
      id: state.id,
      key: state.key,
      ...(state.parent !== undefined ? { parent: state.parent } : {}),
      depth,
      compound: (children.get(state.id) ?? []).length > 0,
      invokes: state.invokes,
      handles: handles.get(state.id) ?? [],
      x: at(node.x),
      y: at(node.y),
      width: at(node.width),
      height: at(node.height),
    });
    for (const child of node.children ?? []) collect(child, depth + 1);
  };
  for (const node of laidOut.children ?? []) collect(node, 0);

  const transitions: LaidOutTransition[] = (laidOut.edges ?? []).map((edge) => {
    const section = edge.sections?.[0];
    const points = section
      ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]
      : [];
    const label = edge.labels?.[0];
    const m = merged.get(edge.id);
    return {
      id: edge.id,
      source: edge.sources[0]!.replace(/::initial$/, ''),
      target: edge.targets[0]!,
      lines: m?.lines ?? [],
      kind: m?.kind ?? 'initial',
      points: points.map((p) => ({ x: round(p.x), y: round(p.y) })),
      ...(label
        ? {
            label: {
              x: at(label.x),
              y: at(label.y),
              width: at(label.width),
              height: at(label.height),
            },
          }
        : {}),
    };
  });

  return {
    width: Math.ceil(at(laidOut.width)),
    height: Math.ceil(at(laidOut.height)),
    states,
    transitions,
    initials,
  };
}

function at(value: number | undefined): number {
  return round(value ?? 0);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
