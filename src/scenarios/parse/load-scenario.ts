import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Scenario } from '../schema/scenario-schema.js';
import { ScenarioError } from '../scenario-error.js';
import { type ParseScenarioOptions, parseScenario } from './parse-scenario.js';

const SCENARIO_FILE = /\.ya?ml$/i;

/**
 * Reads and validates one scenario file.
 *
 * @throws ScenarioError when the file cannot be read or is not a valid scenario.
 */
export async function loadScenario(
  file: string,
  options: Omit<ParseScenarioOptions, 'file'> = {},
): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, [
      { path: '', message: `cannot read the file: ${reason(error)}` },
    ]);
  }
  return parseScenario(text, { ...options, file });
}

/**
 * The scenario files at a path: the file itself, or every `.yaml`/`.yml` file under a
 * folder (recursively), sorted by path.
 *
 * @throws ScenarioError when the path does not exist or a folder holds no scenario.
 */
export async function findScenarioFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new ScenarioError(path, [{ path: '', message: `not found: ${reason(error)}` }]);
  }
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && SCENARIO_FILE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  if (files.length === 0) {
    throw new ScenarioError(path, [{ path: '', message: 'no .yaml or .yml file in this folder' }]);
  }
  return files;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
