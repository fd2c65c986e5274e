import { and, assign, setup } from 'xstate';
import { assessRiskActor } from '../actors/assess-risk.js';
import { condenseActor } from '../actors/condense.js';
import { llmCallActor } from '../actors/llm-call.js';
import { toolCallActor } from '../actors/tool-call.js';
import type { CondensationResult } from '../condenser/condenser.js';
import type { ActionEvent, ConversationStatus, SecurityRisk } from '../events/schema.js';
import type { LLMResponse } from '../llm/types.js';
import { FINISH_TOOL_NAME } from '../tools/finish-tool.js';
import { recordInterruptedBatch, recordResponse, recordToolResult } from './record.js';
import type { ConversationPorts, UserMessageInput } from './ports.js';

/** The machine's context: control state only; everything else is in the log. */
export interface ConversationContext {
  ports: ConversationPorts;
  /** Model requests made by the current run. */
  iterations: number;
  /** The conversation's cost when the current run started. */
  costAtStart: number;
  /** The actions of the current model response. */
  batch: ActionEvent[];
  /** The next action of `batch` to run. */
  batchIndex: number;
  /** `pause()` arrived while a tool ran: pause once it returns. */
  pauseRequested: boolean;
  /** The next `thinking` also reads `queue` messages (a run starts, or would finish). */
  readQueued: boolean;
  /** The batch called `finish`. */
  finishRequested: boolean;
  /** The last response's actions wait for the user's approval. */
  needsApproval: boolean;
  /** The error that put the conversation in `idle.error`. */
  lastError: unknown;
  /** A model response held in `thinking.assessing` while an asynchronous analyzer rates its actions. */
  response?: LLMResponse | undefined;
  /** The next `thinking.gate` condenses even below the size limit (the provider said the context is too long). */
  forceCondense?: boolean;
  /** The current request was already condensed and retried after a context-length error. */
  contextRetried?: boolean;
}

/** Input of the machine. */
export interface ConversationMachineInput {
  ports: ConversationPorts;
}

/** Events the machine accepts. */
export type ConversationMachineEvent =
  | { type: 'user.message'; message: UserMessageInput }
  | { type: 'run' }
  | { type: 'pause' }
  | { type: 'interrupt' }
  | { type: 'reject'; reason: string };

const setStatus = (status: ConversationStatus) =>
  ({ type: 'setStatus', params: { status } }) as const;

/**
 * The conversation as a state machine. Top-level states: `idle` (with `finished`,
 * `error` and `stuck` inside), `thinking` (a model request in flight), `acting` (tool
 * calls of one response, one at a time) and `paused` (with `awaitingConfirmation`).
 * `user.message` is handled at the root, so every state accepts it.
 *
 * Inside `thinking`: `gate` (run limits, stuck detection) → `condensing` (only when the
 * agent's condenser says the context is too long, or after a context-length error) →
 * `condensed` (the budget again) → `requesting` → `assessing` (only with an asynchronous
 * security analyzer) → `route`. A context-length error goes back to `gate` once, to
 * condense and retry.
 *
 * Inside `acting`: `running` (one tool call) → `next` (the next call, a pause, or back to
 * `thinking`). When the call that returns is the batch's last and nothing else is due
 * (guard `endsBatch`), `running` goes straight back to `thinking`.
 *
 * The definition is serializable; actions, guards and actors are named and their
 * implementations reach the world through `context.ports`, so `machine.provide(...)`
 * can replace any of them.
 *
 * @example
 * ```ts
 * import { conversationMachine, toMermaid } from 'steerable';
 * console.log(JSON.stringify(conversationMachine.definition).length);
 * console.log(toMermaid(conversationMachine));
 * ```
 */
