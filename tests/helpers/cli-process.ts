import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';

const root = join(import.meta.dirname, '..', '..');

/** A running `steerable` command line (from source, through tsx) with piped stdin. */
export interface CliProcess {
  child: ResultPromise<{ reject: false; env: Record<string, string>; cwd: string }>;
  /** Everything printed on stdout so far. */
  output: () => string;
  /** Writes lines to stdin. */
  type: (...lines: string[]) => void;
  /** Resolves once stdout matches (checked as output arrives; no clock). */
  waitFor: (pattern: string | RegExp) => Promise<void>;
}

/** The environment of a child: no real model unless a test sets one. */
export const NO_MODEL_ENV = { NO_COLOR: '1', LLM_API_KEY: '', LLM_MODEL: '', LLM_BASE_URL: '' };

/** Starts `steerable <args>` with piped stdin (`env` adds to `NO_MODEL_ENV`). */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const main = join(root, 'src/cli/main.ts');
  const child = execa(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    reject: false,
    env: { ...NO_MODEL_ENV, ...env },
  });
  let stdout = '';
  const waiters: Array<{ test: (text: string) => boolean; resolve: () => void }> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const waiter of [...waiters]) {
      if (waiter.test(stdout)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  return {
    child,
    output: () => stdout,
    type: (...lines) => {
      child.stdin.write(lines.map((line) => `${line}\n`).join(''));
    },
    waitFor: (pattern) => {
      const test = (text: string) =>
        typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
      if (test(stdout)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve });
        void child.then((result) =>
          reject(
            new Error(
              `the process ended (exit ${result.exitCode}) before printing ${String(pattern)}:\n${stdout}\n${String(result.stderr)}`,
            ),
          ),
        );
      });
    },
  };
}
