import { z } from 'zod';
import { type TerminalCallOutcome, TerminalSession } from '../../actors/terminal-session.js';
import { defineTool, type ToolContext, type ToolResult } from '../define-tool.js';
import { cleanClipped } from './clean-output.js';
import { parseControlKey } from './control-keys.js';
import { terminalSecurityRisk } from './security-risk.js';
import {
  answerWhileIdle,
  dataOf,
  failure,
  present,
  type RenderOutput,
} from './terminal-observation.js';
import { DEFAULT_MAX_OUTPUT_CHARS, truncateMiddle } from './truncate.js';

export type { TerminalObservationData } from './terminal-observation.js';

/** The name the model calls the terminal by. */
export const TERMINAL_TOOL_NAME = 'terminal';
/** The key of the terminal session in the conversation's `ToolScope`. */
export const TERMINAL_SCOPE_KEY = 'terminal';
/** Default time without new output after which a call returns while the command keeps running. */
export const DEFAULT_NO_OUTPUT_TIMEOUT_MS = 30_000;

/** The terminal's parameters, as the model sees them. */
export const TerminalParameters = z.object({
  command: z
    .string()
    .describe(
      'The bash command to run. Chain several with `&&` or `;`. While a command is still running: an empty string waits for more of its output, and `C-c`, `C-d` or `C-z` send Ctrl+C (interrupt), Ctrl+D (end of input) or Ctrl+Z (suspend) to it.',
    ),
  is_input: z
    .boolean()
    .optional()
    .describe(
      'If true, `command` is typed into the running command instead of starting a new one (for example the answer to a prompt; Enter is pressed after it, except for control keys). Default false.',
    ),
  timeout: z
    .number()
    .positive()
    .optional()
    .describe(
      'Hard time limit in seconds. The call waits up to this long even if the command prints nothing, and interrupts the command (Ctrl+C) when the time is up. Set it for installs, builds, test runs and `sleep`. Without it, the call returns early when the command prints nothing new for a while.',
    ),
  reset: z
    .boolean()
    .optional()
    .describe(
      'If true, kill the terminal session (and everything running in it) and start a new one in the workspace before running `command` (which may be empty). Working directory, variables and background jobs are lost. Only for a terminal that no longer responds; not with is_input.',
    ),
});

/** The terminal's arguments. */
export type TerminalArgs = z.infer<typeof TerminalParameters>;

/** Options of `createTerminalTool(...)`. */
export interface TerminalToolOptions {
  /** A call returns, with a "still running" note, after this long without new output. Default 30,000 ms. */
  noOutputTimeoutMs?: number;
  /** Output longer than this is cut in the middle. Default 30,000 characters. */
  maxOutputChars?: number;
  /** The bash to run. Default `bash` from `PATH`. */
  shell?: string;
  /** Extra environment variables of the shell (the conversation's secrets are added too). */
  env?: Readonly<Record<string, string>>;
  /** Terminal width in columns. Default 200. */
  columns?: number;
  /** How long an interrupt waits before escalating to SIGKILL, then to a restart. Default 2,000 ms. */
  interruptGraceMs?: number;
}

function describeTool(noOutputSeconds: number, maxOutputChars: number): string {
  return `Runs a bash command in a persistent terminal session. Each conversation has one session, started in the workspace directory.

* State carries over between calls: the working directory (\`cd\`), exported variables, shell functions and activated environments (\`source .venv/bin/activate\`).
* One command per call; chain several with \`&&\` or \`;\`. Multi-line commands and heredocs work.
* The result has the command's output (stdout and stderr together), its exit code and the working directory afterwards.
* If a command prints nothing new for ${noOutputSeconds} seconds, the call returns what it has so far and says the command is still running. Then call again with an empty \`command\` to keep waiting, with \`is_input: true\` and text to type into it (answer a prompt), or with \`C-c\` to interrupt it. A new command cannot start while one is running.
* For commands that take long or stay silent (installs, builds, tests, \`sleep\`), set \`timeout\` in seconds: the call then waits up to that long and interrupts the command when the time is up.
* Run servers and other endless programs in the background with their output in a file: \`python3 -m http.server 8000 > server.log 2>&1 &\`.
* Output longer than ${maxOutputChars} characters is cut in the middle (its head and tail are kept); redirect big outputs to a file and search it with \`grep\`, \`head\` or \`tail\`.
* There is no screen: full-screen programs (vim, less, top) do not work; use non-interactive forms (\`git --no-pager log\`, \`sed -n '1,50p' file\`).
* \`reset: true\` replaces a stuck session with a new one in the workspace; everything set up in the old one is lost.`;
}

