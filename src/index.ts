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
export { Conversation, type SendMessageOptions } from './conversation/conversation.js';
export type {
  ConversationOptions,
  RunResult,
  VisualizerOption,
} from './conversation/conversation-options.js';
export type { MessageHandle, MessageOutcome } from './conversation/message-handle.js';
export { Inbox } from './conversation/inbox.js';
export {
  RemoteConversation,
  type RemoteMessageHandle,
} from './conversation/remote-conversation.js';
export type { AttachOptions } from './conversation/attach.js';
export { PROCESS_STOPPED_MESSAGE } from './conversation/restore.js';
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
export type {
  EventStore,
  EventLogHandle,
  OpenLogOptions,
  RemoteInbox,
  RequestResult,
  RunnerRequest,
} from './persistence/event-store.js';
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
  CorruptLogError,
  type ParsedLog,
} from './persistence/jsonl.js';
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
