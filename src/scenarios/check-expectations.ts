import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessageState } from '../events/projection.js';
import type { ConversationEvent, ConversationStatus } from '../events/schema.js';
import { describeMatcher, matchesEvent } from './match-event.js';
import type { FileExpectation, ScenarioExpectations } from './schema/expect-schema.js';

/** What a scenario run left behind, as the expectations see it. */
export interface RunOutcome {
  status: ConversationStatus;
  events: readonly ConversationEvent[];
  modelCalls: number;
  messageStates: ReadonlyMap<string, MessageState>;
  workspace: string;
}

/**
 * Checks a run against `expect`; returns one readable line per failed expectation
 * (empty when everything holds).
 */
export async function checkExpectations(
  expect: ScenarioExpectations,
  outcome: RunOutcome,
): Promise<string[]> {
  const failures: string[] = [];
  if (expect.status !== undefined && expect.status !== outcome.status) {
    failures.push(`expect.status: expected "${expect.status}", got "${outcome.status}"`);
  }
  if (expect.modelCalls !== undefined && expect.modelCalls !== outcome.modelCalls) {
    failures.push(
      `expect.modelCalls: expected ${expect.modelCalls} model calls, got ${outcome.modelCalls}`,
    );
  }
  failures.push(...checkEventOrder(expect.events ?? [], outcome.events));
  (expect.noEvents ?? []).forEach((matcher, i) => {
    const found = outcome.events.find((event) => matchesEvent(matcher, event));
    if (found) {
      failures.push(
        `expect.noEvents[${i}]: ${describeMatcher(matcher)} matched event #${found.seq} (${found.kind})`,
      );
    }
  });
  for (const [id, expected] of Object.entries(expect.outcomes ?? {})) {
    const actual = outcome.messageStates.get(id)?.status ?? 'never sent';
    if (actual !== expected) {
      failures.push(`expect.outcomes.${id}: expected "${expected}", got "${actual}"`);
    }
  }
  for (const [path, expected] of Object.entries(expect.files ?? {})) {
    failures.push(...(await checkFile(outcome.workspace, path, expected)));
  }
  return failures;
}

/** The patterns must match events in this order; other events may come between. */
function checkEventOrder(
  matchers: NonNullable<ScenarioExpectations['events']>,
  events: readonly ConversationEvent[],
): string[] {
  let from = 0;
  for (let i = 0; i < matchers.length; i++) {
    const matcher = matchers[i]!;
    const index = events.findIndex((event, at) => at >= from && matchesEvent(matcher, event));
    if (index < 0) {
      const earlier = events.slice(0, from).find((event) => matchesEvent(matcher, event));
      const after = i === 0 ? 'in the log' : `after event #${from - 1} (expect.events[${i - 1}])`;
      const hint = earlier ? `; it matches the earlier event #${earlier.seq}` : '';
      return [`expect.events[${i}]: ${describeMatcher(matcher)} not found ${after}${hint}`];
    }
    from = index + 1;
  }
  return [];
}

async function checkFile(
  workspace: string,
  path: string,
  expected: FileExpectation,
): Promise<string[]> {
  const where = `expect.files["${path}"]`;
  let text: string | undefined;
  try {
    text = await readFile(join(workspace, path), 'utf8');
  } catch {
    text = undefined;
  }
  if (expected.exists === false) {
    return text === undefined ? [] : [`${where}: the file exists, expected none`];
  }
  if (text === undefined) return [`${where}: no such file in the workspace`];
  const failures: string[] = [];
  if (expected.equals !== undefined && text !== expected.equals) {
    failures.push(
      `${where}: expected exactly ${JSON.stringify(expected.equals)}, got ${JSON.stringify(text)}`,
    );
  }
  for (const part of expected.contains ?? []) {
    if (!text.includes(part)) {
      failures.push(
        `${where}: does not contain ${JSON.stringify(part)} (it holds ${JSON.stringify(excerpt(text))})`,
      );
    }
  }
  for (const part of expected.notContains ?? []) {
    if (text.includes(part)) failures.push(`${where}: contains ${JSON.stringify(part)}`);
  }
  return failures;
}

function excerpt(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
