import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A fake OpenAI server running in a child process. */
export interface BenchServer {
  baseUrl: string;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./fake-server-child.ts', import.meta.url));

/**
 * Starts `startFakeOpenAIServer` (from `steerable/testing`) on 127.0.0.1 in a child
 * process answering `benchTurn`. `close()` ends the child.
 */
export function startBenchServer(): Promise<BenchServer> {
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) =>
      reject(error instanceof Error ? error : new Error(String(error)));
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`fake server exited early (${code})`)));
    child.once('message', (message) => {
      child.removeAllListeners('exit');
      const { baseUrl } = message as { baseUrl: string };
      resolve({
        baseUrl,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.disconnect();
          }),
      });
    });
  });
}
