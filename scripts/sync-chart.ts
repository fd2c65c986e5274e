/**
 * Rewrites the machine's Mermaid chart in README.md and docs/visualizer.md from
 * `toMermaid(conversationMachine)`: `npm run docs:chart` after changing the machine.
 * `tests/readme.test.ts` fails until the charts match the machine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conversationMachine, toMermaid } from '../src/index.js';

const root = join(import.meta.dirname, '..');
const chart = toMermaid(conversationMachine).replace(/\n?$/, '\n');
for (const file of ['README.md', 'docs/visualizer.md']) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(
    /^```mermaid\nstateDiagram-v2\n[\s\S]*?^```$/m,
    `\`\`\`mermaid\n${chart}\`\`\``,
  );
  if (after !== before) writeFileSync(path, after);
  console.log(`${file}: ${after === before ? 'up to date' : 'chart rewritten'}`);
}
