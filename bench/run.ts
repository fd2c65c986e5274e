/**
 * `npm run bench`: runs every benchmark, each in a fresh process (so one's heap, JIT
 * state and leftovers do not colour another's), then writes `bench/results.json` and
 * `BENCHMARKS.md`. `--only a,b` runs some of them (merging into the existing results);
 * `--quick` runs few repetitions (to check the suite works; not for the table).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineInfo, readResults, writeReport, type Results } from './report.js';
import type { SectionResult } from './result.js';
import { SECTIONS } from './sections.js';

const CHILD = fileURLToPath(new URL('./section-child.ts', import.meta.url));
/**
 * The tsconfig tsx uses in the benchmark processes (and the fake server they start): the
 * root one maps `steerable` to the source for tests and examples; the benchmarks measure
 * the built package.
 */
const TSCONFIG = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
/** A hang guard for one benchmark process. */
const SECTION_TIMEOUT_MS = 10 * 60_000;

function runSection(id: string, quick: boolean): Promise<SectionResult> {
  const flags = SECTIONS.find((s) => s.id === id)?.nodeFlags ?? [];
  const stamp = { ranAt: new Date().toISOString(), loadAvg: machineInfo().loadAvg };
  return new Promise((resolve) => {
    const child = fork(CHILD, [id], {
      execArgv: ['--expose-gc', ...flags, '--import', 'tsx'],
      env: { ...process.env, BENCH_QUICK: quick ? '1' : '0', TSX_TSCONFIG_PATH: TSCONFIG },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: SectionResult | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), SECTION_TIMEOUT_MS);
    child.on('message', (message) => (result = message as SectionResult));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({
        ...(result ?? {
          id,
          title: id,
          rows: [],
          error: `the benchmark process ended (${signal ?? code}) without a result`,
        }),
        ...stamp,
      });
    });
  });
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const quick = process.argv.includes('--quick');
const only = option('--only')?.split(',');
const ids = SECTIONS.map((s) => s.id).filter((id) => !only || only.includes(id));
const previous = only ? await readResults() : undefined;

const started = new Date();
const machine = machineInfo();
console.log(
  `steerable benchmarks on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}`,
);
const sections: SectionResult[] = [];
for (const id of ids) {
  const t0 = performance.now();
  process.stdout.write(`- ${id} ... `);
  const result = await runSection(id, quick);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const misses = result.rows.filter((r) => r.pass === false).length;
  const status = result.error
    ? 'ERROR'
    : result.skipped
      ? `skipped (${result.skipped})`
      : misses > 0
        ? `${misses} target(s) missed`
        : 'ok';
  console.log(`${status} [${seconds} s]`);
  if (result.error) console.error(result.error);
  sections.push(result);
}

const merged = previous
  ? [...previous.sections.filter((s) => !ids.includes(s.id)), ...sections].sort(
      (a, b) => SECTIONS.findIndex((s) => s.id === a.id) - SECTIONS.findIndex((s) => s.id === b.id),
    )
  : sections;
const results: Results = {
  date: started.toISOString(),
  quick,
  machine: { ...machine, loadAvgAtEnd: machineInfo().loadAvg },
  durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
  sections: merged,
};
const paths = await writeReport(results);
console.log(`wrote ${paths.json} and ${paths.markdown}`);
