import { execFile } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Agent } from '../src/agent/agent.js';
import { INTERRUPTED_MESSAGE } from '../src/actors/execute-tool.js';
import { Conversation } from '../src/conversation/conversation.js';
import { ScriptedLLM } from '../src/testing/scripted-llm.js';
import { TerminalTool } from '../src/tools/terminal/terminal-tool.js';
import { nextEvent } from './helpers/conversation.js';
import { liveProcesses, liveProcessesOnce } from './helpers/processes.js';

let workspace: string;
let conversation: Conversation | undefined;
beforeEach(async () => {
  workspace = await realpath(await mkdtemp(path.join(tmpdir(), 'steerable-conv-')));
  await promisify(execFile)('mkfifo', [path.join(workspace, 'sync')]);
});
afterEach(async () => {
  await conversation?.close();
  await rm(workspace, { recursive: true, force: true });
});

/** A conversation whose model runs `command` in the terminal, then finishes. */
function converse(command: string): Conversation {
  const llm = new ScriptedLLM([
    ScriptedLLM.call('terminal', { command, timeout: 600 }),
    ScriptedLLM.finish(),
  ]);
  conversation = new Conversation({
    agent: new Agent({ llm, tools: [TerminalTool] }),
    workspace,
    visualizer: false,
  });
  conversation.sendMessage('go');
  return conversation;
}

/** The pids the command wrote to the `sync` fifo, once it runs (blocks until then). */
async function startedPids(): Promise<number[]> {
  const text = await readFile(path.join(workspace, 'sync'), 'utf8');
  return text.trim().split(/\s+/).map(Number);
}

it('interrupt() during a terminal call stops the command; background jobs live until close()', async () => {
  const c = converse('sleep 987001 & echo "$! $$" > sync; sleep 987002');
  const running = c.run();
  const [background] = await startedPids();
  expect(await liveProcessesOnce((p) => p.command === 'sleep 987002', 1)).toHaveLength(1);

  await c.interrupt();
  const observation = await nextEvent(
    c,
    (e) => e.kind === 'observation' && e.toolName === 'terminal',
  );
  expect(observation).toMatchObject({ isError: true, content: INTERRUPTED_MESSAGE });
  expect(await liveProcesses((p) => p.command === 'sleep 987002')).toEqual([]);
  // A job put in the background stays, as in a terminal: it is not part of the command.
  expect(await liveProcesses((p) => p.pid === background)).toHaveLength(1);

  expect(await running).toMatchObject({ status: 'paused' });
  expect(await c.run()).toMatchObject({ status: 'finished' });
  await c.close();
  expect(await liveProcesses((p) => p.pid === background)).toEqual([]);
});

it('close() during a terminal call leaves no process of the session behind', async () => {
  const c = converse(
    'sleep 987011 & nohup sleep 987012 >/dev/null 2>&1 & (sleep 987013 &); echo "$$" > sync; sleep 987014',
  );
  const running = c.run().catch((error: unknown) => error);
  const [shell] = await startedPids();
  const before = await liveProcessesOnce(
    (p) => p.sid === shell && p.command.startsWith('sleep 9870'),
    4,
  );
  expect(before).toHaveLength(4);

  await c.close();
  expect(await running).toMatchObject({ name: 'ConversationClosedError' });
  expect(await liveProcesses((p) => p.sid === shell)).toEqual([]);
  expect(await liveProcesses((p) => /^sleep 9870(11|12|13|14)$/.test(p.command))).toEqual([]);
});
