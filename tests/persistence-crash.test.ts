import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  Conversation,
  type ConversationEvent,
  ConversationProjection,
  defineTool,
  FileEventStore,
  type LLMRequest,
  parseEventLines,
  PROCESS_STOPPED_MESSAGE,
} from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { echoTool, expectContiguous, toolTexts, userTexts } from './helpers/conversation.js';
import {
  type ChildMessage,
  isRunning,
  killAllChildren,
  spawnTsx,
} from './helpers/child-process.js';
import type { CrashChildConfig } from './helpers/crash-child.js';
import { collectingLogger, readEventsFile, tempDirs } from './helpers/persistence.js';

const CHILD = join(import.meta.dirname, 'helpers', 'crash-child.ts');
const dirs = tempDirs();
let open: Conversation[] = [];
/** What each crashed child reported (to end its terminal's processes). */
const crashed: ChildMessage[][] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
  await killAllChildren();
  for (const messages of crashed.splice(0)) killTerminalLeftovers(messages);
  await dirs.cleanup();
});

interface Crash {
  dir: string;
  file: string;
  /** The log as the killed process left it. */
  before: ConversationEvent[];
  /** Everything the child reported. */
  messages: ChildMessage[];
}

/** Runs the child until its kill point, waits until `durable` events are on disk, then SIGKILLs it. */
async function crash(
  config: Omit<CrashChildConfig, 'dir' | 'conversationId'>,
  mustBeDurable: (messages: ChildMessage[]) => Array<(m: ChildMessage) => boolean>,
): Promise<Crash> {
  const dir = await dirs.make('crash-');
  const child = spawnTsx(CHILD, [JSON.stringify({ ...config, dir, conversationId: 'c1' })]);
  crashed.push(child.messages);
  await child.waitFor((m) => m.atKillPoint === true);
  for (const match of mustBeDurable(child.messages)) await child.waitFor(match);
  child.killGroup();
  const { signal } = await child.exited;
  expect(signal).toBe('SIGKILL');
  const file = join(dir, 'c1', 'events.jsonl');
  const before = parseEventLines(readFileSync(file, 'utf8'), file).events;
  // Everything reported durable before the kill is in the file.
  for (const m of child.messages.filter((m) => typeof m.durable === 'number')) {
    expect(before[m.durable as number]?.id).toBe(m.id);
  }
  killTerminalLeftovers(child.messages);
  return { dir, file, before, messages: child.messages };
}

/**
 * The terminal runs its shell detached (its own session, for job control), so SIGKILL of
 * the conversation's process leaves `script`, `bash` and the `sleep` running until the
 * command ends. Ends them here, so the test leaves no process behind.
 */
function killTerminalLeftovers(messages: ChildMessage[]): void {
  const pids = messages.find((m) => m.shellPid !== undefined);
  if (!pids) return;
  const shellPid = pids.shellPid as number;
  const hostPid = parentOf(shellPid);
  for (const pid of [pids.sleepPid as number, shellPid, hostPid]) {
    if (pid === undefined || !isRunning(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Resumes the crashed conversation in this process; the model finishes on its first request. */
function resume(dir: string) {
  // Stands in for the terminal: records any call (none may come: nothing is re-run).
  const terminalCalls: unknown[] = [];
  const terminal = defineTool({
    name: 'terminal',
    description: 'Runs a command',
    parameters: z.object({ command: z.string(), timeout: z.number().optional() }),
    execute: (args) => {
      terminalCalls.push(args);
      return 'should not run again';
    },
  });
  const llm = new ScriptedLLM([ScriptedLLM.finish('Resumed and done.')]);
  const logger = collectingLogger();
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [terminal, echoTool] }),
    store: new FileEventStore(dir, { logger }),
    conversationId: 'c1',
    visualizer: false,
  });
  open.push(conversation);
  return { conversation, llm, terminalCalls, logger };
}

/** After the resumed run: the file and the conversation agree, seq has no gap or duplicate. */
async function expectSoundLog(
  conversation: Conversation,
  file: string,
  before: ConversationEvent[],
) {
  await conversation.close();
  const after = await readEventsFile(file);
  expectContiguous(after);
  expect(new Set(after.map((e) => e.id)).size).toBe(after.length);
  expect(after).toEqual(conversation.events);
  expect(after.slice(0, before.length)).toEqual(before);
}

