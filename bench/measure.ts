/** Wall time and CPU time of one measured piece of work. */
export interface Timing {
  wallMs: number;
  /** CPU time of the whole process (user + system), all threads, in ms. */
  cpuMs: number;
}

/** Runs `work` and times it. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; timing: Timing }> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const value = await work();
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  return { value, timing: { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 } };
}

/** How many times to repeat a measurement. */
export interface Repetitions {
  /** Unrecorded rounds first (JIT warm-up). */
  warmup: number;
  /** At least this many recorded rounds... */
  min: number;
  /** ...and more, up to `max`, while the time budget lasts. */
  max: number;
  /** Wall time budget in ms for the recorded rounds (a loaded machine gets fewer rounds). */
  budgetMs: number;
}

/**
 * Runs `a` and `b` in rounds, alternating which goes first (so drift and warm-up do not
 * favour either), `min` to `max` rounds within the time budget.
 */
export async function interleaved<A, B>(
  reps: Repetitions,
  a: () => Promise<A>,
  b: () => Promise<B>,
): Promise<{ a: A[]; b: B[] }> {
  for (let i = 0; i < reps.warmup; i++) {
    await a();
    await b();
  }
  const as: A[] = [];
  const bs: B[] = [];
  const start = performance.now();
  for (let i = 0; i < reps.max; i++) {
    if (i >= reps.min && performance.now() - start > reps.budgetMs) break;
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return { a: as, b: bs };
}
