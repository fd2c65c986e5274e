import { randomBytes } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { execa, type ResultPromise } from 'execa';
import { type Observable, Subject } from 'rxjs';
import { CTRL_C } from '../tools/terminal/control-keys.js';
import { OutputBuffer } from '../tools/terminal/output-buffer.js';
import {
  killTerminalProcesses,
  killTerminalProcessesSync,
} from '../tools/terminal/process-cleanup.js';
import { processInfo, sendSignal } from '../tools/terminal/process-table.js';
import { PromptMarkerScanner } from '../tools/terminal/prompt-marker.js';
import { evalLine } from '../tools/terminal/shell-quote.js';
import { initLine, shellLaunch, TERMINAL_ENV } from '../tools/terminal/shell-launch.js';
import { type ClippedText, DEFAULT_MAX_OUTPUT_CHARS } from '../tools/terminal/truncate.js';
import type { Disposable } from '../tools/tool-scope.js';

/** Options of `new TerminalSession(...)`. */
export interface TerminalSessionOptions {
  /** The directory the shell starts in. */
  cwd: string;
  /** Extra environment variables (on top of this process's environment). */
  env?: Readonly<Record<string, string>>;
  /** The bash to run. Default `bash` (from `PATH`). */
  shell?: string;
  /** Terminal width. Default 200. */
  columns?: number;
  /** Terminal height. Default 50. */
  rows?: number;
  /** Characters kept at each end of a command's output; the middle is only counted. Default 30,000. */
  outputLimit?: number;
  /** How long an interrupt waits for the shell before escalating (SIGKILL, then restart). Default 2,000 ms. */
  interruptGraceMs?: number;
  /** How long to wait for a new shell's first prompt. Default 10,000 ms. */
  startTimeoutMs?: number;
}

/** `starting` → `idle` ⇄ `running`; `exited` when the shell ended by itself; `disposed` for good. */
export type TerminalSessionState = 'new' | 'starting' | 'idle' | 'running' | 'exited' | 'disposed';

/** What a session reports as it goes (for actors and visualizers). */
export type TerminalSessionEvent =
  { type: 'state'; state: TerminalSessionState } | { type: 'output'; text: string };

/** How long a call waits. */
export interface TerminalWaitOptions {
  /** Aborting interrupts the running command (Ctrl+C, then SIGKILL of its group) and rejects. */
  signal?: AbortSignal;
  /** Return `still_running` after this long without new output. Default: wait. */
  noOutputTimeoutMs?: number;
  /** Hard limit: past it the command is interrupted and the call returns `timed_out`. */
  timeoutMs?: number;
}

/** How a call ended. */
export type TerminalCallStatus = 'completed' | 'still_running' | 'timed_out' | 'shell_exited';

/** The end of a command that finished while no call was waiting for it. */
export interface UnreportedOutput {
  output: ClippedText;
  /** Set when the command (or the shell) ended; absent for output of background jobs. */
  end?: { exitCode: number | null; shellExited: boolean };
}

/** The result of `run`, `input` or `wait`. */
export interface TerminalCallOutcome {
  status: TerminalCallStatus;
  /** Output since the previous call returned (stdout and stderr, as the terminal showed them). */
  output: ClippedText;
  /** Exit code of the command (or of the shell, for `shell_exited`); `null` while it runs. */
  exitCode: number | null;
  /** The shell's working directory after the command (the last one known while it runs). */
  cwd: string;
  /** The shell ignored the interrupt and was replaced by a new one (in the starting directory). */
  restarted?: boolean;
  /** What an earlier command printed after its last call returned (only for `run`). */
  earlier?: UnreportedOutput;
}

const live = new Set<TerminalSession>();
let exitHookInstalled = false;

function track(session: TerminalSession): void {
  live.add(session);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the program exits without closing its conversations: no orphans.
  process.once('exit', () => {
    for (const s of live) s.killSync();
  });
}

/**
 * A persistent interactive bash on a pseudo-terminal, one per conversation: `cd`,
 * exported variables, functions and activated environments carry over between commands.
 *
 * Each command is typed as one `eval` line; a `PROMPT_COMMAND` marker printed before the
 * next prompt says that it finished, with its exit code and the working directory, so
 * completion never depends on timing. Ctrl+C and the other control keys reach the
 * foreground job through the terminal, as they would from a keyboard. `dispose()` kills
 * the shell and every process it started (its session and its descendants) with SIGKILL.
 *
 * The constructor starts nothing; the shell starts on `start()` or the first `run()`.
 *
 * @example
 * ```ts
 * const session = ctx.scope.get('terminal', () => new TerminalSession({ cwd: ctx.workspace }));
 * const { output, exitCode, cwd } = await session.run('cd src && ls', { signal });
 * await session.dispose();
 * ```
 */
