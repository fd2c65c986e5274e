import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolResult } from '../src/tools/define-tool.js';
import {
  readTaskList,
  type TaskTrackerArgs,
  TaskTrackerParameters,
  TaskTrackerTool,
} from '../src/tools/task-tracker.js';
import { ToolScope } from '../src/tools/tool-scope.js';
import { createToolEnv, type TestToolEnv } from './helpers/tool-context.js';

let env: TestToolEnv;
beforeEach(async () => {
  env = await createToolEnv();
});
afterEach(async () => {
  await env.cleanup();
});

/** Calls the tracker and appends its action and observation to the log, as a conversation does. */
async function track(args: TaskTrackerArgs): Promise<ToolResult> {
  const result = await TaskTrackerTool.execute(args, env.context());
  if (typeof result === 'string') throw new Error('the tracker returns results');
  const seq = env.events.length;
  const toolCallId = `call_${seq}`;
  const timestamp = new Date().toISOString();
  env.events.push(
    {
      id: `a${seq}`,
      seq,
      timestamp,
      source: 'agent',
      kind: 'action',
      toolName: 'task_tracker',
      toolCallId,
      arguments: args,
      rawArguments: JSON.stringify(args),
      responseId: `r${seq}`,
    },
    {
      id: `o${seq}`,
      seq: seq + 1,
      timestamp,
      source: 'environment',
      kind: 'observation',
      toolName: 'task_tracker',
      toolCallId,
      actionId: `a${seq}`,
      content: result.content,
      isError: result.isError ?? false,
      data: result.data,
    },
  );
  return result;
}

describe('TaskTrackerTool', () => {
  it('starts with no list', async () => {
    const result = await track({ command: 'view' });
    expect(result.content).toBe('No task list yet. Use the `plan` command to create one.');
    expect(result.data).toEqual({ command: 'view', tasks: [] });
  });

  it('plans a list, assigning ids and defaults, and returns it as data', async () => {
    const result = await track({
      command: 'plan',
      task_list: [
        { title: 'Read the code', status: 'done' },
        {
          title: 'Write the parser',
          status: 'in_progress',
          notes: 'start with numbers\nthen strings',
        },
        { title: 'Add tests' },
      ],
    });
    expect(result.data).toEqual({
      command: 'plan',
      tasks: [
        { id: '1', title: 'Read the code', notes: '', status: 'done' },
        {
          id: '2',
          title: 'Write the parser',
          notes: 'start with numbers\nthen strings',
          status: 'in_progress',
        },
        { id: '3', title: 'Add tests', notes: '', status: 'todo' },
      ],
    });
    expect(result.content).toBe(
      [
        'The task list was updated (3 tasks).',
        '',
        '# Task list (3 tasks: 1 done, 1 in progress, 1 to do)',
        '1. [done] Read the code (id 1)',
        '2. [in progress] Write the parser (id 2)',
        '   start with numbers',
        '   then strings',
        '3. [to do] Add tests (id 3)',
      ].join('\n'),
    );
  });

  it('reads the current list from the latest observation in the event log', async () => {
    await track({ command: 'plan', task_list: [{ title: 'A' }, { title: 'B' }] });
    await track({
      command: 'plan',
      task_list: [
        { id: '2', title: 'B', status: 'in_progress' },
        { id: '1', title: 'A', status: 'done' },
        { title: 'C' },
      ],
    });
    await track({
      command: 'plan',
      task_list: [
        { id: 'x', title: 'dup' },
        { id: 'x', title: 'dup' },
      ],
    });
    const view = await track({ command: 'view' });
    expect(view.data).toEqual({
      command: 'view',
      tasks: [
        { id: '2', title: 'B', notes: '', status: 'in_progress' },
        { id: '1', title: 'A', notes: '', status: 'done' },
        { id: '3', title: 'C', notes: '', status: 'todo' },
      ],
    });
    expect(readTaskList(env.events)).toEqual((view.data as { tasks: unknown }).tasks);
  });

  it('keeps the list only in the log: a new scope (a resumed conversation) sees it', async () => {
    await track({ command: 'plan', task_list: [{ title: 'Survive a restart' }] });
    const resumed = await TaskTrackerTool.execute(
      { command: 'view' },
      { ...env.context(), scope: new ToolScope(), events: [...env.events] },
    );
    expect(resumed).toMatchObject({ data: { tasks: [{ id: '1', title: 'Survive a restart' }] } });
    expect(
      await TaskTrackerTool.execute({ command: 'view' }, { ...env.context(), events: [] }),
    ).toMatchObject({ data: { tasks: [] } });
  });

  it('rejects duplicate ids and a plan without task_list, leaving the list unchanged', async () => {
    await track({ command: 'plan', task_list: [{ title: 'Keep me' }] });
    const duplicate = await track({
      command: 'plan',
      task_list: [{ id: '1', title: 'A' }, { title: 'B' }, { id: '1', title: 'C' }],
    });
    expect(duplicate).toMatchObject({
      isError: true,
      content:
        'Task ids must be unique: "1" appears more than once. The task list was not changed.',
    });
    const missing = await track({ command: 'plan' });
    expect(missing).toMatchObject({
      isError: true,
      content: 'Parameter `task_list` is required for command: plan.',
    });
    expect(readTaskList(env.events).map((t) => t.title)).toEqual(['Keep me']);
  });

  it('clears the list with an empty plan, and never reuses an id', async () => {
    await track({ command: 'plan', task_list: [{ title: 'A' }, { title: 'B' }] });
    const cleared = await track({ command: 'plan', task_list: [{ id: '2', title: 'B' }] });
    expect(cleared.content).toContain('The task list was updated (1 task).');
    const added = await track({
      command: 'plan',
      task_list: [{ id: '2', title: 'B' }, { title: 'D' }],
    });
    expect((added.data as { tasks: { id: string }[] }).tasks.map((t) => t.id)).toEqual(['2', '3']);
    expect((await track({ command: 'plan', task_list: [] })).content).toBe(
      'The task list was cleared.',
    );
    expect(readTaskList(env.events)).toEqual([]);
  });

  it('validates statuses and describes every parameter', () => {
    expect(
      TaskTrackerParameters.safeParse({
        command: 'plan',
        task_list: [{ title: 'x', status: 'blocked' }],
      }).success,
    ).toBe(false);
    expect(
      TaskTrackerParameters.safeParse({ command: 'plan', task_list: [{ title: '' }] }).success,
    ).toBe(false);
    expect(TaskTrackerTool.name).toBe('task_tracker');
    for (const field of Object.values(TaskTrackerParameters.shape)) {
      expect(field.description?.length).toBeGreaterThan(20);
    }
  });
});
