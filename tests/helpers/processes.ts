import { execa } from 'execa';

/** A row of `ps`. */
export interface PsRow {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  stat: string;
  command: string;
}

/** Every process, from `ps` (independent of the code under test). */
export async function ps(): Promise<PsRow[]> {
  const { stdout } = await execa('ps', ['-e', '-o', 'pid=,ppid=,pgid=,sid=,stat=,args=']);
  return stdout
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s*(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({
      pid: Number(m[1]),
      ppid: Number(m[2]),
      pgid: Number(m[3]),
      sid: Number(m[4]),
      stat: m[5] ?? '',
      command: m[6] ?? '',
    }));
}

/** Processes that are alive (zombies are dead: they only wait to be reaped). */
export async function liveProcesses(filter: (row: PsRow) => boolean): Promise<PsRow[]> {
  return (await ps()).filter((row) => !row.stat.startsWith('Z') && filter(row));
}

/**
 * The live processes that match, once there are `count` of them: a process the shell has
 * forked may not have exec'd its program yet when the test looks first. Waits for the
 * condition (bounded by the test's timeout), never for a fixed time.
 */
export async function liveProcessesOnce(
  filter: (row: PsRow) => boolean,
  count: number,
): Promise<PsRow[]> {
  for (;;) {
    const rows = await liveProcesses(filter);
    if (rows.length >= count) return rows;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
