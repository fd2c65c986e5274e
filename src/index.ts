export * from './events/index.js';
export * from './errors/index.js';
export { LLMError, type LLMErrorCode } from './llm/llm-error.js';
export { LLMMetrics } from './llm/metrics.js';
export type * from './llm/types.js';
export { defineTool, toToolSpec } from './tools/define-tool.js';
export type {
  ToolContext,
  ToolDefinition,
  ToolResult,
  AnyToolDefinition,
} from './tools/define-tool.js';
export { ToolScope, type Disposable } from './tools/tool-scope.js';
export { FinishTool, FINISH_TOOL_NAME } from './tools/finish-tool.js';
export { Agent, DEFAULT_SYSTEM_PROMPT, type AgentOptions } from './agent/agent.js';