function durableAction(toolName: string) {
  return (m: ChildMessage) => m.kind === 'action' && m.toolName === toolName;
}

function durableIds(ids: unknown[]) {
  return ids.map((id) => (m: ChildMessage) => m.durable !== undefined && m.id === id);
}

describe('SIGKILL, then resume in a new process', () => {
  it('killed while `sleep` runs in the terminal: the action gets an error observation, nothing is lost, the run finishes', async () => {
    const { dir, file, before } = await crash({ scenario: 'tool' }, () => [
      durableAction('terminal'),
    ]);
    const sleepAction = before.find((e) => e.kind === 'action' && e.toolName === 'terminal')!;
    expect(before.some((e) => e.kind === 'observation' && e.actionId === sleepAction.id)).toBe(
      false,
    );

    const { conversation, llm, terminalCalls, logger } = resume(dir);
    expect(conversation.events.slice(0, before.length)).toEqual(before);
    const observation = conversation.events.find(
      (e) => e.kind === 'observation' && e.actionId === sleepAction.id,
    );
    expect(observation).toMatchObject({ isError: true, content: PROCESS_STOPPED_MESSAGE });
    expect(conversation.status).toBe('idle');
    expect(logger.warnings).toEqual([]);

    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(terminalCalls).toEqual([]); // the command is not silently re-run
    expect(toolTexts(llm.requests[0]!)).toEqual(['echo: first', PROCESS_STOPPED_MESSAGE]);
    await expectSoundLog(conversation, file, before);
  });

  it('killed during thinking: the model gets the same context again and the run finishes', async () => {
    const { dir, file, before } = await crash({ scenario: 'thinking' }, () => [
      (m) => m.kind === 'observation',
    ]);
    const { conversation, llm } = resume(dir);
    expect(conversation.events.slice(0, before.length)).toEqual(before);
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    // What the killed process's model call was asked, it is asked again.
    expect(llm.requests[0]!.messages).toEqual(ConversationProjection.from(before).messages);
    expect(toolTexts(llm.requests[0]!)).toEqual(['echo: first']);
    await expectSoundLog(conversation, file, before);
  });

  it('user messages sent just before a kill during a tool call are read on the next thinking', async () => {
    const texts = ['Also check the logs.', 'And then stop.'];
    const { dir, file, before, messages } = await crash(
      { scenario: 'tool', messagesAtKillPoint: texts },
      (messages) => [
        durableAction('terminal'),
        ...durableIds(messages.filter((m) => m.sent).map((m) => m.sent)),
      ],
    );
    const sent = messages.filter((m) => m.sent).map((m) => m.sent);
    expect(sent).toHaveLength(2);
    const { conversation, llm } = resume(dir);
    expect(conversation.pendingMessages.map((m) => m.id)).toEqual(sent);

    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    const request = llm.requests[0] as LLMRequest;
    expect(userTexts(request).slice(-2)).toEqual(texts);
    expect(toolTexts(request).at(-1)).toBe(PROCESS_STOPPED_MESSAGE);
    const delivered = conversation.events.find(
      (e) => e.kind === 'message_delivered' && e.seq >= before.length,
    );
    expect(delivered).toMatchObject({ messageIds: sent });
    await expectSoundLog(conversation, file, before);
  });

  it('user messages sent just before a kill during thinking are read on the next thinking', async () => {
    const texts = ['Use British spelling.'];
    const { dir, file, before, messages } = await crash(
      { scenario: 'thinking', messagesAtKillPoint: texts },
      (messages) => durableIds(messages.filter((m) => m.sent).map((m) => m.sent)),
    );
    const sent = messages.filter((m) => m.sent).map((m) => m.sent);
    const { conversation, llm } = resume(dir);
    expect(conversation.pendingMessages.map((m) => m.id)).toEqual(sent);
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(ScriptedLLM.lastUserMessage(llm.requests[0]!)).toBe(texts[0]);
    expect(llm.requests[0]!.messages.slice(0, -1)).toEqual(
      ConversationProjection.from(before).messages,
    );
    await expectSoundLog(conversation, file, before);
  });
});
