import { readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';

/** One process, as the process table shows it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Process group id. */
  pgid: number;
  /** Session id (`undefined` where the platform's `ps` cannot report it). */
  sid: number | undefined;
  /** Foreground process group of the process's terminal (-1 or 0 when it has none). */
  tpgid: number;
  /** One-letter state; `Z` is a zombie (dead, waiting to be reaped). */
  state: string;
}

const HAS_PROC = (() => {
  try {
    readFileSync('/proc/self/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
})();

/** Reads `/proc/<pid>/stat` (Linux). */
function readProcStat(pid: number): ProcessInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state = '?', ppid, pgid, sid, , tpgid] = fields;
  return {
    pid,
    ppid: Number(ppid),
    pgid: Number(pgid),
    sid: Number(sid),
    tpgid: Number(tpgid),
    state,
  };
}

/** The process table, synchronously; `undefined` where there is no `/proc`. */
export function listProcessesSync(): ProcessInfo[] | undefined {
  if (!HAS_PROC) return undefined;
  const table: ProcessInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProcStat(Number(name));
    if (info) table.push(info);
  }
  return table;
}

/** The process table: `/proc` on Linux, `ps` elsewhere (macOS, BSD). */
export async function listProcesses(): Promise<ProcessInfo[]> {
  const fromProc = listProcessesSync();
  if (fromProc) return fromProc;
  const { stdout } = await execa('ps', ['-A', '-o', 'pid=,ppid=,pgid=,tpgid=,stat=']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 5)
    .map(([pid, ppid, pgid, tpgid, stat]) => ({
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      sid: undefined,
      tpgid: Number(tpgid),
      state: (stat ?? '?').charAt(0),
    }));
}

/** One process's entry, or `undefined` if it is gone. */
export async function processInfo(pid: number): Promise<ProcessInfo | undefined> {
  if (HAS_PROC) return readProcStat(pid);
  return (await listProcesses()).find((p) => p.pid === pid);
}

/** Whether a process is alive: it exists and is not a zombie. */
export function isLive(info: ProcessInfo | undefined): info is ProcessInfo {
  return info !== undefined && info.state !== 'Z' && info.state !== 'X';
}

/** Every live process descending from `rootPid` (by parent id), the root excluded. */
export function descendantsOf(table: readonly ProcessInfo[], rootPid: number): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const p of table) {
    const siblings = children.get(p.ppid);
    if (siblings) siblings.push(p);
    else children.set(p.ppid, [p]);
  }
  const result: ProcessInfo[] = [];
  const queue = [rootPid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      result.push(child);
      queue.push(child.pid);
    }
  }
  return result.filter(isLive);
}

/** Sends a signal to a process (positive id) or a process group (negative id), ignoring "no such process". */
export function sendSignal(id: number, signal: NodeJS.Signals): void {
  try {
    process.kill(id, signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw error;
  }
}
