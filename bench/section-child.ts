/**
 * Runs one benchmark in this (fresh) process and sends its result to the parent over
 * IPC: `node --expose-gc --import tsx bench/section-child.ts <id>`.
 */
import { SECTIONS } from './sections.js';
import type { SectionResult } from './result.js';

const id = process.argv[2] ?? '';
const quick = process.env.BENCH_QUICK === '1';
const section = SECTIONS.find((s) => s.id === id);

async function main(): Promise<SectionResult> {
  if (!section) throw new Error(`no benchmark named ${String(id)}`);
  const bench = await section.load();
  return bench({ quick });
}

main().then(
  (result) => process.send?.(result, () => process.exit(0)),
  (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.send?.({ id, title: id, rows: [], error: message } satisfies SectionResult, () =>
      process.exit(1),
    );
  },
);
