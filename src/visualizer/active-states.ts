import type { DerivedState } from '../events/projection.js';

/** Dotted paths of a state value: `{ thinking: 'requesting' }` gives `['thinking.requesting']`. */
export function statePaths(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  const paths: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const below = statePaths(child);
    if (below.length === 0) paths.push(key);
    for (const path of below) paths.push(`${key}.${path}`);
  }
  return paths;
}

/**
 * The ids of the state nodes active in a state value, outermost first, without the root:
 * `activeStateIds('conversation', { thinking: 'requesting' })` gives
 * `['conversation.thinking', 'conversation.thinking.requesting']`.
 */
export function activeStateIds(rootId: string, value: unknown): string[] {
  const ids = new Set<string>();
  for (const path of statePaths(value)) {
    const keys = path.split('.');
    for (let i = 1; i <= keys.length; i++) ids.add(`${rootId}.${keys.slice(0, i).join('.')}`);
  }
  return [...ids];
}

/**
 * The state path a log implies (`replayEvents`' `state`), made as precise as the log
 * allows: status `idle` is entered in `idle.ready`, status `paused` in `paused.manual`.
 */
export function derivedStatePath(state: DerivedState): string {
  if (state === 'idle') return 'idle.ready';
  if (state === 'paused') return 'paused.manual';
  return state;
}
