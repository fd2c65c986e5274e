import type { AnyToolDefinition } from '../tools/define-tool.js';
import { FileEditorTool } from '../tools/file-editor/file-editor-tool.js';
import { FINISH_TOOL_NAME } from '../tools/finish-tool.js';
import { TaskTrackerTool } from '../tools/task-tracker.js';
import { TerminalTool } from '../tools/terminal/terminal-tool.js';
import { EchoTool } from './tools/echo-tool.js';
import { WaitTool } from './tools/wait-tool.js';

/**
 * The tools a scenario file can name in `agent.tools`, by name: the built-in `terminal`,
 * `file_editor` and `task_tracker`, and two small ones for scripts, `echo` and `wait`.
 * `finish` is always there and is not listed. Pass more to `runScenario(…, { tools })` or `parseScenario(…, { tools })`.
 */
export const SCENARIO_TOOLS: ReadonlyMap<string, AnyToolDefinition> = new Map(
  [TerminalTool, FileEditorTool, TaskTrackerTool, EchoTool, WaitTool].map((tool) => [
    tool.name,
    tool,
  ]),
);

/** The registry with extra tools added (extra ones win on a name clash). */
export function toolRegistry(
  extra: Iterable<AnyToolDefinition> = [],
): ReadonlyMap<string, AnyToolDefinition> {
  const registry = new Map(SCENARIO_TOOLS);
  for (const tool of extra) {
    if (tool.name !== FINISH_TOOL_NAME) registry.set(tool.name, tool);
  }
  return registry;
}
