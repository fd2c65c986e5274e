import { setTimeout as delay } from 'node:timers/promises';
import {
  descendantsOf,
  isLive,
  listProcesses,
  listProcessesSync,
  type ProcessInfo,
  sendSignal,
} from './process-table.js';

/** The processes of a terminal: the `script` host holding the pseudo-terminal, and its shell. */
export interface TerminalProcesses {
  hostPid: number;
  /** The shell's pid, which is also its session id (unknown until its first prompt). */
  shellPid: number | undefined;
}

/**
 * Every live process of a terminal: the host, its descendants (by parent id), and every
 * member of the shell's session, which catches jobs whose parent died (`(cmd &)`,
 * `nohup`, `disown`). This process itself is never included.
 */
export function terminalProcesses(
  table: readonly ProcessInfo[],
  { hostPid, shellPid }: TerminalProcesses,
): ProcessInfo[] {
  const found = new Map<number, ProcessInfo>();
  const host = table.find((p) => p.pid === hostPid);
  if (isLive(host)) found.set(host.pid, host);
  for (const p of descendantsOf(table, hostPid)) found.set(p.pid, p);
  if (shellPid !== undefined) {
    for (const p of table) if (p.sid === shellPid && isLive(p)) found.set(p.pid, p);
  }
  found.delete(process.pid);
  return [...found.values()];
}

/** SIGKILLs every process of a terminal, round after round, until none is left alive. */
export async function killTerminalProcesses(processes: TerminalProcesses): Promise<void> {
  for (let round = 0; round < 12; round++) {
    const targets = terminalProcesses(await listProcesses(), processes);
    if (targets.length === 0) return;
    for (const p of targets) sendSignal(p.pid, 'SIGKILL');
    await delay(Math.min(5 * 2 ** round, 200));
  }
}

/** SIGKILLs every process of a terminal at once, synchronously (for `process.on('exit')`). */
export function killTerminalProcessesSync(processes: TerminalProcesses): void {
  const table = listProcessesSync();
  if (table) {
    for (const p of terminalProcesses(table, processes)) sendSignal(p.pid, 'SIGKILL');
    return;
  }
  // No /proc: kill the process groups we know of.
  sendSignal(-processes.hostPid, 'SIGKILL');
  if (processes.shellPid !== undefined) sendSignal(-processes.shellPid, 'SIGKILL');
}
