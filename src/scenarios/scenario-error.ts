import { SteerableError } from '../errors/steerable-error.js';

/** One problem found in a scenario file, with where it is. */
export interface ScenarioIssue {
  /** 1-based line in the file, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** Where in the scenario, as `turns[2].call.tool` (empty for the whole file). */
  path: string;
  message: string;
}

/**
 * A scenario file that cannot be run: bad YAML, an unknown key, a wrong type, an unknown
 * tool or state. The message has one line per problem, as `file:line: path: message`.
 *
 * @example
 * ```ts
 * try {
 *   await loadScenario('broken.yaml');
 * } catch (err) {
 *   if (err instanceof ScenarioError) console.error(err.message);
 *   // broken.yaml:12: turns[2].call.tool: unknown tool "rmrf" (tools: terminal, finish)
 * }
 * ```
 */
export class ScenarioError extends SteerableError {
  readonly file: string;
  readonly issues: readonly ScenarioIssue[];

  constructor(file: string, issues: readonly ScenarioIssue[]) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
    this.file = file;
    this.issues = issues;
  }
}

/** `file:line: path: message`. */
export function formatIssue(file: string, issue: ScenarioIssue): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}` : file;
  return `${where}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

/** `turns[2].call.tool` from `['turns', 2, 'call', 'tool']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    const key = String(segment);
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (!/^[A-Za-z_][\w-]*$/.test(key)) text += `[${JSON.stringify(key)}]`;
    else text += text ? `.${key}` : key;
  }
  return text;
}
