import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A JSON line a child printed on stdout. */
export type ChildMessage = { type: string } & Record<string, unknown>;

/**
 * A helper script run as its own OS process (`node --import tsx`), talking JSON lines:
 * commands on stdin, reports on stdout. Tests wait for reports, never for time.
 */
export class Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Every report so far, in order. */
  readonly messages: ChildMessage[] = [];
  /** Settles when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #stderr = '';
  #waiters: Array<{
    match: (m: ChildMessage) => boolean;
    resolve: (m: ChildMessage) => void;
    reject: (e: Error) => void;
  }> = [];
  #exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(script: string, config: unknown) {
    this.name = script;
    const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
    this.process = spawn(process.execPath, ['--import', 'tsx', path, JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.process.stderr!.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    createInterface({ input: this.process.stdout! }).on('line', (line) => this.#report(line));
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        for (const waiter of this.#waiters.splice(0)) {
          waiter.reject(
            new Error(
              `${this.name} exited (${code ?? signal}) before the awaited report; stderr:\n${this.#stderr}`,
            ),
          );
        }
        resolve({ code, signal });
      });
    });
  }

  /** What the child wrote on stderr. */
  get stderr(): string {
    return this.#stderr;
  }

  /** The first report (already received or to come) that matches. */
  waitFor(match: (message: ChildMessage) => boolean): Promise<ChildMessage> {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found);
    if (this.#exit) {
      return Promise.reject(new Error(`${this.name} has exited; stderr:\n${this.#stderr}`));
    }
    return new Promise((resolve, reject) => this.#waiters.push({ match, resolve, reject }));
  }

  /** The first report of a type (and matching fields). */
  waitForType(type: string, fields: Record<string, unknown> = {}): Promise<ChildMessage> {
    return this.waitFor(
      (m) => m.type === type && Object.entries(fields).every(([k, v]) => m[k] === v),
    );
  }

  /** Sends a command line. */
  send(command: { type: string } & Record<string, unknown>): void {
    this.process.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** Asks the child to close (it flushes and exits) and waits until it has exited. */
  async close(): Promise<void> {
    this.send({ type: 'close' });
    await this.exited;
  }

  /** Kills the process (default SIGKILL) and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.#exit) this.process.kill(signal);
    await this.exited;
  }

  #report(line: string): void {
    let message: ChildMessage;
    try {
      message = JSON.parse(line) as ChildMessage;
    } catch {
      return; // not a report (a stray console line)
    }
    this.messages.push(message);
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) {
      if (waiter.match(message)) waiter.resolve(message);
      else this.#waiters.push(waiter);
    }
  }
}

/** Starts children and kills whatever is left of them (call `killAll` in `afterEach`). */
export class Children {
  #all: Child[] = [];

  start(script: string, config: unknown): Child {
    const child = new Child(script, config);
    this.#all.push(child);
    return child;
  }

  async killAll(): Promise<void> {
    const all = this.#all;
    this.#all = [];
    await Promise.all(all.map((child) => child.kill()));
  }
}
