import { z } from 'zod';
import type { ConversationEvent } from '../events/schema.js';
import { defineTool, type ToolResult } from './define-tool.js';

/** The name the model calls the task tracker by. */
export const TASK_TRACKER_TOOL_NAME = 'task_tracker';

/** The status of a task. */
export const TaskStatus = z.enum(['todo', 'in_progress', 'done']);
/** The status of a task. */
export type TaskStatus = z.infer<typeof TaskStatus>;

/** A task as the model writes it in a `plan`. */
export const TaskInput = z.object({
  id: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The id of an existing task (keep it when you update the task). Omit it for a new task: one is assigned.',
    ),
  title: z.string().min(1).describe('A short, specific title of the task.'),
  notes: z.string().optional().describe('Optional details: approach, findings, blockers.'),
  status: TaskStatus.optional().describe(
    '`todo` (not started; the default), `in_progress` (being worked on now; keep one task at a time) or `done` (finished and verified).',
  ),
});

/** A task as the tracker keeps it. */
export const Task = z.object({
  id: z.string().min(1),
  title: z.string(),
  notes: z.string(),
  status: TaskStatus,
});
/** A task as the tracker keeps it. */
export type Task = z.infer<typeof Task>;

/** The observation `data` of the task tracker: the whole list after the call. */
export const TaskTrackerData = z.object({
  command: z.enum(['view', 'plan']),
  tasks: z.array(Task),
});
/** The observation `data` of the task tracker. */
export type TaskTrackerData = z.infer<typeof TaskTrackerData>;

/** The task tracker's parameters, as the model sees them. */
export const TaskTrackerParameters = z.object({
  command: z
    .enum(['view', 'plan'])
    .describe(
      '`view` shows the current task list. `plan` replaces the list with `task_list` (to add tasks, update statuses or notes, reorder or remove tasks). View the list before changing it.',
    ),
  task_list: z
    .array(TaskInput)
    .optional()
    .describe(
      'Required for `plan`: the complete new task list, in order. Tasks left out are removed; an empty list clears it.',
    ),
});

/** The task tracker's arguments. */
export type TaskTrackerArgs = z.infer<typeof TaskTrackerParameters>;

/**
 * The current task list of a conversation, read from its log: the `data` of the latest
 * successful `task_tracker` observation. The log is the only place the list lives, so it
 * survives a restart and follows a fork.
 *
 * @example
 * ```ts
 * const tasks = readTaskList(conversation.events);
 * ```
 */
export function readTaskList(
  events: readonly ConversationEvent[],
  toolName: string = TASK_TRACKER_TOOL_NAME,
): Task[] {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.kind !== 'observation' || event.toolName !== toolName || event.isError) continue;
    const parsed = TaskTrackerData.safeParse(event.data);
    if (parsed.success) return parsed.data.tasks;
  }
  return [];
}

const STATUS_LABEL: Record<TaskStatus, string> = {
  todo: 'to do',
  in_progress: 'in progress',
  done: 'done',
};

/** The task list as text for the model. */
export function formatTaskList(tasks: readonly Task[]): string {
  if (tasks.length === 0) return 'The task list is empty.';
  const counts = (['done', 'in_progress', 'todo'] as const)
    .map((status) => [status, tasks.filter((t) => t.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${STATUS_LABEL[status]}`);
  const lines = [`# Task list (${plural(tasks.length, 'task')}: ${counts.join(', ')})`];
  tasks.forEach((task, i) => {
    lines.push(`${i + 1}. [${STATUS_LABEL[task.status]}] ${task.title} (id ${task.id})`);
    if (task.notes) lines.push(...task.notes.split('\n').map((line) => `   ${line}`));
  });
  return lines.join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Gives tasks without an id the next free number (never reusing an id of the previous list). */
function assignIds(
  inputs: readonly z.infer<typeof TaskInput>[],
  previous: readonly Task[],
): Task[] {
  const numeric = [...previous, ...inputs]
    .map((task) => Number(task.id))
    .filter((n) => Number.isInteger(n) && n > 0);
  let next = Math.max(0, ...numeric) + 1;
  return inputs.map((input) => ({
    id: input.id ?? String(next++),
    title: input.title,
    notes: input.notes ?? '',
    status: input.status ?? 'todo',
  }));
}

const DESCRIPTION = `Keeps a task list for work with several steps: plan the work, mark progress, and keep track of what is left.

* \`view\` shows the current list; \`plan\` replaces it with \`task_list\` (send the complete list each time, with the ids of existing tasks).
* Statuses: \`todo\`, \`in_progress\` (one task at a time), \`done\` (only when it is finished and verified; keep it \`in_progress\` while tests fail or work remains).
* Use it for multi-step or multi-part requests, and update it as you go; for a single simple step, just do it.`;

/**
 * The built-in task tracker (`task_tracker`): `view` and `plan` over a list of tasks
 * (`id`, `title`, `notes`, `status`). The list is the observation's `data`, so it lives in
 * the conversation's event log (see `readTaskList`), not in memory.
 *
 * @example
 * ```ts
 * const agent = new Agent({ llm, tools: [TerminalTool, FileEditorTool, TaskTrackerTool] });
 * ```
 */
export const TaskTrackerTool = defineTool({
  name: TASK_TRACKER_TOOL_NAME,
  description: DESCRIPTION,
  parameters: TaskTrackerParameters,
  securityRisk: () => 'low',
  execute(args, ctx): ToolResult {
    const current = readTaskList(ctx.events);
    if (args.command === 'view') {
      const data: TaskTrackerData = { command: 'view', tasks: current };
      return {
        content:
          current.length === 0
            ? 'No task list yet. Use the `plan` command to create one.'
            : formatTaskList(current),
        data,
      };
    }
    if (args.task_list === undefined) {
      return {
        content: 'Parameter `task_list` is required for command: plan.',
        isError: true,
      };
    }
    const tasks = assignIds(args.task_list, current);
    const seen = new Set<string>();
    for (const task of tasks) {
      if (seen.has(task.id)) {
        return {
          content: `Task ids must be unique: "${task.id}" appears more than once. The task list was not changed.`,
          isError: true,
        };
      }
      seen.add(task.id);
    }
    const data: TaskTrackerData = { command: 'plan', tasks };
    return {
      content:
        tasks.length === 0
          ? 'The task list was cleared.'
          : `The task list was updated (${plural(tasks.length, 'task')}).\n\n${formatTaskList(tasks)}`,
      data,
    };
  },
});
