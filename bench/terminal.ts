import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import * as steerable from 'steerable';
import { type AnyToolDefinition, type ToolContext, ToolScope } from 'steerable';
import { interleaved } from './measure.js';
import { type Bench, type Row, row } from './result.js';
import { round, summarize } from './stats.js';

/** `TerminalTool` from the built package, or undefined when this build has none. */
export function terminalTool(): AnyToolDefinition | undefined {
  return (steerable as Record<string, unknown>).TerminalTool as AnyToolDefinition | undefined;
}

const COMMAND = 'echo ready';

/**
 * 5. Terminal tool: the round trip of a trivial command in the persistent session (the
 * `terminal` tool, as the conversation calls it) against spawning `bash -c` with execa
 * for each command, in the same run.
 */
export const terminal: Bench = async ({ quick }) => {
  const TerminalTool = terminalTool();
  if (!TerminalTool) {
    return {
      id: 'terminal',
      title: '5. Terminal tool',
      rows: [],
      skipped:
        'this build of steerable exports no `TerminalTool` (the built-in tools of branch `tools` have not landed)',
    };
  }
  const workspace = await mkdtemp(join(tmpdir(), 'steerable-bench-terminal-'));
  const scope = new ToolScope();
  const context: ToolContext = {
    signal: new AbortController().signal,
    workspace,
    conversationId: 'bench',
    scope,
    events: [],
    secrets: {},
  };
  const rows: Row[] = [];
  try {
    const time = async (work: () => Promise<unknown>) => {
      const t0 = performance.now();
      await work();
      return performance.now() - t0;
    };
    const session = async () => {
      const result = await TerminalTool.execute({ command: COMMAND }, context);
      const content = typeof result === 'string' ? result : result.content;
      if (!content.includes('ready'))
        throw new Error(`terminal answered ${JSON.stringify(content)}`);
    };
    const first = await time(session);
    const { a: persistent, b: spawned } = await interleaved(
      quick
        ? { warmup: 1, min: 10, max: 10, budgetMs: 0 }
        : { warmup: 5, min: 50, max: 300, budgetMs: 8_000 },
      () => time(session),
      () =>
        time(async () => {
          const { stdout } = await execa('bash', ['-c', COMMAND], { cwd: workspace });
          if (stdout !== 'ready') throw new Error(`bash -c answered ${JSON.stringify(stdout)}`);
        }),
    );
    const p = summarize(persistent);
    const s = summarize(spawned);
    rows.push(
      row('first command (starts the session)', round(first, 1), 'ms'),
      row(`persistent session round trip, p50 (\`${COMMAND}\`)`, round(p.p50, 2), 'ms'),
      row('persistent session round trip, p99', round(p.p99, 2), 'ms'),
      row('execa `bash -c` per command, p50', round(s.p50, 2), 'ms'),
      row('execa `bash -c` per command, p99', round(s.p99, 2), 'ms'),
      row('persistent session / bash -c (p50)', round(p.p50 / s.p50, 3), '×', {
        op: '<=',
        value: 1,
      }),
    );
    return {
      id: 'terminal',
      title: '5. Terminal tool',
      rows,
      details: {
        persistent: persistent.map((t) => round(t, 3)),
        spawned: spawned.map((t) => round(t, 3)),
      },
    };
  } finally {
    await scope.dispose();
    await rm(workspace, { recursive: true, force: true });
  }
};
