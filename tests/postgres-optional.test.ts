import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** The modules a file reaches through static imports (type-only imports left out). */
async function staticGraph(entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const [, specifier] of text.matchAll(
      /^\s*(?:import|export)\s(?!type\s)[^'";]*?from\s+'([^']+)'/gm,
    )) {
      if (!specifier!.startsWith('.')) {
        seen.add(specifier!);
        continue;
      }
      await visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
    }
  };
  await visit(join(root, entry));
  return seen;
}

it('steerable, steerable/testing, steerable/visualizer and the CLI load without pg; steerable/postgres needs it', async () => {
  for (const entry of [
    'src/index.ts',
    'src/testing/index.ts',
    'src/visualizer/index.ts',
    'src/cli/main.ts',
  ]) {
    const graph = [...(await staticGraph(entry))];
    expect(
      graph.filter((m) => m === 'pg' || m.includes('/src/postgres/')),
      entry,
    ).toEqual([]);
  }
  expect(await staticGraph('src/postgres/index.ts')).toContain('pg');
});
