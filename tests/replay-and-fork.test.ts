import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  Conversation,
  defineTool,
  FileEventStore,
  FORKED_BEFORE_RESULT_MESSAGE,
  InvalidForkPointError,
  snapshotProjection,
  type AnyToolDefinition,
} from '../src/index.js';
import { ScriptedLLM, type ScriptedTurn } from '../src/testing/index.js';
import { deferred } from './helpers/deferred.js';
import {
  echoTool,
  expectContiguous,
  gatedTool,
  nextEvent,
  userTexts,
} from './helpers/conversation.js';
import { collectingLogger, readEventsFile, tempDirs } from './helpers/persistence.js';

const dirs = tempDirs();
let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
  await dirs.cleanup();
});

function persisted(dir: string, turns: ScriptedTurn[], tools: AnyToolDefinition[] = [echoTool]) {
  const llm = new ScriptedLLM(turns, { costPerCall: 0.1 });
  const conversation = new Conversation({
    agent: new Agent({ llm, tools }),
    store: new FileEventStore(dir, { logger: collectingLogger() }),
    visualizer: false,
  });
  open.push(conversation);
  return { conversation, llm };
}

const taskTool = defineTool({
  name: 'tasks',
  description: 'Keeps a task list',
  parameters: z.object({ tasks: z.array(z.string()) }),
  execute: ({ tasks }) => ({ content: `${tasks.length} tasks`, data: { tasks } }),
});

describe('Conversation.replay', () => {
  it('yields the state after each event; the last step is the live run’s final state', async () => {
    const dir = await dirs.make();
    const gate = deferred();
    const slow = gatedTool();
    const { conversation } = persisted(
      dir,
      [
        ScriptedLLM.call('tasks', { tasks: ['write', 'test'] }),
        ScriptedLLM.call('slow'),
        { content: 'Thinking it over.', delay: gate.promise },
        ScriptedLLM.finish('All done.'),
      ],
      [taskTool, slow.tool],
    );
    conversation.sendMessage('start');
    const done = conversation.run();
    await slow.started();
    conversation.sendMessage('a steer while acting');
    const retracted = conversation.sendMessage('never mind', { delivery: 'queue' });
    conversation.retractMessage(retracted.id);
    slow.release('slow result');
    await nextEvent(conversation, (e) => e.kind === 'message_delivered' && e.seq > 10);
    conversation.sendMessage('one more, queued', { delivery: 'queue' });
    gate.resolve();
    expect(await done).toMatchObject({ status: 'finished' });
    const live = snapshotProjection(conversation.state);
    await conversation.close();

    const file = join(dir, conversation.id, 'events.jsonl');
    const steps = await Conversation.replay(file);
    expect(steps).toHaveLength(conversation.events.length);
    steps.forEach((step, i) => {
      expect(step.seq).toBe(i);
      expect(step.event).toEqual(conversation.events[i]);
    });
    const last = steps.at(-1)!;
    const { event: _event, seq: _seq, ...finalState } = last;
    expect(finalState).toEqual(live);
    expect(last.status).toBe('finished');
    expect(last.toolData).toEqual({
      tasks: { tasks: ['write', 'test'] },
      finish: { finished: true },
    });
    expect(last.metrics.cost).toBeCloseTo(0.4); // four model calls at $0.1

    // The machine's states along the way, and independent copies per step.
    const states = new Set(steps.map((s) => s.state));
    expect(states).toEqual(new Set(['idle', 'thinking', 'acting', 'idle.finished']));
    const whileSlow = steps.find((s) => s.event.kind === 'action' && s.event.toolName === 'slow')!;
    expect(whileSlow.state).toBe('acting');
    expect(whileSlow.openActions.map((a) => a.toolName)).toEqual(['slow']);
    expect(whileSlow.messages.length).toBeLessThan(last.messages.length);
    const pendingAtSomePoint = steps.find((s) => s.pendingMessages.length === 2)!;
    expect(pendingAtSomePoint.pendingMessages.map((m) => m.content)).toEqual([
      'a steer while acting',
      'never mind',
    ]);

    // The directory works as the log path too.
    expect(await Conversation.replay(join(dir, conversation.id))).toEqual(steps);
  });
});

