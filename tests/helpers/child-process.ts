import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** A line a helper child printed: its JSON, or `{ text }` for other output. */
export type ChildMessage = Record<string, unknown>;

/** A TypeScript helper script running in its own process (and process group). */
export interface TsxChild {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  /** Every JSON line printed so far. */
  messages: ChildMessage[];
  /** Resolves with the first message (printed or to come) that matches; rejects if the child exits first. */
  waitFor(match: (message: ChildMessage) => boolean): Promise<ChildMessage>;
  /** Resolves once the process has exited (and was reaped). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to the child's whole process group (the child and the commands it started). */
  killGroup(): void;
  stderr(): string;
}

const started = new Set<TsxChild>();

/** Runs `node --import tsx <script> <args...>` as the leader of a new process group. */
export function spawnTsx(script: string, args: string[]): TsxChild {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: ChildMessage[] = [];
  let waiters: Array<{ match: (m: ChildMessage) => boolean; resolve: (m: ChildMessage) => void }> =
    [];
  let stderr = '';
  let done = false;
  const failures: Array<(error: Error) => void> = [];
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message: ChildMessage;
    try {
      message = JSON.parse(line) as ChildMessage;
    } catch {
      message = { text: line };
    }
    messages.push(message);
    waiters = waiters.filter((w) => (w.match(message) ? (w.resolve(message), false) : true));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      for (const fail of failures) {
        fail(new Error(`child exited (${code ?? signal}) before the awaited message:\n${stderr}`));
      }
      resolve({ code, signal });
    }),
  );
  const handle: TsxChild = {
    child,
    pid: child.pid!,
    messages,
    exited,
    stderr: () => stderr,
    killGroup: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
    waitFor: (match) => {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      if (done)
        return Promise.reject(new Error(`child exited before the awaited message:\n${stderr}`));
      return new Promise((resolve, reject) => {
        waiters.push({ match, resolve });
        failures.push(reject);
      });
    },
  };
  started.add(handle);
  void exited.then(() => started.delete(handle));
  return handle;
}

/** Kills every helper child still running (for `afterEach`) and waits for them to exit. */
export async function killAllChildren(): Promise<void> {
  const running = [...started];
  for (const child of running) child.killGroup();
  await Promise.all(running.map((c) => c.exited));
}

/** Whether a process runs (a zombie does not count). Linux: reads /proc. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
