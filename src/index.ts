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
export {
  Conversation,
  type SendMessageOptions,
  type ForkOptions,
} from './conversation/conversation.js';
export type {
  ConversationOptions,
  RunResult,
  VisualizerOption,
} from './conversation/conversation-options.js';
export type { MessageHandle, MessageOutcome } from './conversation/message-handle.js';
export { Inbox } from './conversation/inbox.js';
export {
  PROCESS_STOPPED_MESSAGE,
  PROCESS_STOPPED_NOT_RUN_MESSAGE,
} from './conversation/restore.js';
export { FORKED_BEFORE_RESULT_MESSAGE } from './conversation/fork-events.js';
export { replaySteps, type ConversationReplayStep } from './conversation/replay-steps.js';
export { snapshotProjection, type ProjectionSnapshot } from './events/projection-snapshot.js';
export {
  ConversationProjection,
  type ConversationMetrics,
  type DerivedState,
  type MessageState,
} from './events/projection.js';
export {
  conversationMachine,
  type ConversationMachine,
  type ConversationContext,
  type ConversationMachineEvent,
  type ConversationMachineInput,
} from './machines/conversation-machine.js';
export type {
  ConversationPorts,
  UserMessageInput,
  RunLimitHit,
  StuckReport,
} from './machines/ports.js';
export { INTERRUPTED_MESSAGE, NOT_RUN_MESSAGE } from './actors/execute-tool.js';
export {
  AlwaysConfirm,
  NeverConfirm,
  type ConfirmationPolicy,
} from './confirmation/confirmation-policy.js';
export type { EventStore, EventLogHandle, OpenLogOptions } from './persistence/event-store.js';
export { MemoryEventStore } from './persistence/memory-event-store.js';
export { EventLog } from './persistence/event-log.js';
export {
  ConsoleVisualizer,
  type ConsoleVisualizerOptions,
} from './visualizer/console-visualizer.js';
export { replayEvents, type ReplayStep } from './events/replay.js';
export {
  parseEventLines,
  serializeEvent,
  skipMarkerLine,
  type ParsedLog,
  type ParseOptions,
  type SkippedLine,
} from './persistence/jsonl.js';
export { FileEventStore, type FileEventStoreOptions } from './persistence/file-event-store.js';
export {
  LogWriter,
  logWriterActor,
  type Durability,
  type LogWriterInput,
  type LogWriterEvent,
} from './actors/log-writer.js';
export { consoleLogger, type PersistenceLogger } from './persistence/logger.js';
export {
  conversationPaths,
  EVENTS_FILE,
  METADATA_FILE,
  LOCK_FILE,
  type ConversationPaths,
} from './persistence/log-layout.js';
export { LOG_FORMAT_VERSION, type LogMetadata } from './persistence/metadata.js';
export { readLogFile, type LogFile, type ReadLogOptions } from './persistence/read-log.js';
export { Secrets } from './secrets/secrets.js';
export { LLM, DEFAULT_TIMEOUT_MS, type LLMOptions, type LLMSettings } from './llm/llm.js';
export { llmFromEnv, DEFAULT_ENV_MODEL } from './llm/llm-from-env.js';
export { PROVIDERS, resolveModel, type Provider, type ResolvedModel } from './llm/providers.js';
export { lookupPrice, costOf, priceKey, type ModelPrice } from './llm/pricing.js';
export {
  DEFAULT_RETRY_POLICY,
  backoffDelay,
  parseRetryAfter,
  type RetryPolicy,
  type RetryInfo,
} from './llm/retry.js';
export type { LLMErrorOptions } from './llm/llm-error.js';
export type { LLMCallRecord, LLMCallDetails, LLMMetricsSnapshot } from './llm/metrics.js';
export { ConfirmRisky, type ConfirmRiskyOptions } from './confirmation/confirm-risky.js';
export type {
  SecurityAnalyzer,
  SecurityContext,
  ProposedAction,
} from './security/security-analyzer.js';
export {
  RuleBasedSecurityAnalyzer,
  type RuleBasedSecurityAnalyzerOptions,
} from './security/rule-based-analyzer.js';
export {
  LLMSecurityAnalyzer,
  DEFAULT_SECURITY_PROMPT,
  parseRiskAnswer,
  type LLMSecurityAnalyzerOptions,
} from './security/llm-security-analyzer.js';
export {
  rateShellCommand,
  type RiskAssessment,
  type ShellRiskOptions,
} from './security/terminal-rules.js';
export { rateFileEditorCall } from './security/file-editor-rules.js';
export {
  parseShell,
  type ShellScript,
  type Pipeline,
  type SimpleCommand,
  type Redirect,
} from './security/shell-command.js';
export { classifyPath, type PathInfo, type PathKind } from './security/path-class.js';
export { isRiskAtLeast, maxRisk, isKnownRisk, type KnownRisk } from './security/security-risk.js';
export {
  detectStuck,
  stuckWindow,
  DEFAULT_STUCK_THRESHOLDS,
  type StuckThresholds,
  type StuckPattern,
} from './stuck/stuck-detector.js';
export type {
  Condenser,
  ContextView,
  CondensationResult,
  CondenseOptions,
} from './condenser/condenser.js';
export {
  LLMSummarizingCondenser,
  type LLMSummarizingCondenserOptions,
} from './condenser/llm-summarizing-condenser.js';
export { estimateTokens, estimateMessageTokens } from './condenser/estimate-tokens.js';
export { SUMMARY_PREFIX } from './events/projection.js';
export {
  TerminalTool,
  createTerminalTool,
  TerminalParameters,
  TERMINAL_TOOL_NAME,
  DEFAULT_NO_OUTPUT_TIMEOUT_MS,
  type TerminalArgs,
  type TerminalObservationData,
  type TerminalToolOptions,
} from './tools/terminal/terminal-tool.js';
export { terminalSecurityRisk } from './tools/terminal/security-risk.js';
export { truncateMiddle, DEFAULT_MAX_OUTPUT_CHARS } from './tools/terminal/truncate.js';
export {
  TerminalSession,
  type TerminalSessionOptions,
  type TerminalSessionState,
  type TerminalSessionEvent,
  type TerminalCallOutcome,
  type TerminalWaitOptions,
} from './actors/terminal-session.js';
export {
  terminalSessionLogic,
  type TerminalSessionActorInput,
  type TerminalSessionActorEvent,
  type TerminalSessionReport,
} from './actors/terminal-session-actor.js';
export {
  FileEditorTool,
  createFileEditorTool,
  FileEditorParameters,
  FILE_EDITOR_TOOL_NAME,
  fileEditorSecurityRisk,
  type FileEditorArgs,
  type FileEditorToolOptions,
} from './tools/file-editor/file-editor-tool.js';
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
} from './tools/task-tracker.js';
export { toMermaid, type ToMermaidOptions } from './visualizer/to-mermaid.js';
export * from './scenarios/index.js';
