/** Security analyzers: the risk of an action, by rules or by a model. */
export type { SecurityAnalyzer, SecurityContext, ProposedAction } from './security-analyzer.js';
export {
  RuleBasedSecurityAnalyzer,
  type RuleBasedSecurityAnalyzerOptions,
} from './rule-based-analyzer.js';
export {
  LLMSecurityAnalyzer,
  DEFAULT_SECURITY_PROMPT,
  parseRiskAnswer,
  type LLMSecurityAnalyzerOptions,
} from './llm-security-analyzer.js';
export { rateShellCommand, type RiskAssessment, type ShellRiskOptions } from './terminal-rules.js';
export { rateFileEditorCall } from './file-editor-rules.js';
export {
  parseShell,
  type ShellScript,
  type Pipeline,
  type SimpleCommand,
  type Redirect,
} from './shell-command.js';
export { classifyPath, type PathInfo, type PathKind } from './path-class.js';
export { isRiskAtLeast, maxRisk, isKnownRisk, type KnownRisk } from './security-risk.js';