export const conversationMachine = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as ConversationMachineEvent,
    input: {} as ConversationMachineInput,
  },
  actors: {
    callLLM: llmCallActor,
    runTool: toolCallActor,
    assessRisk: assessRiskActor,
    condense: condenseActor,
  },
  actions: {
    acceptMessage: ({ context, event }) => {
      if (event.type === 'user.message') context.ports.acceptMessage(event.message);
    },
    setStatus: ({ context }, params: { status: ConversationStatus }) => {
      const previous = context.ports.state.status;
      if (previous === params.status) return;
      context.ports.append({
        kind: 'state_update',
        source: 'environment',
        status: params.status,
        previous,
      });
    },
    startRun: assign({
      iterations: 0,
      costAtStart: ({ context }) => context.ports.state.metrics.cost,
      readQueued: true,
      pauseRequested: false,
      lastError: undefined,
      contextRetried: false,
    }),
    deliverMessages: ({ context }) => {
      const read = context.ports.inbox.drain(context.readQueued);
      if (read.length === 0) return;
      context.ports.append({
        kind: 'message_delivered',
        source: 'agent',
        messageIds: read.map((m) => m.id),
      });
    },
    /** Counts the request; `queue` messages wait again until the run would finish. One assign: it runs every step. */
    startRequest: assign({
      iterations: ({ context }) => context.iterations + 1,
      readQueued: false,
    }),
    allowQueued: assign({ readQueued: true }),
    recordResponse: assign(({ context, event }) => {
      if (!('output' in event)) return planBatch(context);
      const response = event.output as LLMResponse;
      const rate = context.ports.rateAction?.bind(context.ports);
      const risks = rate
        ? response.toolCalls.map((call, i) =>
            rate(call, i === 0 ? (response.content ?? undefined) : undefined),
          )
        : [];
      recordResponse(context.ports, response, risks);
      return { contextRetried: false, ...planBatch(context) };
    }),
    holdResponse: assign({
      response: ({ event }) => ('output' in event ? (event.output as LLMResponse) : undefined),
    }),
    recordAssessedResponse: assign(({ context, event }) => {
      const response = context.response;
      if (!response) return planBatch(context);
      const output = 'output' in event ? (event.output as SecurityRisk[]) : [];
      const risks = response.toolCalls.map((_, i) => output[i] ?? 'unknown');
      recordResponse(context.ports, response, risks);
      return { response: undefined, contextRetried: false, ...planBatch(context) };
    }),
    recordContextLengthError: assign(({ context, event }) => {
      const error = 'error' in event ? event.error : undefined;
      context.ports.append({
        kind: 'agent_error',
        source: 'agent',
        code: 'context_length_exceeded',
        message: `The model's context window was exceeded (${error instanceof Error ? error.message : String(error)}). Condensing the history and retrying.`,
        detail: { retry: true },
      });
      return { forceCondense: true, contextRetried: true, lastError: error };
    }),
    recordCondensation: assign(({ context, event }) => {
      const result =
        'output' in event ? (event.output as CondensationResult | undefined) : undefined;
      if (result) {
        context.ports.append({
          kind: 'condensation',
          source: 'agent',
          summary: result.summary,
          forgottenEventIds: result.forgottenEventIds,
          ...(result.usage ? { usage: result.usage } : {}),
        });
      }
      return { forceCondense: false };
    }),
    recordCondensationError: assign(({ context, event }) => {
      const error = 'error' in event ? event.error : undefined;
      context.ports.append({
        kind: 'agent_error',
        source: 'agent',
        code: 'condensation_failed',
        message: `Condensing the history failed: ${error instanceof Error ? error.message : String(error)}`,
      });
      return { forceCondense: false, lastError: error };
    }),
    recordUncondensable: assign(({ context }) => {
      context.ports.append({
        kind: 'agent_error',
        source: 'agent',
        code: 'context_length_exceeded',
        message:
          "The model's context window was exceeded and the condenser found nothing more to condense.",
      });
      return { forceCondense: false };
    }),
    recordLLMError: assign(({ context, event }) => {
      const error = 'error' in event ? event.error : event;
      const code =
        typeof error === 'object' &&
        error !== null &&
        'code' in error &&
        typeof error.code === 'string'
          ? error.code
          : 'llm_error';
      context.ports.append({
        kind: 'agent_error',
        source: 'agent',
        code,
        message: `The model call failed: ${error instanceof Error ? error.message : String(error)}`,
      });
      return { lastError: error };
    }),
    recordObservation: assign(({ context, event }) => {
      const action = context.batch[context.batchIndex]!;
      const result = observe(context, event);
      return {
        batchIndex: context.batchIndex + 1,
        finishRequested:
          context.finishRequested || (action.toolName === FINISH_TOOL_NAME && !result.isError),
      };
    }),
    /** `recordObservation` then `endBatch`, in one assign (it runs every tool step). */
    recordLastObservation: assign(({ context, event }) => {
      observe(context, event);
      return { batch: [], batchIndex: 0 };
    }),
    endBatch: assign({ batch: [], batchIndex: 0 }),
    recordPause: ({ context }) => {
      context.ports.append({ kind: 'pause', source: 'user' });
    },
    requestPause: assign(({ context }) => {
      if (!context.pauseRequested) context.ports.append({ kind: 'pause', source: 'user' });
      return { pauseRequested: true };
    }),
    recordInterrupt: ({ context }) => {
      context.ports.append({ kind: 'pause', source: 'user', interrupt: true });
    },
    interruptBatch: assign(({ context }) => {
      recordInterruptedBatch(context.ports, context.batch.slice(context.batchIndex));
      context.ports.append({ kind: 'pause', source: 'user', interrupt: true });
      return { batch: [], batchIndex: 0, pauseRequested: false };
    }),
    clearPauseRequest: assign({ pauseRequested: false }),
    rejectPending: assign(({ context, event }) => {
      const reason = event.type === 'reject' ? event.reason : 'Rejected by the user';
      for (const action of context.batch.slice(context.batchIndex)) {
        context.ports.append({
          kind: 'user_reject',
          source: 'user',
          actionId: action.id,
          toolName: action.toolName,
          toolCallId: action.toolCallId,
          reason,
        });
      }
      return { batch: [], batchIndex: 0, needsApproval: false };
    }),
    recordRunLimit: ({ context }) => {
      const hit = context.ports.runLimit(context);
      if (hit) context.ports.append({ kind: 'agent_error', source: 'environment', ...hit });
    },
    recordStuck: ({ context }) => {
      const stuck = context.ports.detectStuck();
      if (stuck) {
        context.ports.append({
          kind: 'agent_error',
          source: 'environment',
          code: 'stuck',
          message: stuck.message,
          detail: { pattern: stuck.pattern },
        });
      }
    },
  },
  guards: {
    hasWork: ({ context }) =>
      context.batchIndex < context.batch.length ||
      context.ports.inbox.hasUnread(true) ||
      context.ports.state.awaitsModel(),
    isInterruptDelivery: ({ event }) =>
      event.type === 'user.message' && event.message.delivery === 'interrupt',
    runLimitReached: ({ context }) => context.ports.runLimit(context) !== undefined,
    isStuck: ({ context }) => context.ports.detectStuck() !== undefined,
    shouldCondense: ({ context }) =>
      context.forceCondense === true || (context.ports.shouldCondense?.() ?? false),
    assessesAsync: ({ context, event }) =>
      'output' in event &&
      (context.ports.assessesAsync?.((event.output as LLMResponse).toolCalls) ?? false),
    canCondenseAndRetry: ({ context, event }) =>
      'error' in event &&
      isContextLengthError(event.error) &&
      context.contextRetried !== true &&
      (context.ports.canCondense?.() ?? false),
    forcedButNothingCondensed: ({ context, event }) =>
      context.forceCondense === true && 'output' in event && event.output === undefined,
    /**
     * The running call is the batch's last, it is not `finish` and no pause waits: once its
     * observation is logged, `acting.next` could only go back to `thinking`.
     */
    endsBatch: ({ context }) =>
      context.batchIndex + 1 >= context.batch.length &&
      !context.finishRequested &&
      !context.pauseRequested &&
      context.batch[context.batchIndex]?.toolName !== FINISH_TOOL_NAME,
    needsApproval: ({ context }) => context.needsApproval,
    hasBatch: ({ context }) => context.batchIndex < context.batch.length,
    batchDone: ({ context }) => context.batchIndex >= context.batch.length,
    finishRequested: ({ context }) => context.finishRequested,
    hasUnreadSteer: ({ context }) => context.ports.inbox.hasUnread(false),
    hasQueued: ({ context }) => context.ports.inbox.hasQueued(),
    pauseRequested: ({ context }) => context.pauseRequested,
  },
}).createMachine({
  id: 'conversation',
  context: ({ input }) => ({
    ports: input.ports,
    iterations: 0,
    costAtStart: 0,
    batch: [],
    batchIndex: 0,
    pauseRequested: false,
    readQueued: true,
    finishRequested: false,
    needsApproval: false,
    lastError: undefined,
    response: undefined,
    forceCondense: false,
    contextRetried: false,
  }),
  initial: 'idle',
  on: {
    'user.message': { actions: 'acceptMessage' },
  },
  states: {
    idle: {
      initial: 'ready',
      on: {
        run: [
          { guard: 'hasWork', target: 'thinking', actions: 'startRun' },
          // Nothing to do: an empty run (iterations 0) that ends at once.
          { actions: 'startRun' },
        ],
        pause: { target: 'paused', actions: 'recordPause' },
      },
      states: {
        ready: { entry: setStatus('idle') },
        finished: {
          entry: setStatus('finished'),
          on: { 'user.message': { target: 'ready', actions: 'acceptMessage' } },
        },
        error: { entry: setStatus('error') },
        stuck: {
          entry: setStatus('stuck'),
          on: {
            'user.message': { target: 'ready', actions: 'acceptMessage' },
            // Leaving `stuck` is logged (a state_update whose previous is 'stuck'): the
            // stuck detector judges only what follows, so the agent gets a fresh start.
            run: { target: '#conversation.thinking', actions: ['startRun', setStatus('running')] },
          },
        },
      },
    },
    thinking: {
      initial: 'gate',
      on: {
        'user.message': [
          { guard: 'isInterruptDelivery', target: '.gate', actions: 'acceptMessage' },
          { actions: 'acceptMessage' },
        ],
        pause: { target: 'paused', actions: 'recordPause' },
        interrupt: { target: 'paused', actions: 'recordInterrupt' },
      },
      states: {
        gate: {
          always: [
            { guard: 'runLimitReached', target: '#conversation.paused', actions: 'recordRunLimit' },
            { guard: 'isStuck', target: '#conversation.idle.stuck', actions: 'recordStuck' },
            { guard: 'shouldCondense', target: 'condensing' },
            { target: 'requesting' },
          ],
        },
        condensing: {
          entry: setStatus('running'),
          invoke: {
            src: 'condense',
            input: ({ context }) => ({
              ports: context.ports,
              force: context.forceCondense === true,
            }),
            onDone: [
              {
                guard: 'forcedButNothingCondensed',
                target: '#conversation.idle.error',
                actions: 'recordUncondensable',
              },
              { target: 'condensed', actions: 'recordCondensation' },
            ],
            onError: { target: '#conversation.idle.error', actions: 'recordCondensationError' },
          },
        },
        // The summary may have cost money: check the budget again before the request.
        condensed: {
          always: [
            { guard: 'runLimitReached', target: '#conversation.paused', actions: 'recordRunLimit' },
            { target: 'requesting' },
          ],
        },
        requesting: {
          entry: [setStatus('running'), 'deliverMessages', 'startRequest'],
          invoke: {
            src: 'callLLM',
            input: ({ context }) => ({
              ports: context.ports,
              request: context.ports.buildRequest(),
            }),
            onDone: [
              { guard: 'assessesAsync', target: 'assessing', actions: 'holdResponse' },
              { target: 'route', actions: 'recordResponse' },
            ],
            onError: [
              { guard: 'canCondenseAndRetry', target: 'gate', actions: 'recordContextLengthError' },
              { target: '#conversation.idle.error', actions: 'recordLLMError' },
            ],
          },
        },
        assessing: {
          invoke: {
            src: 'assessRisk',
            input: ({ context }) => ({
              ports: context.ports,
              calls: context.response?.toolCalls ?? [],
              ...(context.response?.content ? { thought: context.response.content } : {}),
            }),
            onDone: { target: 'route', actions: 'recordAssessedResponse' },
            onError: { target: 'route', actions: 'recordAssessedResponse' },
          },
        },
        route: {
          always: [
            { guard: 'needsApproval', target: '#conversation.paused.awaitingConfirmation' },
            // Straight to `running`: with a fresh batch, `acting.next` could only pick it.
            { guard: 'hasBatch', target: '#conversation.acting.running' },
            { guard: 'hasUnreadSteer', target: 'gate' },
            { guard: 'hasQueued', target: 'gate', actions: 'allowQueued' },
            { target: '#conversation.idle.finished' },
          ],
        },
      },
    },
    acting: {
      initial: 'next',
      entry: setStatus('running'),
      on: {
        pause: { actions: 'requestPause' },
        interrupt: { target: 'paused', actions: 'interruptBatch' },
      },
      states: {
        next: {
          always: [
            {
              guard: and(['batchDone', 'finishRequested']),
              target: '#conversation.thinking.route',
              actions: 'endBatch',
            },
            { guard: 'pauseRequested', target: '#conversation.paused' },
            { guard: 'batchDone', target: '#conversation.thinking', actions: 'endBatch' },
            { target: 'running' },
          ],
        },
        running: {
          invoke: {
            src: 'runTool',
            input: ({ context }) => ({
              ports: context.ports,
              action: context.batch[context.batchIndex]!,
            }),
            // The batch's last call returned and nothing else is due: straight to `thinking`
            // (`next` would pick it), one microstep fewer per tool step.
            onDone: [
              {
                guard: 'endsBatch',
                target: '#conversation.thinking',
                actions: 'recordLastObservation',
              },
              { target: 'next', actions: 'recordObservation' },
            ],
            onError: [
              {
                guard: 'endsBatch',
                target: '#conversation.thinking',
                actions: 'recordLastObservation',
              },
              { target: 'next', actions: 'recordObservation' },
            ],
          },
        },
      },
    },
    paused: {
      initial: 'manual',
      entry: 'clearPauseRequest',
      states: {
        manual: {
          entry: setStatus('paused'),
          on: {
            run: [
              { guard: 'hasBatch', target: '#conversation.acting', actions: 'startRun' },
              { target: '#conversation.thinking', actions: 'startRun' },
            ],
          },
        },
        awaitingConfirmation: {
          entry: setStatus('waiting_for_confirmation'),
          on: {
            run: { target: '#conversation.acting', actions: 'startRun' },
            reject: { target: '#conversation.idle', actions: 'rejectPending' },
          },
        },
      },
    },
  },
});

/**
 * The batch of the response just logged (its actions still without a result) and whether
 * it waits for approval; part of the assign that logs the response (one assign per step).
 */
function planBatch(context: ConversationContext): Partial<ConversationContext> {
  const batch = [...context.ports.state.openActions.values()];
  return {
    batch,
    batchIndex: 0,
    finishRequested: false,
    needsApproval: batch.length > 0 && context.ports.needsConfirmation(batch),
  };
}

/** Logs the observation of the running call (its output, or its failure) and returns it. */
function observe(
  context: ConversationContext,
  event: { type: string; output?: unknown; error?: unknown },
): { content: string; isError?: boolean; data?: unknown } {
  const action = context.batch[context.batchIndex]!;
  const result =
    'output' in event
      ? (event.output as { content: string; isError?: boolean; data?: unknown })
      : {
          content: `Tool "${action.toolName}" failed: ${String('error' in event ? event.error : 'unknown error')}`,
          isError: true,
        };
  recordToolResult(context.ports, action, result);
  return result;
}

function isContextLengthError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    error.code === 'context_length_exceeded'
  );
}

/** The type of `conversationMachine`. */
export type ConversationMachine = typeof conversationMachine;
