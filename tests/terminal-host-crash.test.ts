import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import { spawnTsx } from './helpers/child-process.js';
import { liveProcesses } from './helpers/processes.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Resolves once a writer has opened the FIFO; `closed` resolves when every writer has gone. */
async function watchFifo(path: string): Promise<{ closed: Promise<unknown> }> {
  const stream = createReadStream(path);
  await once(stream, 'open');
  stream.resume();
  return { closed: once(stream, 'end') };
}

it('a host killed with SIGKILL takes its terminal along: bash and the running command die', async () => {
  dir = await mkdtemp(join(tmpdir(), 'steerable-host-crash-'));
  const shellFifo = join(dir, 'shell.fifo');
  const jobFifo = join(dir, 'job.fifo');
  execFileSync('mkfifo', [shellFifo, jobFifo]);

  const host = spawnTsx(join(import.meta.dirname, 'helpers', 'terminal-host.ts'), [
    dir,
    shellFifo,
    jobFifo,
  ]);
  const shell = await watchFifo(shellFifo); // bash holds it
  const job = await watchFifo(jobFifo); // `sleep 300` holds it
  const { shellPid } = (await host.waitFor((m) => m.started === true)) as { shellPid: number };

  host.killGroup(); // SIGKILL: no exit handler runs in the host
  await host.exited;

  // Each FIFO ends only when its last writer has died: the job, and bash itself.
  await job.closed;
  await shell.closed;
  expect(await liveProcesses((p) => p.sid === shellPid)).toEqual([]);
});
