import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  AlwaysConfirm,
  Conversation,
  type ConversationEvent,
  defineTool,
  FileEventStore,
  type AnyToolDefinition,
  PROCESS_STOPPED_MESSAGE,
  PROCESS_STOPPED_NOT_RUN_MESSAGE,
  readTaskList,
  snapshotProjection,
  TaskTrackerTool,
} from '../src/index.js';
import { ScriptedLLM, type ScriptedTurn } from '../src/testing/index.js';
import { deferred } from './helpers/deferred.js';
import {
  echoTool,
  gatedTool,
  expectContiguous,
  toolTexts,
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

/** A conversation persisted in `dir` under id `c1`. */
function persisted(
  dir: string,
  turns: ScriptedTurn[],
  tools: AnyToolDefinition[] = [echoTool],
  store = new FileEventStore(dir, { logger: collectingLogger() }),
) {
  const llm = new ScriptedLLM(turns, { costPerCall: 0.25 });
  const conversation = new Conversation({
    agent: new Agent({ llm, tools }),
    store,
    conversationId: 'c1',
    visualizer: false,
  });
  open.push(conversation);
  return { conversation, llm, store };
}

const taskTool = defineTool({
  name: 'tasks',
  description: 'Keeps a task list',
  parameters: z.object({ tasks: z.array(z.string()) }),
  execute: ({ tasks }) => ({ content: `${tasks.length} tasks`, data: { tasks } }),
});

describe('resume from a file log', () => {
  it('a closed conversation reopens with its context, metrics, tool data and status, and continues', async () => {
    const dir = await dirs.make();
    const first = persisted(
      dir,
      [ScriptedLLM.call('tasks', { tasks: ['a', 'b'] }), 'Planned.'],
      [taskTool],
    );
    first.conversation.sendMessage('plan');
    await first.conversation.run();
    const live = snapshotProjection(first.conversation.state);
    const liveEvents = [...first.conversation.events];
    await first.conversation.close();

    const second = persisted(dir, ['Continuing.'], [taskTool]);
    expect(second.conversation.events).toEqual(liveEvents);
    expect(second.conversation.status).toBe('finished');
    expect(snapshotProjection(second.conversation.state)).toEqual(live);
    expect(second.conversation.state.toolData.get('tasks')).toEqual({ tasks: ['a', 'b'] });
    expect(second.conversation.state.metrics.cost).toBe(0.5);

    second.conversation.sendMessage('go on');
    expect(await second.conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(userTexts(second.llm.requests[0]!)).toEqual(['plan', 'go on']);
    expect(toolTexts(second.llm.requests[0]!)).toEqual(['2 tasks']);
    await second.conversation.close();
    const onDisk = await readEventsFile(join(dir, 'c1', 'events.jsonl'));
    expectContiguous(onDisk);
    expect(onDisk).toEqual(second.conversation.events);
  });

  it('the built-in task tracker’s list survives: it lives in the log', async () => {
    const dir = await dirs.make();
    const plan = [
      { title: 'Write the parser', status: 'in_progress' },
      { title: 'Test it', status: 'todo' },
    ];
    const first = persisted(
      dir,
      [ScriptedLLM.call('task_tracker', { command: 'plan', task_list: plan }), 'Planned.'],
      [TaskTrackerTool],
    );
    first.conversation.sendMessage('plan the work');
    await first.conversation.run();
    const tasks = readTaskList(first.conversation.events);
    expect(tasks.map((t) => t.title)).toEqual(['Write the parser', 'Test it']);
    await first.conversation.close();

    const second = persisted(
      dir,
      [ScriptedLLM.call('task_tracker', { command: 'view' }), 'Still planned.'],
      [TaskTrackerTool],
    );
    expect(second.conversation.state.toolData.get('task_tracker')).toMatchObject({ tasks });
    second.conversation.sendMessage('where are we?');
    await second.conversation.run();
    expect(toolTexts(second.llm.requests[1]!).at(-1)).toContain('Write the parser');
    expect(readTaskList(second.conversation.events)).toEqual(tasks);
  });

  it('a message logged but never read is pending after resume and read on the next thinking', async () => {
    const dir = await dirs.make();
    const first = persisted(dir, []);
    const { id, outcome } = first.conversation.sendMessage('read me later');
    await first.conversation.close();
    expect(await outcome).toEqual({ status: 'discarded', reason: 'conversation closed' });

    const second = persisted(dir, ['Read it.']);
    expect(second.conversation.pendingMessages.map((m) => m.id)).toEqual([id]);
    await second.conversation.run();
    expect(userTexts(second.llm.requests[0]!)).toEqual(['read me later']);
    expect(second.conversation.state.messageStates.get(id)).toMatchObject({ status: 'delivered' });
  });

  it('paused in the middle of a batch: resume runs the rest of the batch', async () => {
    const dir = await dirs.make();
    const slow = gatedTool();
    const batch = { toolCalls: [{ name: 'slow' }, { name: 'slow' }] };
    const first = persisted(dir, [batch], [slow.tool]);
    first.conversation.sendMessage('go');
    void first.conversation.run();
    await slow.started();
    const pausing = first.conversation.pause();
    slow.release('first result');
    await pausing;
    await first.conversation.close();

    const again = gatedTool();
    const second = persisted(dir, ['All done.'], [again.tool]);
    expect(second.conversation.status).toBe('paused');
    const done = second.conversation.run();
    await again.started();
    again.release('second result');
    expect(await done).toEqual({ status: 'finished', iterations: 1 });
    expect(toolTexts(second.llm.requests[0]!)).toEqual(['first result', 'second result']);
  });

  it('waiting for confirmation: the actions are still pending after resume; run() approves them', async () => {
    const dir = await dirs.make();
    const first = persisted(dir, [ScriptedLLM.call('echo', { text: 'risky' })]);
    first.conversation.setConfirmationPolicy(AlwaysConfirm);
    first.conversation.sendMessage('go');
    expect(await first.conversation.run()).toMatchObject({ status: 'waiting_for_confirmation' });
    await first.conversation.close();

    const second = persisted(dir, ['Done.']);
    expect(second.conversation.status).toBe('waiting_for_confirmation');
    expect(second.conversation.events.some((e) => e.kind === 'observation')).toBe(false);
    expect(await second.conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(toolTexts(second.llm.requests[0]!)).toEqual(['echo: risky']);
  });

  it('a batch cut by a crash: the running action says the process stopped, the rest say they never ran', async () => {
    const dir = await dirs.make();
    const store = new FileEventStore(dir, { logger: collectingLogger() });
    const slow = gatedTool();
    const first = persisted(
      dir,
      [{ toolCalls: [{ name: 'slow' }, { name: 'slow' }] }],
      [slow.tool],
      store,
    );
    const actionsStored = deferred();
    let stored = 0;
    store.subscribe('c1', (event: ConversationEvent) => {
      if (event.kind === 'action' && ++stored === 2) actionsStored.resolve();
    });
    first.conversation.sendMessage('go');
    const running = first.conversation.run();
    await slow.started();
    await actionsStored.promise;
    // The files as a crash at this moment would leave them, copied to another directory.
    const crashed = await dirs.make();
    mkdirSync(join(crashed, 'c1'));
    for (const name of ['events.jsonl', 'meta.json']) {
      copyFileSync(join(dir, 'c1', name), join(crashed, 'c1', name));
    }

    const second = persisted(crashed, ['Recovered.'], [gatedTool().tool]);
    const observations = second.conversation.events.filter((e) => e.kind === 'observation');
    expect(observations.map((o) => [o.content, o.isError])).toEqual([
      [PROCESS_STOPPED_MESSAGE, true],
      [PROCESS_STOPPED_NOT_RUN_MESSAGE, true],
    ]);
    expect(second.conversation.status).toBe('idle');
    expect(await second.conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    const ended = expect(running).rejects.toThrow(/closed/);
    await first.conversation.close();
    await ended;
  });

  it('a model error is remembered: status error after resume; run() again continues', async () => {
    const dir = await dirs.make();
    const first = persisted(dir, [{ error: new Error('provider down') }]);
    first.conversation.sendMessage('go');
    await expect(first.conversation.run()).rejects.toThrow('provider down');
    await first.conversation.close();

    const second = persisted(dir, ['Back.']);
    expect(second.conversation.status).toBe('error');
    expect(await second.conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(userTexts(second.llm.requests[0]!)).toEqual(['go']);
  });
});