/**
 * Creates the terminal tool (`terminal`): a persistent bash session per conversation,
 * kept in the conversation's `ToolScope` and killed with all its processes on `close()`.
 *
 * @example
 * ```ts
 * const agent = new Agent({ llm, tools: [createTerminalTool({ noOutputTimeoutMs: 10_000 })] });
 * ```
 */
export function createTerminalTool(options: TerminalToolOptions = {}) {
  const noOutputTimeoutMs = options.noOutputTimeoutMs ?? DEFAULT_NO_OUTPUT_TIMEOUT_MS;
  const maxOutputChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  const noOutputSeconds = Math.round(noOutputTimeoutMs / 100) / 10;

  const sessionOf = (ctx: ToolContext): TerminalSession =>
    ctx.scope.get(
      TERMINAL_SCOPE_KEY,
      () =>
        new TerminalSession({
          cwd: ctx.workspace,
          env: { ...options.env, ...ctx.secrets },
          shell: options.shell,
          columns: options.columns,
          outputLimit: maxOutputChars,
          interruptGraceMs: options.interruptGraceMs,
        }),
    );

  const render: RenderOutput = (clipped, ctx) =>
    truncateMiddle(cleanClipped(clipped, Object.values(ctx.secrets)), maxOutputChars).replace(
      /\s+$/,
      '',
    );

  return defineTool({
    name: TERMINAL_TOOL_NAME,
    description: describeTool(noOutputSeconds, maxOutputChars),
    parameters: TerminalParameters,
    securityRisk: terminalSecurityRisk,
    async execute(args, ctx): Promise<ToolResult> {
      const notes: string[] = [];
      if (args.reset) {
        if (args.is_input) {
          return failure('`reset` cannot be combined with `is_input`.', sessionOf(ctx));
        }
        await ctx.scope.delete(TERMINAL_SCOPE_KEY);
        const fresh = sessionOf(ctx);
        await fresh.start();
        notes.push(`[The terminal was reset: a new shell started in ${fresh.cwd}.]`);
        if (args.command.trim() === '') {
          return { content: notes.join('\n'), data: dataOf(fresh.cwd, 0, { restarted: true }) };
        }
      }

      const session = sessionOf(ctx);
      const wait = {
        signal: ctx.signal,
        noOutputTimeoutMs: args.timeout === undefined ? noOutputTimeoutMs : undefined,
        timeoutMs: args.timeout === undefined ? undefined : args.timeout * 1000,
      };
      const key = parseControlKey(args.command);
      let outcome: TerminalCallOutcome;

      if (session.runningCommand !== undefined) {
        if (key !== undefined) outcome = await session.input(key, wait);
        else if (args.command === '') outcome = await session.wait(wait);
        else if (args.is_input) outcome = await session.input(`${args.command}\n`, wait);
        else {
          return failure(
            `A command is still running: \`${session.runningCommand}\`. It must end before another command starts. Call again with an empty command to wait for its output, with is_input=true to type into it, or with C-c to interrupt it.`,
            session,
            { exitCode: null, stillRunning: true },
          );
        }
      } else if (args.is_input || key !== undefined || args.command.trim() === '') {
        return answerWhileIdle(args.command.trim(), key !== undefined, session, ctx, render);
      } else {
        outcome = await session.run(args.command, wait);
      }
      return present(outcome, {
        notes,
        ctx,
        render,
        timeoutSeconds: args.timeout,
        noOutputSeconds,
      });
    },
  });
}

/**
 * The built-in terminal tool with default options (30 s without output before a call
 * returns, 30,000 characters of output). Use `createTerminalTool` to change them.
 *
 * @example
 * ```ts
 * const agent = new Agent({ llm, tools: [TerminalTool, FileEditorTool] });
 * ```
 */
export const TerminalTool = createTerminalTool();
