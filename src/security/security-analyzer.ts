import type { ActionEvent, SecurityRisk } from '../events/schema.js';
import type { AnyToolDefinition } from '../tools/define-tool.js';

/**
 * A tool call to rate: the fields of an `action` event that describe what would run.
 * A logged `ActionEvent` fits, so an analyzer can also rate a past log.
 */
export type ProposedAction = Pick<
  ActionEvent,
  'toolName' | 'toolCallId' | 'arguments' | 'rawArguments' | 'thought'
>;

/** What an analyzer knows besides the action. */
export interface SecurityContext {
  /** The conversation's workspace: paths inside it are the agent's own. */
  workspace: string;
  /** The tool the action calls, when the agent has it. */
  tool?: AnyToolDefinition;
  /** Aborted when the rating is no longer wanted (pause, interrupt, close). */
  signal?: AbortSignal;
}

/**
 * Rates how risky an action is before it runs: `low` (reads, inspects), `medium`
 * (changes the workspace, runs code, installs packages), `high` (destroys data outside
 * the workspace, raises privileges, runs downloaded code, sends data out, touches
 * credentials or `.git`) or `unknown`. The conversation records the rating as the
 * action's `securityRisk`; `ConfirmRisky` uses it to ask for approval.
 *
 * A synchronous analyzer returns the risk; one that needs I/O (a model, a remote
 * service) returns a promise and sets `async: true`, so the conversation rates in the
 * `thinking.assessing` state, where pause and interrupt abort it. An analyzer that
 * throws gives `unknown`.
 *
 * @example
 * ```ts
 * const noNetwork: SecurityAnalyzer = {
 *   name: 'noNetwork',
 *   analyze: (action) => (/curl|wget/.test(action.rawArguments) ? 'high' : 'low'),
 * };
 * conversation.setSecurityAnalyzer(noNetwork);
 * ```
 */
export interface SecurityAnalyzer {
  /** A short name for logs and the inspector. */
  readonly name: string;
  /** True when `analyze` returns a promise. */
  readonly async?: boolean;
  /** The risk of one action. */
  analyze(action: ProposedAction, context: SecurityContext): SecurityRisk | Promise<SecurityRisk>;
}
