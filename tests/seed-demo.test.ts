import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runSeedDemo } from '../src/cli/demo.js';
import { nextEvent } from './helpers/conversation.js';

let workspace: string | undefined;
afterEach(async () => {
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

it('the seed demo: a message sent while the agent waits is written as line 3 before it finishes', async () => {
  workspace = await mkdtemp(join(tmpdir(), 'seed-demo-'));
  const lines: string[] = [];
  const result = await runSeedDemo({
    workspace,
    waitSeconds: 0,
    visualizer: false,
    print: (line) => lines.push(line),
    // Send exactly while the agent is in its wait: no clock involved.
    sendWhen: (conversation) =>
      nextEvent(conversation, (e) => e.kind === 'action' && e.toolName === 'wait'),
  });
  expect(result.success).toBe(true);
  const document = result.document.trim().split('\n');
  expect(document).toHaveLength(3);
  expect(document[0]).toMatch(/^Message 1 sent at \d\d:\d\d:\d\d, written at \d\d:\d\d:\d\d\.$/);
  expect(document[1]).toMatch(/^Message 2 sent at/);
  expect(document[2]).toMatch(/^Message 3 sent at/);
  expect(lines.join('\n')).toContain('SUCCESS');
});
