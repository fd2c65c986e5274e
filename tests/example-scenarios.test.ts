import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadScenario, runScenario } from '../src/scenarios/index.js';

const dir = join(import.meta.dirname, '..', 'examples', 'scenarios');
const files = readdirSync(dir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();

it('examples/scenarios holds scenarios', () => {
  expect(files.length).toBeGreaterThanOrEqual(10);
});

it.each(files)('examples/scenarios/%s passes', async (file) => {
  const result = await runScenario(await loadScenario(join(dir, file)));
  expect(result.failures).toEqual([]);
  expect(result.passed).toBe(true);
});
