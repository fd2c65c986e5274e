/** A target a measured value must meet. */
export interface Target {
  op: '<=' | '>=';
  value: number;
}

/** One line of the results table. */
export interface Row {
  metric: string;
  value: number;
  unit: string;
  target?: Target;
  /** Present when there is a target. */
  pass?: boolean;
}

/** What one benchmark file reports. */
export interface SectionResult {
  id: string;
  title: string;
  rows: Row[];
  /** Raw numbers behind the rows (per-repetition timings, settings). */
  details?: Record<string, unknown>;
  /** Why the section did not run (a missing dependency), instead of rows. */
  skipped?: string;
  /** The error that stopped the section, if any. */
  error?: string;
  /** When it ran (set by the runner). */
  ranAt?: string;
  /** The machine's load average (1, 5, 15 min) when it started (set by the runner). */
  loadAvg?: number[];
}

/** A row, with `pass` computed from its target. */
export function row(metric: string, value: number, unit: string, target?: Target): Row {
  if (!target) return { metric, value, unit };
  const pass = target.op === '<=' ? value <= target.value : value >= target.value;
  return { metric, value, unit, target, pass };
}

/** Options every benchmark receives. */
export interface BenchOptions {
  /** Few repetitions: checks that the benchmark works, numbers are not meaningful. */
  quick: boolean;
}

/** A benchmark file's entry point. */
export type Bench = (options: BenchOptions) => Promise<SectionResult>;
