import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ConversationEvent,
  parseEventLines,
  type PersistenceLogger,
} from '../../src/index.js';

/** Temporary directories made by a test file; `cleanup()` removes them. */
export function tempDirs() {
  const made: string[] = [];
  return {
    async make(prefix = 'steerable-'): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    async cleanup(): Promise<void> {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** A logger that keeps what it is told. */
export function collectingLogger(): PersistenceLogger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  return {
    warnings,
    errors,
    warn: (message) => warnings.push(message),
    error: (message) => errors.push(message),
  };
}

/** The events of an events file as stored (checked by the real parser). */
export async function readEventsFile(file: string): Promise<ConversationEvent[]> {
  return parseEventLines(await readFile(file, 'utf8'), file).events;
}

/** The raw lines of a file (without the final empty string). */
export async function rawLines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