describe('conversation.fork', () => {
  it('by default copies the whole log into a new conversation (new id, idle); the source is unchanged', async () => {
    const dir = await dirs.make();
    const { conversation } = persisted(dir, [ScriptedLLM.call('echo', { text: 'x' }), 'Done.']);
    conversation.sendMessage('go');
    await conversation.run();
    const sourceFile = join(dir, conversation.id, 'events.jsonl');
    const sourceEvents = [...conversation.events];

    const fork = await conversation.fork();
    open.push(fork);
    expect(fork.id).not.toBe(conversation.id);
    expect(fork.status).toBe('idle');
    expect(fork.events.slice(0, sourceEvents.length)).toEqual(sourceEvents);
    // Only the status change to idle follows the copy (the source had finished).
    expect(fork.events.slice(sourceEvents.length)).toMatchObject([
      { kind: 'state_update', status: 'idle', previous: 'finished' },
    ]);
    expect(conversation.events).toEqual(sourceEvents);
    await conversation.close();
    expect(await readEventsFile(sourceFile)).toEqual(sourceEvents);

    const forkDir = join(dir, fork.id);
    const meta = JSON.parse(readFileSync(join(forkDir, 'meta.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({
      conversationId: fork.id,
      forkedFrom: { conversationId: conversation.id, atSeq: sourceEvents.length - 1 },
    });
    await fork.close();
    expect(await readEventsFile(join(forkDir, 'events.jsonl'))).toEqual(fork.events);
  });

  it('at a seq inside a tool call: the fork closes the open action and diverges on its own', async () => {
    const dir = await dirs.make();
    const slow = gatedTool();
    const { conversation } = persisted(
      dir,
      [ScriptedLLM.call('slow'), 'Source done.'],
      [slow.tool],
    );
    conversation.sendMessage('go');
    const done = conversation.run();
    await slow.started();
    const action = conversation.events.find((e) => e.kind === 'action')!;

    const fork = await conversation.fork({ atSeq: action.seq });
    open.push(fork);
    expect(fork.events.slice(0, action.seq + 1)).toEqual(
      conversation.events.slice(0, action.seq + 1),
    );
    expect(fork.events.slice(action.seq + 1)).toMatchObject([
      {
        kind: 'observation',
        actionId: action.id,
        isError: true,
        content: FORKED_BEFORE_RESULT_MESSAGE,
      },
      { kind: 'state_update', status: 'idle' },
    ]);
    expect(fork.status).toBe('idle');

    // The source goes on as if nothing happened.
    slow.release('real result');
    expect(await done).toMatchObject({ status: 'finished' });

    // The fork takes another path from the same history (it shares the agent, and so this
    // scripted model, whose source turns are used up).
    fork.sendMessage('try something else');
    const forkLlm = fork.agent.llm as ScriptedLLM;
    forkLlm.push('Fork done.');
    expect(await fork.run()).toMatchObject({ status: 'finished' });
    const forkEvents = await fork
      .close()
      .then(() => readEventsFile(join(dir, fork.id, 'events.jsonl')));
    expectContiguous(forkEvents);
    expect(forkEvents.some((e) => e.kind === 'observation' && e.content === 'real result')).toBe(
      false,
    );
    expect(
      conversation.events.some((e) => e.kind === 'observation' && e.content === 'real result'),
    ).toBe(true);
  });

  it('a closed conversation can still be forked', async () => {
    const dir = await dirs.make();
    const { conversation } = persisted(dir, ['Done.']);
    conversation.sendMessage('go');
    await conversation.run();
    await conversation.close();
    const fork = await conversation.fork({ atSeq: 1 });
    open.push(fork);
    expect(fork.events.map((e) => e.kind)).toEqual(['system_prompt', 'message']);
    expect(fork.pendingMessages.map((m) => m.content)).toEqual(['go']);
  });

  it('keeps messages that were pending at the fork point pending; they are read by the fork’s first run', async () => {
    const { conversation, llm } = inMemory(['Read.', 'Fork read.']);
    conversation.sendMessage('unread');
    const fork = await conversation.fork();
    open.push(fork);
    expect(fork.pendingMessages.map((m) => m.content)).toEqual(['unread']);
    await fork.run();
    expect(userTexts(llm.requests[0]!)).toEqual(['unread']);
    expect(conversation.pendingMessages.map((m) => m.content)).toEqual(['unread']);
  });

  it('rejects a fork point outside the log with InvalidForkPointError', async () => {
    const { conversation } = inMemory([]);
    const last = conversation.events.length - 1;
    for (const atSeq of [-1, 1.5, last + 1]) {
      await expect(conversation.fork({ atSeq })).rejects.toBeInstanceOf(InvalidForkPointError);
    }
    await expect(conversation.fork({ atSeq: last + 1 })).rejects.toThrow(`0 to ${last}`);
  });
});

function inMemory(turns: ScriptedTurn[]) {
  const llm = new ScriptedLLM(turns);
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [echoTool] }),
    visualizer: false,
  });
  open.push(conversation);
  return { conversation, llm };
}
