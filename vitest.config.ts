import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // The examples import the package by name, as users do; tests run them on the source.
    alias: [
      { find: /^steerable\/testing$/, replacement: source('./src/testing/index.ts') },
      { find: /^steerable$/, replacement: source('./src/index.ts') },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // A hang guard, not a timing assertion: real processes and servers need headroom on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
