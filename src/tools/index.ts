/** Tools: `defineTool`, the built-in terminal, file editor, task tracker and `finish`. */
export { defineTool, toToolSpec } from './define-tool.js';
export type { ToolContext, ToolDefinition, ToolResult, AnyToolDefinition } from './define-tool.js';
export { ToolScope, type Disposable } from './tool-scope.js';
export { FinishTool, FINISH_TOOL_NAME } from './finish-tool.js';
export {
  TerminalTool,
  createTerminalTool,
  TerminalParameters,
  TERMINAL_TOOL_NAME,
  DEFAULT_NO_OUTPUT_TIMEOUT_MS,
  type TerminalArgs,
  type TerminalObservationData,
  type TerminalToolOptions,
} from './terminal/terminal-tool.js';
export { terminalSecurityRisk } from './terminal/security-risk.js';
export { truncateMiddle, DEFAULT_MAX_OUTPUT_CHARS } from './terminal/truncate.js';
export {
  FileEditorTool,
  createFileEditorTool,
  FileEditorParameters,
  FILE_EDITOR_TOOL_NAME,
  fileEditorSecurityRisk,
  type FileEditorArgs,
  type FileEditorToolOptions,
} from './file-editor/file-editor-tool.js';
export {
  TaskTrackerTool,
  TaskTrackerParameters,
  TASK_TRACKER_TOOL_NAME,
  readTaskList,
  formatTaskList,
  type Task,
  type TaskStatus,
  type TaskTrackerArgs,
  type TaskTrackerData,
} from './task-tracker.js';
