/**
 * A process that runs a terminal session and is then killed outright by the test:
 * `node --import tsx terminal-host.ts <cwd> <shell-fifo> <job-fifo>`.
 *
 * bash opens `<shell-fifo>` for writing (fd 4, kept open by the shell itself), then runs
 * `sleep 300` with `<job-fifo>` open for writing (fd 3). The test reads both FIFOs: each
 * reaches end-of-file only when every process holding it has died.
 */
import { TerminalSession } from '../../src/actors/terminal-session.js';

const [cwd = '.', shellFifo = '', jobFifo = ''] = process.argv.slice(2);
const session = new TerminalSession({ cwd });
await session.run(`exec 4>${shellFifo}`);
void session.run(`sleep 300 3>${jobFifo}`);
console.log(JSON.stringify({ started: true, shellPid: session.shellPid }));
