import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startCli } from './helpers/cli-process.js';

it('`steerable --version` prints the version of package.json', async () => {
  const { version } = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'),
  ) as { version: string };
  const cli = startCli(['--version']);
  const result = await cli.child;
  expect(result.exitCode).toBe(0);
  expect(cli.output().trim()).toBe(version);
});
