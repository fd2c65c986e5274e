import { fromCallback } from 'xstate';
import type {
  TerminalCallOutcome,
  TerminalSession,
  TerminalSessionState,
  TerminalWaitOptions,
} from './terminal-session.js';

/** Input of `terminalSessionLogic`. */
export interface TerminalSessionActorInput {
  /** The session the actor drives (for example the one in a conversation's `ToolScope`). */
  session: TerminalSession;
  /** Dispose of the session (kill its processes) when the actor stops. Default `false`. */
  disposeOnStop?: boolean;
}

type WaitFields = Omit<TerminalWaitOptions, 'signal'>;

/** What the actor accepts. */
export type TerminalSessionActorEvent =
  | ({ type: 'terminal.run'; command: string } & WaitFields)
  | ({ type: 'terminal.input'; text: string } & WaitFields)
  | ({ type: 'terminal.wait' } & WaitFields);

/** What the actor sends to its parent. */
export type TerminalSessionReport =
  | { type: 'terminal.state'; state: TerminalSessionState }
  | { type: 'terminal.output'; text: string }
  | {
      type: 'terminal.result';
      request: TerminalSessionActorEvent['type'];
      outcome: TerminalCallOutcome;
    }
  | { type: 'terminal.error'; request: TerminalSessionActorEvent['type']; message: string };

/**
 * The terminal session as a long-lived XState callback actor: it reports the session's
 * state changes and output to its parent as they happen, runs the commands it receives
 * (`terminal.run`, `terminal.input`, `terminal.wait`) and answers with `terminal.result`
 * or `terminal.error`. Stopping the actor aborts the call in flight (which interrupts the
 * running command) and, with `disposeOnStop`, kills the session's processes.
 *
 * @example
 * ```ts
 * const machine = setup({ actors: { terminal: terminalSessionLogic } }).createMachine({
 *   invoke: { id: 'terminal', src: 'terminal', input: { session, disposeOnStop: true } },
 *   on: { 'terminal.result': { actions: ({ event }) => console.log(event.outcome.output) } },
 * });
 * ```
 */
export const terminalSessionLogic = fromCallback<
  TerminalSessionActorEvent,
  TerminalSessionActorInput
>(({ input, sendBack, receive }) => {
  const { session } = input;
  const controller = new AbortController();
  const report = (event: TerminalSessionReport) => {
    if (!controller.signal.aborted) sendBack(event);
  };
  const subscription = session.events$.subscribe((event) =>
    report(
      event.type === 'state'
        ? { type: 'terminal.state', state: event.state }
        : { type: 'terminal.output', text: event.text },
    ),
  );

  receive((event) => {
    const { noOutputTimeoutMs, timeoutMs } = event;
    const options: TerminalWaitOptions = {
      signal: controller.signal,
      noOutputTimeoutMs,
      timeoutMs,
    };
    const call =
      event.type === 'terminal.run'
        ? session.run(event.command, options)
        : event.type === 'terminal.input'
          ? session.input(event.text, options)
          : session.wait(options);
    call.then(
      (outcome) => report({ type: 'terminal.result', request: event.type, outcome }),
      (error: unknown) =>
        report({
          type: 'terminal.error',
          request: event.type,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  });

  return () => {
    controller.abort(new Error('The terminal actor was stopped'));
    subscription.unsubscribe();
    if (input.disposeOnStop) void session.dispose();
  };
});
