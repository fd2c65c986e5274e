import { basename, extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { AnyToolDefinition } from '../../tools/define-tool.js';
import { type ScenarioIssue, ScenarioError, formatPath } from '../scenario-error.js';
import { type Scenario, ScenarioSchema } from '../schema/scenario-schema.js';
import { toolRegistry } from '../tool-registry.js';
import { checkScenario } from './check-scenario.js';
import { locate } from './yaml-locations.js';

/** Options of `parseScenario`. */
export interface ParseScenarioOptions {
  /** The file name used in messages (and for the default name). Default `scenario.yaml`. */
  file?: string;
  /** Tools the scenario may name besides the built-in ones. */
  tools?: Iterable<AnyToolDefinition>;
}

/**
 * Parses and validates the YAML text of a scenario. Unknown keys, wrong types, unknown
 * tools or states are errors: the `ScenarioError` lists every problem with its line.
 *
 * @example
 * ```ts
 * const scenario = parseScenario(await readFile('seed.yaml', 'utf8'), { file: 'seed.yaml' });
 * const result = await runScenario(scenario);
 * ```
 */
export function parseScenario(text: string, options: ParseScenarioOptions = {}): Scenario {
  const file = options.file ?? 'scenario.yaml';
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      doc.errors.map((error) => ({
        ...(error.linePos ? { line: error.linePos[0].line, column: error.linePos[0].col } : {}),
        path: '',
        message: `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
    );
  }
  const data: unknown = doc.toJS();
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ScenarioError(file, [
      {
        line: 1,
        path: '',
        message: 'a scenario is a YAML mapping (agent:, turns:, messages:, expect: …)',
      },
    ]);
  }
  const where = (path: readonly PropertyKey[], key = false) => {
    const location = locate(doc, lineCounter, path, { key });
    return location ? { line: location.line, column: location.column } : {};
  };

  const parsed = ScenarioSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => describe(issue, data, where));
    throw new ScenarioError(file, sortIssues(issues));
  }
  const registry = toolRegistry(options.tools);
  const problems = checkScenario(parsed.data, registry);
  if (problems.length > 0) {
    throw new ScenarioError(
      file,
      sortIssues(
        problems.map((p) => ({ ...where(p.path), path: formatPath(p.path), message: p.message })),
      ),
    );
  }
  return {
    ...parsed.data,
    name: parsed.data.name ?? basename(file, extname(file)),
    file,
  };
}

type Where = (path: readonly PropertyKey[], key?: boolean) => Partial<ScenarioIssue>;

/** Turns one zod issue into readable issues (one per unknown key). */
function describe(issue: z.core.$ZodIssue, data: unknown, where: Where): ScenarioIssue[] {
  const path = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      ...where([...path, key], true),
      path: formatPath([...path, key]),
      message: `unknown key "${key}" (${issue.message})`,
    }));
  }
  let message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_type' && valueAt(data, path) === undefined) {
    message = `required (${issue.expected})`;
  } else if (issue.code === 'invalid_value' && issue.values.length > 1) {
    message = `expected one of: ${issue.values.map(String).join(', ')} (got ${JSON.stringify(valueAt(data, path))})`;
  }
  return [{ ...where(path), path: formatPath(path), message }];
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function sortIssues(issues: ScenarioIssue[]): ScenarioIssue[] {
  return issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
