import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversationMachine, toMermaid } from '../src/index.js';

const root = join(import.meta.dirname, '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** The text of every fenced block of a language in a Markdown file. */
function fenced(markdown: string, language: string): string[] {
  const blocks: string[] = [];
  const pattern = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm');
  for (const match of markdown.matchAll(pattern)) blocks.push(match[1] ?? '');
  return blocks;
}

describe('README', () => {
  const readme = read('README.md');

  it("shows the machine's chart exactly as toMermaid writes it today", () => {
    const chart = toMermaid(conversationMachine);
    expect(fenced(readme, 'mermaid'), 'npm run docs:chart rewrites it').toEqual([
      chart.endsWith('\n') ? chart : `${chart}\n`,
    ]);
    expect(fenced(read('docs/visualizer.md'), 'mermaid')).toContain(
      chart.endsWith('\n') ? chart : `${chart}\n`,
    );
  });

  it('its quick start is what CI runs: install, then npm test', () => {
    const [quickStart] = fenced(readme, 'sh');
    const commands = (quickStart ?? '').split('\n').map((line) => line.split('#')[0]?.trim());
    expect(commands.slice(0, 2)).toEqual(['npm install && npm run demo', 'npm test']);
    const ci = read('.ci/run');
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test\b/m);
  });

  it('lists every example program, and every link it makes points at a file', () => {
    const programs = readdirSync(join(root, 'examples')).filter((name) => name.endsWith('.ts'));
    expect(programs.length).toBeGreaterThan(0);
    for (const program of programs) expect(readme).toContain(`(examples/${program})`);
    const links = [...readme.matchAll(/\]\(((?:docs|examples|bench)\/[^)#]*|[A-Z]+\.md)\)/g)];
    expect(links.length).toBeGreaterThan(programs.length);
    const missing = links
      .map((link) => link[1] ?? '')
      .filter((path) => !existsSync(join(root, path)));
    expect(missing).toEqual([]);
  });
});
