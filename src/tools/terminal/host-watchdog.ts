import { spawn } from 'node:child_process';

/** Stops a watchdog (when the process it guards has ended by other means). */
export interface HostWatchdog {
  stop(): void;
}

/**
 * Kills `pid` when this process dies without cleaning up (SIGKILL, an out-of-memory kill, a
 * crash past every exit handler).
 *
 * A small `sh` blocks reading a pipe whose only writer is this process. The kernel closes
 * the pipe when this process dies, however it dies; `read` returns and `sh` sends SIGKILL
 * to `pid`. The terminal points it at `script`: when `script` dies the pseudo-terminal
 * hangs up, so bash and its foreground job get SIGHUP, and bash passes it on to its other
 * jobs. Nothing polls; the watchdog costs one sleeping process per terminal session and
 * never keeps this process's event loop alive.
 *
 * @example
 * ```ts
 * const watchdog = startHostWatchdog(child.pid);
 * child.on('exit', () => watchdog.stop());
 * ```
 */
export function startHostWatchdog(pid: number): HostWatchdog {
  const watchdog = spawn('sh', ['-c', `read _ignored; kill -KILL ${pid} 2>/dev/null`], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => {
    // No `sh`: nothing guards the terminal after a crash; normal cleanup is unaffected.
  });
  watchdog.stdin?.on('error', () => undefined);
  watchdog.unref();
  // The pipe must stay open (it is the signal), but it must not hold the event loop.
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      watchdog.kill('SIGKILL');
      watchdog.stdin?.destroy();
    },
  };
}
