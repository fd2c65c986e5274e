import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { conversationMachine, toMermaid } from '../src/index.js';
import { describeMachine } from '../src/visualizer/index.js';

/** What a `stateDiagram-v2` text says: states with their parents, initial states, transitions. */
interface ParsedDiagram {
  /** Mermaid id → its label and the id of the composite it is declared in ('' at the top). */
  states: Map<string, { label: string; parent: string }>;
  initial: Map<string, string>;
  transitions: string[];
}

/** A parser for the subset of Mermaid's state diagram syntax that `toMermaid` writes. */
function parseStateDiagram(text: string): ParsedDiagram {
  const lines = text.split('\n');
  expect(lines[0]).toBe('stateDiagram-v2');
  const states = new Map<string, { label: string; parent: string }>();
  const initial = new Map<string, string>();
  const transitions: string[] = [];
  const stack: string[] = [''];
  const declare = (id: string, label = id) => {
    if (!states.has(id)) states.set(id, { label, parent: stack.at(-1)! });
  };
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    let m: RegExpMatchArray | null;
    if (line === '' || line.startsWith('%%') || /^direction (TB|LR)$/.test(line)) continue;
    if ((m = line.match(/^state (\w+) \{$/))) {
      declare(m[1]!);
      stack.push(m[1]!);
    } else if ((m = line.match(/^state "([^"]+)" as (\w+) \{$/))) {
      declare(m[2]!, m[1]!);
      stack.push(m[2]!);
    } else if (line === '}') {
      stack.pop();
    } else if ((m = line.match(/^state "([^"]+)" as (\w+)$/))) {
      declare(m[2]!, m[1]!);
    } else if ((m = line.match(/^\[\*\] --> (\w+)$/))) {
      initial.set(stack.at(-1)!, m[1]!);
    } else if ((m = line.match(/^(\w+) --> (\w+) : ([^;#]+)$/))) {
      transitions.push(`${m[1]} --> ${m[2]} : ${m[3]}`);
    } else if ((m = line.match(/^(\w+)$/))) {
      declare(m[1]!);
    } else {
      throw new Error(`Not Mermaid state diagram syntax: ${raw}`);
    }
  }
  expect(stack).toEqual(['']);
  return { states, initial, transitions };
}

describe('toMermaid(conversationMachine)', () => {
  const text = toMermaid(conversationMachine);
  const diagram = parseStateDiagram(text);

  it('has the four top-level states, each nested state inside its parent', () => {
    const top = [...diagram.states].filter(([, s]) => s.parent === '').map(([id]) => id);
    expect(top).toEqual(['idle', 'thinking', 'acting', 'paused']);
    const nested = Object.fromEntries(
      [...diagram.states]
        .filter(([, s]) => s.parent !== '')
        .map(([id, s]) => [id, `${s.parent}.${s.label}`]),
    );
    expect(nested).toEqual({
      idle_ready: 'idle.ready',
      idle_finished: 'idle.finished',
      idle_error: 'idle.error',
      idle_stuck: 'idle.stuck',
      thinking_gate: 'thinking.gate',
      thinking_condensing: 'thinking.condensing',
      thinking_condensed: 'thinking.condensed',
      thinking_requesting: 'thinking.requesting',
      thinking_assessing: 'thinking.assessing',
      thinking_route: 'thinking.route',
      acting_next: 'acting.next',
      acting_running: 'acting.running',
      paused_manual: 'paused.manual',
      paused_awaitingConfirmation: 'paused.awaitingConfirmation',
    });
    expect(Object.fromEntries(diagram.initial)).toEqual({
      '': 'idle',
      idle: 'idle_ready',
      thinking: 'thinking_gate',
      acting: 'acting_next',
      paused: 'paused_manual',
    });
  });

  it('has the transitions, labelled with their event and guard', () => {
    // The heart of the machine (it has more: condensation, risk assessment...; the next
    // test checks every one against the definition).
    expect(diagram.transitions).toEqual(
      expect.arrayContaining([
        'idle --> thinking : run [hasWork]',
        'idle --> paused : pause',
        'idle_finished --> idle_ready : user.message',
        'thinking --> thinking_gate : user.message [isInterruptDelivery]',
        'thinking --> paused : pause',
        'thinking --> paused : interrupt',
        'thinking_gate --> paused : always [runLimitReached]',
        'thinking_gate --> idle_stuck : always [isStuck]',
        'thinking_gate --> thinking_requesting : always',
        'thinking_requesting --> thinking_route : done: callLLM',
        'thinking_requesting --> idle_error : error: callLLM',
        'thinking_route --> paused_awaitingConfirmation : always [needsApproval]',
        'thinking_route --> acting_running : always [hasBatch]',
        'thinking_route --> thinking_gate : always [hasUnreadSteer]',
        'thinking_route --> thinking_gate : always [hasQueued]',
        'thinking_route --> idle_finished : always',
        'acting --> paused : interrupt',
        'acting_next --> thinking_route : always [batchDone && finishRequested]',
        'acting_next --> paused : always [pauseRequested]',
        'acting_next --> thinking : always [batchDone]',
        'acting_next --> acting_running : always',
        'acting_running --> thinking : done: runTool [endsBatch]',
        'acting_running --> acting_next : done: runTool',
        'acting_running --> thinking : error: runTool [endsBatch]',
        'acting_running --> acting_next : error: runTool',
        'paused_manual --> acting : run [hasBatch]',
        'paused_manual --> thinking : run',
        'paused_awaitingConfirmation --> acting : run',
        'paused_awaitingConfirmation --> idle : reject',
      ]),
    );
    // The transitions that change no state are noted, not drawn.
    expect(text).toContain('%% every state handles user.message without changing state');
    expect(text).toContain('%% acting handles pause without changing state');
  });

  it('has every transition of the definition, and no other', () => {
    const chart = describeMachine(conversationMachine);
    const name = (id: string) => id.replace(/^conversation\./, '').replace(/\./g, '_');
    const expected = chart.transitions
      .filter((t) => t.target !== undefined)
      .map((t) => `${name(t.source)} --> ${name(t.target!)} : ${t.label}`);
    expect(diagram.transitions).toEqual(expected);
    expect(expected.length).toBeGreaterThanOrEqual(28);
  });
});

describe('toMermaid of other machines', () => {
  it('keeps ids Mermaid accepts and labels free of statement breaks', () => {
    const machine = setup({}).createMachine({
      id: 'odd',
      initial: 'first-step',
      states: {
        'first-step': {
          on: { 'go;now': 'second step', 'x#y': '.inner' },
          initial: 'inner',
          states: { inner: {} },
        },
        'second step': { type: 'final' },
      },
    });
    const text = toMermaid(machine, { direction: 'LR' });
    expect(text.split('\n')[1]).toBe('  direction LR');
    const diagram = parseStateDiagram(text);
    expect([...diagram.states.keys()]).toEqual(['first_step', 'first_step_inner', 'second_step']);
    expect(diagram.states.get('first_step_inner')).toEqual({
      label: 'inner',
      parent: 'first_step',
    });
    expect(diagram.transitions).toEqual([
      'first_step --> second_step : go now',
      'first_step --> first_step_inner : x y',
    ]);
  });
});

describe('describeMachine', () => {
  it('reads states, guards, invoked actors and eventless transitions', () => {
    const chart = describeMachine(conversationMachine);
    expect(chart.id).toBe('conversation');
    expect(chart.states[0]).toEqual({
      id: 'conversation',
      key: 'conversation',
      type: 'compound',
      initial: 'conversation.idle',
      invokes: [],
    });
    expect(chart.states.find((s) => s.key === 'requesting')).toEqual({
      id: 'conversation.thinking.requesting',
      key: 'requesting',
      parent: 'conversation.thinking',
      type: 'atomic',
      invokes: ['callLLM'],
    });
    const next = chart.transitions.filter((t) => t.source === 'conversation.acting.next');
    expect(next.map((t) => [t.kind, t.guard, t.target])).toEqual([
      ['always', 'batchDone && finishRequested', 'conversation.thinking.route'],
      ['always', 'pauseRequested', 'conversation.paused'],
      ['always', 'batchDone', 'conversation.thinking'],
      ['always', undefined, 'conversation.acting.running'],
    ]);
    const root = chart.transitions.find((t) => t.source === 'conversation')!;
    expect(root).toMatchObject({ event: 'user.message', actions: ['acceptMessage'] });
    expect(root.target).toBeUndefined();
    // Plain JSON: it survives a round trip.
    expect(JSON.parse(JSON.stringify(chart))).toEqual(chart);
  });
});
