import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runSeedDemo } from '../src/cli/demo.js';
import type { Conversation } from '../src/conversation/conversation.js';
import type { ConversationEvent } from '../src/events/schema.js';
import { nextEvent } from './helpers/conversation.js';

let workspace: string | undefined;
afterEach(async () => {
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

const isSleepAction = (e: ConversationEvent) =>
  e.kind === 'action' &&
  e.toolName === 'terminal' &&
  /^sleep /.test(String((e.arguments as { command?: unknown }).command));

it('the seed demo: a message sent during the real `sleep 3` is written as line 3 before the agent finishes', async () => {
  workspace = await mkdtemp(join(tmpdir(), 'seed-demo-'));
  const lines: string[] = [];
  let conversation: Conversation | undefined;
  const result = await runSeedDemo({
    workspace,
    visualizer: false,
    print: (line) => lines.push(line),
    // Send exactly when the terminal starts the sleep: no clock involved.
    sendWhen: (c) => {
      conversation = c;
      return nextEvent(c, isSleepAction);
    },
  });

  expect(result.success).toBe(true);
  const document = result.document.trim().split('\n');
  expect(document).toHaveLength(3);
  expect(document[0]).toMatch(/^Message 1 sent at \d\d:\d\d:\d\d, written at \d\d:\d\d:\d\d\.$/);
  expect(document[1]).toMatch(/^Message 2 sent at \d\d:\d\d:\d\d, written at \d\d:\d\d:\d\d\.$/);
  expect(document[2]).toMatch(/^Message 3 sent at \d\d:\d\d:\d\d, written at \d\d:\d\d:\d\d\.$/);
  expect(await readFile(join(workspace, 'document.txt'), 'utf8')).toBe(result.document);
  expect(lines.join('\n')).toContain('SUCCESS');
  expect(lines.join('\n')).toMatch(/EXAMPLE_COST: \d/);

  // The real tools did the work: the file editor wrote, the terminal slept 3 s.
  const events = conversation?.events ?? [];
  const sleep = events.find(isSleepAction);
  expect(sleep?.kind === 'action' && sleep.arguments).toMatchObject({ command: 'sleep 3' });
  const slept = events.find((e) => e.kind === 'observation' && e.actionId === sleep?.id);
  expect(slept).toMatchObject({ isError: false, data: { exitCode: 0 } });
  const editorCalls = events.filter((e) => e.kind === 'action' && e.toolName === 'file_editor');
  expect(editorCalls.map((e) => (e.kind === 'action' ? e.arguments : null))).toMatchObject([
    { command: 'create', path: 'document.txt' },
    { command: 'insert', insert_line: 1 },
    { command: 'insert', insert_line: 2 },
  ]);
  // The second message arrived while the sleep was running.
  const second = events.find(
    (e) => e.kind === 'message' && e.role === 'user' && e.content.includes('Message 3'),
  );
  expect(second?.seq).toBeGreaterThan(sleep?.seq ?? Infinity);
  expect(second?.seq).toBeLessThan(slept?.seq ?? -Infinity);
});

it('without the second message in its requests, the scripted model writes no line 3', async () => {
  workspace = await mkdtemp(join(tmpdir(), 'seed-demo-'));
  const lines: string[] = [];
  const result = await runSeedDemo({
    workspace,
    waitSeconds: 0,
    visualizer: false,
    print: (line) => lines.push(line),
    // Send only after the run has finished: the model never sees the message.
    sendWhen: (c) => nextEvent(c, (e) => e.kind === 'state_update' && e.status === 'finished'),
  });
  expect(result.success).toBe(false);
  expect(result.document.trim().split('\n')).toHaveLength(2);
  expect(result.document).not.toContain('Message 3');
  expect(lines.join('\n')).toContain('FAILURE');
});
