import pc from 'picocolors';
import { ConsoleVisualizer } from '../visualizer/console-visualizer.js';
import type { ScenarioResult } from './run-scenario.js';

/** Options of `formatResult`. */
export interface FormatResultOptions {
  colors?: boolean;
  /** Print the event log of a failing scenario. Default true. */
  eventLog?: boolean;
}

/**
 * A scenario result as text: `✓ name (12 ms)`, or `✗ name` followed by what differed and
 * the event log.
 */
export function formatResult(result: ScenarioResult, options: FormatResultOptions = {}): string {
  const c = pc.createColors(options.colors ?? false);
  const time = c.dim(`(${Math.round(result.durationMs)} ms)`);
  const where = result.file ? c.dim(` ${result.file}`) : '';
  if (result.passed) return `${c.green('✓')} ${result.name} ${time}`;
  const lines = [`${c.red('✗')} ${c.bold(result.name)} ${time}${where}`];
  for (const failure of result.failures) lines.push(`    ${c.red('•')} ${failure}`);
  if (result.unusedTurns.length > 0) {
    lines.push(
      c.dim(`    unused turns: ${result.unusedTurns.map((i) => `turns[${i}]`).join(', ')}`),
    );
  }
  if (options.eventLog ?? true) {
    const visualizer = new ConsoleVisualizer({ colors: options.colors ?? false, maxLength: 200 });
    lines.push(c.dim('    event log:'));
    for (const event of result.events) {
      const text = visualizer.format(event);
      if (text !== undefined) for (const line of text.split('\n')) lines.push(`      ${line}`);
    }
  }
  return lines.join('\n');
}
