import type {
  TerminalCallOutcome,
  TerminalSession,
  UnreportedOutput,
} from '../../actors/terminal-session.js';
import type { ToolContext, ToolResult } from '../define-tool.js';
import type { ClippedText } from './truncate.js';

/** Structured result of a terminal call (the observation's `data`). */
export interface TerminalObservationData {
  /** Exit code of the command; `null` while it is still running. */
  exitCode: number | null;
  /** The shell's working directory after the call. */
  cwd: string;
  /** The call returned while the command is still running. */
  stillRunning?: boolean;
  /** The command hit the call's `timeout` and was interrupted. */
  timedOut?: boolean;
  /** The shell itself exited (for example `exit`); the next command starts a new one. */
  shellExited?: boolean;
  /** The terminal session was replaced by a new one (`reset`, or a shell that ignored Ctrl+C). */
  restarted?: boolean;
}

/** Turns a clipped output into the text the model reads (cleaned, masked, truncated). */
export type RenderOutput = (clipped: ClippedText, ctx: ToolContext) => string;

/** What `present` needs besides the outcome. */
export interface PresentOptions {
  notes: string[];
  ctx: ToolContext;
  render: RenderOutput;
  timeoutSeconds: number | undefined;
  noOutputSeconds: number;
}

/** The observation of a call that ran, waited for or typed into a command. */
export function present(outcome: TerminalCallOutcome, o: PresentOptions): ToolResult {
  const parts = [...o.notes];
  if (outcome.earlier)
    parts.push(renderEarlier(outcome.earlier, o.ctx, o.render, 'The previous command'));
  const output = o.render(outcome.output, o.ctx);
  if (output) parts.push(output);
  const { exitCode, cwd } = outcome;
  switch (outcome.status) {
    case 'completed':
      parts.push(`[Command finished with exit code ${exitCode}. Working directory: ${cwd}]`);
      return { content: parts.join('\n'), data: dataOf(cwd, exitCode, {}) };
    case 'still_running':
      parts.push(
        `[The command is still running: no new output for ${o.noOutputSeconds} seconds. Call again with an empty command to keep waiting, with is_input=true to type into it, or with C-c to interrupt it.]`,
      );
      return { content: parts.join('\n'), data: dataOf(cwd, null, { stillRunning: true }) };
    case 'timed_out':
      parts.push(
        outcome.restarted
          ? `[The command timed out after ${o.timeoutSeconds} seconds and did not stop on Ctrl+C, so the terminal was restarted: a new shell runs in ${cwd}; variables and background jobs of the old one are gone.]`
          : `[The command timed out after ${o.timeoutSeconds} seconds and was interrupted with Ctrl+C (exit code ${exitCode}). Working directory: ${cwd}]`,
      );
      return {
        content: parts.join('\n'),
        data: dataOf(cwd, exitCode, { timedOut: true, restarted: outcome.restarted }),
      };
    case 'shell_exited':
      parts.push(
        `[The shell exited with code ${exitCode}. The next command starts a new shell in ${o.ctx.workspace}.]`,
      );
      return { content: parts.join('\n'), data: dataOf(cwd, exitCode, { shellExited: true }) };
  }
}

/** A call that needs a running command (input, a control key, an empty command) when none runs. */
export function answerWhileIdle(
  text: string,
  isKey: boolean,
  session: TerminalSession,
  ctx: ToolContext,
  render: RenderOutput,
): ToolResult {
  const earlier = session.takeUnreported();
  if (earlier?.end) {
    // The command ended after its last result: report how, instead of an error.
    const parts = [renderEarlier(earlier, ctx, render, 'The command')];
    if (text !== '')
      parts.push(`[It had already ended, so ${isKey ? text : 'your input'} was not sent.]`);
    return {
      content: parts.join('\n'),
      data: dataOf(session.cwd, earlier.end.exitCode, { shellExited: earlier.end.shellExited }),
    };
  }
  const parts = earlier ? [renderEarlier(earlier, ctx, render, '')] : [];
  parts.push(
    text === ''
      ? 'The command is empty and no command is running. Give a bash command to run.'
      : isKey
        ? `No command is running, so ${text} was not sent.`
        : 'No command is running, so there is nothing to send input to. To run this text as a command, call again with is_input=false.',
  );
  return failure(parts.filter(Boolean).join('\n'), session);
}

/** Output of an earlier command that arrived after its last result. */
function renderEarlier(
  earlier: UnreportedOutput,
  ctx: ToolContext,
  render: RenderOutput,
  subject: string,
): string {
  const output = render(earlier.output, ctx);
  const lines: string[] = [];
  if (!earlier.end) {
    if (output) lines.push('[Output printed in the background since the last call:]', output);
    return lines.join('\n');
  }
  if (output) lines.push(`[${subject} printed this after its last result:]`, output);
  lines.push(
    earlier.end.shellExited
      ? `[The shell exited with code ${earlier.end.exitCode}; the next command starts a new shell in ${ctx.workspace}.]`
      : `[${subject} finished with exit code ${earlier.end.exitCode}.]`,
  );
  return lines.join('\n');
}

/** The observation data, with only the flags that are set. */
export function dataOf(
  cwd: string,
  exitCode: number | null,
  flags: Omit<TerminalObservationData, 'cwd' | 'exitCode'>,
): TerminalObservationData {
  const data: TerminalObservationData = { exitCode, cwd };
  for (const [name, value] of Object.entries(flags) as [
    keyof typeof flags,
    boolean | undefined,
  ][]) {
    if (value) data[name] = true;
  }
  return data;
}

/** An error observation of the terminal (misuse, not a failed command). */
export function failure(
  content: string,
  session: TerminalSession,
  extra: Partial<TerminalObservationData> = {},
): ToolResult {
  return {
    content,
    isError: true,
    data: { exitCode: null, cwd: session.cwd, ...extra } satisfies TerminalObservationData,
  };
}