export class TerminalSession implements Disposable {
  readonly #options: Required<Omit<TerminalSessionOptions, 'env'>> & {
    env: Readonly<Record<string, string>>;
  };
  readonly #events = new Subject<TerminalSessionEvent>();
  /** State changes and output chunks, as they happen. Completes on `dispose()`. */
  readonly events$: Observable<TerminalSessionEvent> = this.#events.asObservable();

  #state: TerminalSessionState = 'new';
  #child: ResultPromise | undefined;
  #childDone: Promise<unknown> = Promise.resolve();
  #generation = 0;
  #scanner = new PromptMarkerScanner('');
  readonly #buffer: OutputBuffer;
  #stderr = '';
  #shellPid: number | undefined;
  #cwd: string;
  #lastExitCode: number | null = null;
  #shellExitCode: number | null = null;
  #lastOutputAt = 0;
  #waiting = false;
  #unreportedEnd: UnreportedOutput['end'];
  #command: string | undefined;
  #starting: Promise<void> | undefined;
  #disposing: Promise<void> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #wakers = new Set<() => void>();

  constructor(options: TerminalSessionOptions) {
    this.#options = {
      cwd: options.cwd,
      env: options.env ?? {},
      shell: options.shell ?? 'bash',
      columns: options.columns ?? 200,
      rows: options.rows ?? 50,
      outputLimit: options.outputLimit ?? DEFAULT_MAX_OUTPUT_CHARS,
      interruptGraceMs: options.interruptGraceMs ?? 2_000,
      startTimeoutMs: options.startTimeoutMs ?? 10_000,
    };
    this.#cwd = options.cwd;
    this.#buffer = new OutputBuffer(this.#options.outputLimit);
  }

  get state(): TerminalSessionState {
    return this.#state;
  }

  /** The shell's working directory, as of its last prompt. */
  get cwd(): string {
    return this.#cwd;
  }

  /** Process id of the shell (also its session and process group id), once started. */
  get shellPid(): number | undefined {
    return this.#shellPid;
  }

  /** Process id of the `script` process holding the pseudo-terminal, once started. */
  get hostPid(): number | undefined {
    return this.#child?.pid;
  }

  /** The command running now, if any. */
  get runningCommand(): string | undefined {
    return this.#state === 'running' ? this.#command : undefined;
  }

  /** Starts the shell if it is not running (again, after it exited). Resolves at its first prompt. */
  start(): Promise<void> {
    if (this.#state === 'disposed') {
      return Promise.reject(new Error('The terminal session has been closed'));
    }
    if (this.#state === 'new' || this.#state === 'exited') {
      this.#starting = this.#spawn().finally(() => {
        this.#starting = undefined;
      });
    }
    return this.#starting ?? Promise.resolve();
  }

  /** Runs a command in the shell. The shell must be idle (see `runningCommand`). */
  run(command: string, options: TerminalWaitOptions = {}): Promise<TerminalCallOutcome> {
    return this.#exclusive(async () => {
      options.signal?.throwIfAborted();
      await this.start();
      if (this.#state !== 'idle') {
        throw new Error(`A command is still running: ${this.#command ?? '(unknown)'}`);
      }
      const earlier = this.takeUnreported();
      this.#command = command;
      this.#setState('running');
      this.#write(evalLine(command));
      const outcome = await this.#finish(options);
      return earlier ? { ...outcome, earlier } : outcome;
    });
  }

  /** Types `text` (as is: add `\n` to press Enter) to the running command, then waits like `run`. */
  input(text: string, options: TerminalWaitOptions = {}): Promise<TerminalCallOutcome> {
    return this.#exclusive(async () => {
      options.signal?.throwIfAborted();
      this.#assertRunning();
      this.#write(text);
      return this.#finish(options);
    });
  }

  /** Waits for more output of the running command (or its end), like `run`. */
  wait(options: TerminalWaitOptions = {}): Promise<TerminalCallOutcome> {
    return this.#exclusive(async () => {
      options.signal?.throwIfAborted();
      this.#assertRunning();
      return this.#finish(options);
    });
  }

  /**
   * Output that arrived while no call was waiting (a command that ended after its call
   * returned `still_running`, background jobs), and forgets it. `undefined` if none.
   */
  takeUnreported(): UnreportedOutput | undefined {
    const end = this.#unreportedEnd;
    if (!end && this.#buffer.isEmpty) return undefined;
    this.#unreportedEnd = undefined;
    const output = this.#buffer.drain();
    return end ? { output, end } : { output };
  }

  /** Kills the shell and every process it started; waits until they are gone. Idempotent. */
  dispose(): Promise<void> {
    if (!this.#disposing) {
      this.#setState('disposed');
      this.#generation += 1;
      this.#wake();
      this.#disposing = this.#killAll().finally(() => {
        live.delete(this);
        this.#events.complete();
      });
    }
    return this.#disposing;
  }

  /** Sends SIGKILL to every process of the session at once (for `process.on('exit')`). @internal */
  killSync(): void {
    const hostPid = this.#child?.pid;
    if (hostPid !== undefined) killTerminalProcessesSync({ hostPid, shellPid: this.#shellPid });
  }

  async #spawn(): Promise<void> {
    const generation = ++this.#generation;
    const nonce = randomBytes(12).toString('hex');
    this.#scanner = new PromptMarkerScanner(nonce);
    this.#stderr = '';
    this.#shellPid = undefined;
    this.#cwd = this.#options.cwd;
    this.#setState('starting');

    if (this.#options.shell.includes('/')) {
      const missing = await access(this.#options.shell, constants.X_OK).then(
        () => false,
        () => true,
      );
      if (missing) {
        this.#setState('exited');
        throw new Error(
          `The terminal could not start bash through \`script\` (util-linux on Linux): the shell ${this.#options.shell} does not exist or is not executable`,
        );
      }
    }
    const launch = shellLaunch(this.#options.shell);
    const child = execa(launch.file, launch.args, {
      cwd: this.#options.cwd,
      env: { ...TERMINAL_ENV, ...this.#options.env },
      extendEnv: true,
      detached: true,
      cleanup: false,
      buffer: false,
      reject: false,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
    });
    this.#child = child;
    track(this);
    child.stdin?.on('error', () => {
      // EPIPE after the shell died; the exit handler reports it.
    });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => {
      if (generation === this.#generation) this.#onOutput(text);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      if (this.#stderr.length < 4_096) this.#stderr += text;
    });
    this.#childDone = child.then((result) => {
      if (generation !== this.#generation) return;
      const failure =
        result.failed && result.exitCode === undefined
          ? (result.shortMessage ?? 'it failed to start')
          : '';
      this.#onExit(result.exitCode ?? null, failure);
    });

    const init = initLine(nonce, this.#options);
    this.#write(`${init}\n`);
    const ready = await this.#collect({ timeoutMs: this.#options.startTimeoutMs });
    if (ready === 'prompt') return;
    const reason =
      this.#state === 'disposed'
        ? 'the session was closed'
        : ready === 'deadline'
          ? `no prompt within ${this.#options.startTimeoutMs} ms`
          : this.#startFailure(init);
    if (this.#state !== 'disposed') {
      await this.#killAll();
      this.#setState('exited');
    }
    throw new Error(
      `The terminal could not start bash through \`script\` (util-linux on Linux): ${reason}`,
    );
  }

  /** Why a shell did not start: the spawn error, or its exit code and what it printed. */
  #startFailure(init: string): string {
    const printed = this.#stderr.replace(init, '').trim();
    if (this.#shellExitCode === null) return printed || 'it did not start';
    return `it exited with code ${this.#shellExitCode}${printed ? `: ${printed}` : ''}`;
  }

  #onOutput(text: string): void {
    for (const piece of this.#scanner.push(text)) {
      if (piece.kind === 'output') {
        if (this.#state === 'starting') {
          // Startup noise before the first marker; kept (a little) to explain a failed start.
          if (this.#stderr.length < 4_096) this.#stderr += piece.text;
          continue;
        }
        this.#buffer.append(piece.text);
        this.#lastOutputAt = performance.now();
        this.#events.next({ type: 'output', text: piece.text });
        continue;
      }
      const { marker } = piece;
      this.#shellPid = marker.pid;
      this.#cwd = marker.cwd;
      if (this.#state === 'starting') {
        this.#setState('idle');
      } else if (this.#state === 'running') {
        this.#lastExitCode = marker.exitCode;
        if (!this.#waiting) this.#unreportedEnd = { exitCode: marker.exitCode, shellExited: false };
        this.#setState('idle');
      }
    }
    this.#wake();
  }

  #onExit(exitCode: number | null, failure: string): void {
    if (failure && !this.#stderr) this.#stderr = failure;
    const rest = this.#scanner.flush();
    if (rest && this.#state !== 'starting') this.#buffer.append(rest);
    this.#shellExitCode = exitCode;
    const wasInUse = this.#state === 'running' || this.#state === 'idle';
    if (wasInUse && !this.#waiting) this.#unreportedEnd = { exitCode, shellExited: true };
    if (this.#state !== 'disposed') this.#setState('exited');
    live.delete(this);
    this.#wake();
  }

  async #finish(options: TerminalWaitOptions): Promise<TerminalCallOutcome> {
    const reason = await this.#collect(options);
    switch (reason) {
      case 'prompt':
        return this.#outcome('completed', this.#lastExitCode);
      case 'quiet':
        return this.#outcome('still_running', null);
      case 'exit':
        return this.#outcome('shell_exited', this.#shellExitCode);
      case 'deadline': {
        const restarted = await this.#interruptRunning();
        return this.#outcome('timed_out', restarted ? null : this.#lastExitCode, restarted);
      }
      case 'aborted': {
        const restarted = await this.#interruptRunning();
        // Keep what it printed: the next command reports it as earlier output.
        this.#unreportedEnd = {
          exitCode: restarted ? null : this.#lastExitCode,
          shellExited: false,
        };
        throw abortReason(options.signal);
      }
    }
  }

  #outcome(status: TerminalCallStatus, exitCode: number | null, restarted = false) {
    const outcome: TerminalCallOutcome = {
      status,
      output: this.#buffer.drain(),
      exitCode,
      cwd: this.#cwd,
    };
    if (restarted) outcome.restarted = true;
    return outcome;
  }

  /**
   * Interrupts the running command: Ctrl+C to the foreground job, then SIGKILL to whatever
   * is left of that job's process group (children that ignore SIGINT). If the shell still
   * does not come back (it ignores SIGINT itself), it is replaced by a new one.
   * Returns whether the shell was restarted.
   */
  async #interruptRunning(): Promise<boolean> {
    if (this.#state !== 'running') return false;
    const job = await this.#foregroundGroup();
    this.#write(CTRL_C);
    const first = await this.#collect({ timeoutMs: this.#options.interruptGraceMs });
    if (job !== undefined) sendSignal(-job, 'SIGKILL');
    if (first !== 'deadline') return false;
    const second = await this.#collect({ timeoutMs: this.#options.interruptGraceMs });
    if (second !== 'deadline') return false;
    await this.#killAll();
    this.#setState('new');
    await this.start();
    return true;
  }

  /** The foreground process group of the shell's terminal, unless it is the shell's own. */
  async #foregroundGroup(): Promise<number | undefined> {
    if (this.#shellPid === undefined) return undefined;
    const shell = await processInfo(this.#shellPid);
    if (!shell || shell.tpgid <= 0 || shell.tpgid === shell.pgid) return undefined;
    return shell.tpgid;
  }

  /** Waits until the command ends, goes quiet, passes its deadline, is aborted, or the shell exits. */
  async #collect(
    options: TerminalWaitOptions,
  ): Promise<'prompt' | 'quiet' | 'deadline' | 'aborted' | 'exit'> {
    const started = performance.now();
    const deadline = options.timeoutMs === undefined ? Infinity : started + options.timeoutMs;
    const quietMs = options.noOutputTimeoutMs ?? Infinity;
    this.#waiting = true;
    try {
      for (;;) {
        if (this.#state === 'idle') return 'prompt';
        if (this.#state === 'exited' || this.#state === 'disposed') return 'exit';
        if (options.signal?.aborted) return 'aborted';
        const now = performance.now();
        if (now >= deadline) return 'deadline';
        const quietAt = Math.max(started, this.#lastOutputAt) + quietMs;
        if (now >= quietAt) return 'quiet';
        await this.#nextChange(Math.min(deadline, quietAt) - now, options.signal);
      }
    } finally {
      this.#waiting = false;
    }
  }

  /** Resolves on the next output, prompt or exit; after `ms`; or when `signal` aborts. */
  #nextChange(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.max(0, ms)) : undefined;
      signal?.addEventListener('abort', done, { once: true });
      this.#wakers.add(done);
    });
  }

  #wake(): void {
    for (const wake of [...this.#wakers]) wake();
  }

  #write(text: string): void {
    this.#child?.stdin?.write(text);
  }

  #assertRunning(): void {
    if (this.#state !== 'running') {
      throw new Error('No command is running in the terminal');
    }
  }

  #setState(state: TerminalSessionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#events.next({ type: 'state', state });
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task, task);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** SIGKILLs every process of the session and waits for the host to exit. */
  async #killAll(): Promise<void> {
    const child = this.#child;
    const hostPid = child?.pid;
    if (!child || hostPid === undefined) return;
    this.#generation += 1; // the killed shell's output and exit are not news
    await killTerminalProcesses({ hostPid, shellPid: this.#shellPid });
    child.stdin?.destroy();
    await this.#childDone;
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('The terminal command was interrupted', 'AbortError');
}
