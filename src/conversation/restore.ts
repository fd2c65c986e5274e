import type { SnapshotFrom } from 'xstate';
import type { ConversationMachine } from '../machines/conversation-machine.js';
import type { ConversationPorts } from '../machines/ports.js';

/** The text of the observation given on resume to an action whose process died. */
export const PROCESS_STOPPED_MESSAGE =
  'The process running this conversation stopped before this action completed; it was not re-run. Check its effects before you retry it.';

/** The text given on resume to the later actions of that batch, which never started. */
export const PROCESS_STOPPED_NOT_RUN_MESSAGE =
  'Not run: the process running this conversation stopped before this tool call started.';

/**
 * The machine state to resume a logged conversation in, or undefined to start fresh in
 * `idle`. Actions left without a result by a crash get an error observation first (the
 * one that was running says the process stopped during it, the rest of its batch that
 * they never ran); actions that wait for approval, or the rest of a paused batch, stay
 * pending. A log that ends while `running` resumes in `idle` (the machine logs the
 * status change): `run()` then goes on from where the log ends, reading the messages
 * that were logged but never read.
 */
export function restoreSnapshot(
  machine: ConversationMachine,
  ports: ConversationPorts,
): SnapshotFrom<ConversationMachine> | undefined {
  const state = ports.state;
  const open = [...state.openActions.values()];
  const keepsBatch = state.status === 'waiting_for_confirmation' || state.status === 'paused';
  if (!keepsBatch) {
    open.forEach((action, i) => {
      ports.append({
        kind: 'observation',
        source: 'environment',
        toolName: action.toolName,
        toolCallId: action.toolCallId,
        actionId: action.id,
        content: i === 0 ? PROCESS_STOPPED_MESSAGE : PROCESS_STOPPED_NOT_RUN_MESSAGE,
        isError: true,
      });
    });
  }
  const value = {
    finished: { idle: 'finished' },
    error: { idle: 'error' },
    stuck: { idle: 'stuck' },
    paused: { paused: 'manual' },
    waiting_for_confirmation: { paused: 'awaitingConfirmation' },
    idle: undefined,
    running: undefined,
  }[state.status];
  if (!value) return undefined;
  return machine.resolveState({
    value,
    context: {
      ports,
      iterations: 0,
      costAtStart: state.metrics.cost,
      batch: keepsBatch ? open : [],
      batchIndex: 0,
      pauseRequested: false,
      readQueued: true,
      finishRequested: false,
      needsApproval: state.status === 'waiting_for_confirmation',
      lastError: undefined,
    },
  });
}
