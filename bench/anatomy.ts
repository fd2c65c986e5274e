import {
  type ConversationPorts,
  ConversationProjection,
  conversationMachine,
  Inbox,
  type LLMResponse,
} from 'steerable';
import { createActor, fromPromise, setup } from 'xstate';
import { benchAgent, InstantModel } from './workload.js';

/**
 * Where the framework's time per step goes, in process: two machines run `steps` steps
 * and report CPU µs per step. Used by the per-step benchmark to show the floor that
 * XState itself sets.
 */

/** CPU time in µs (whole process) since `since`. */
function cpuSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

/**
 * The XState floor: the smallest machine that does what one tool step needs, two
 * invoked promise actors (the model call and the tool call) and two transitions.
 */
export function xstateFloor(steps: number): Promise<number> {
  const instant = fromPromise(() => Promise.resolve(1));
  const machine = setup({
    actors: { instant },
    guards: { done: ({ context }) => context.steps >= steps },
  }).createMachine({
    context: { steps: 0 },
    initial: 'thinking',
    states: {
      thinking: {
        always: { guard: 'done', target: 'finished' },
        invoke: { src: 'instant', onDone: 'acting' },
      },
      acting: {
        invoke: {
          src: 'instant',
          onDone: { target: 'thinking', actions: ({ context }) => void context.steps++ },
        },
      },
      finished: { type: 'final' },
    },
  });
  return new Promise((resolve) => {
    const actor = createActor(machine);
    const start = process.cpuUsage();
    actor.subscribe({ complete: () => resolve(cpuSince(start) / steps) });
    actor.start();
  });
}

/**
 * The conversation machine alone: `conversationMachine` with stub ports (no event log,
 * no projection updates beyond the open action, a model and a tool that answer at once).
 */
export function machineAlone(steps: number): Promise<number> {
  const state = new ConversationProjection();
  state.messages.push({ role: 'user', content: 'go' });
  let seq = 0;
  let calls = 0;
  const toolCall: LLMResponse = {
    id: 'r',
    model: 'm',
    content: null,
    toolCalls: [{ id: 'c', name: 'noop', arguments: '{"step":1}' }],
    finishReason: 'tool_calls',
  };
  const answer: LLMResponse = {
    id: 'r',
    model: 'm',
    content: 'done',
    toolCalls: [],
    finishReason: 'stop',
  };
  const ports: ConversationPorts = {
    conversationId: 'anatomy',
    agent: benchAgent(new InstantModel()),
    state,
    inbox: new Inbox(),
    append: (draft) => {
      const event = Object.assign({}, draft, { id: 'e', seq: seq++, timestamp: '' }) as never;
      if (draft.kind === 'action') state.openActions.set('c', event);
      if (draft.kind === 'observation') state.openActions.delete('c');
      return event;
    },
    acceptMessage: () => {
      throw new Error('not used');
    },
    buildRequest: () => ({ messages: [], tools: [] }),
    complete: () => Promise.resolve(calls++ < steps ? toolCall : answer),
    executeTool: () => Promise.resolve({ content: 'ok' }),
    needsConfirmation: () => false,
    runLimit: () => undefined,
    detectStuck: () => undefined,
  };
  return new Promise((resolve, reject) => {
    const actor = createActor(conversationMachine, { input: { ports } });
    actor.start();
    const start = process.cpuUsage();
    actor.subscribe((snapshot) => {
      if (!snapshot.matches({ idle: 'finished' })) return;
      const perStep = cpuSince(start) / steps;
      actor.stop();
      if (calls !== steps + 1) reject(new Error(`the machine made ${calls} model calls`));
      else resolve(perStep);
    });
    actor.send({ type: 'run' });
  });
}
