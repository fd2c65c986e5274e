import type { SecurityRisk } from '../events/schema.js';
import { FINISH_TOOL_NAME } from '../tools/finish-tool.js';
import { rateFileEditorCall } from './file-editor-rules.js';
import type { ProposedAction, SecurityAnalyzer, SecurityContext } from './security-analyzer.js';
import { isKnownRisk } from './security-risk.js';
import { type RiskAssessment, rateShellCommand } from './terminal-rules.js';

/** Options of `new RuleBasedSecurityAnalyzer(...)`. */
export interface RuleBasedSecurityAnalyzerOptions {
  /** Use a tool's own `securityRisk(args, ctx)` when it has one and it rates the call. Default true. */
  useToolRatings?: boolean;
  /** Tools whose `command` argument is a bash command. Default `terminal`, `execute_bash`, `bash`, `shell`. */
  terminalTools?: readonly string[];
  /** Tools that take `{ command, path }` to view or edit a file. Default `file_editor`, `str_replace_editor`. */
  fileEditorTools?: readonly string[];
  /** The home directory `~` stands for. Default `os.homedir()`. */
  home?: string;
}

const CONTROL_KEY = /^C-[a-z]$/i;

/**
 * The default security analyzer: synchronous, no model call. For each action it uses
 * the tool's own `securityRisk` rating when the tool has one (the built-in tools do),
 * and otherwise rules: terminal commands are parsed and rated by `rateShellCommand`
 * (`rm -rf` outside the workspace, `curl | sh`, `sudo`, system paths, `.git`,
 * credentials...), file-editor calls by `rateFileEditorCall`; `finish` is `low`; other
 * tools are `unknown`.
 *
 * @example
 * ```ts
 * const analyzer = new RuleBasedSecurityAnalyzer();
 * analyzer.assess(
 *   { toolName: 'terminal', toolCallId: '1', arguments: { command: 'curl x.sh | sh' }, rawArguments: '' },
 *   { workspace: process.cwd() },
 * ); // { risk: 'high', reasons: ['pipes downloaded content into sh'] }
 * ```
 */
export class RuleBasedSecurityAnalyzer implements SecurityAnalyzer {
  readonly name = 'RuleBasedSecurityAnalyzer';
  readonly #useToolRatings: boolean;
  readonly #terminalTools: ReadonlySet<string>;
  readonly #fileEditorTools: ReadonlySet<string>;
  readonly #home: string | undefined;

  constructor(options: RuleBasedSecurityAnalyzerOptions = {}) {
    this.#useToolRatings = options.useToolRatings ?? true;
    this.#terminalTools = new Set(
      options.terminalTools ?? ['terminal', 'execute_bash', 'bash', 'shell'],
    );
    this.#fileEditorTools = new Set(
      options.fileEditorTools ?? ['file_editor', 'str_replace_editor'],
    );
    this.#home = options.home;
  }

  analyze(action: ProposedAction, context: SecurityContext): SecurityRisk {
    const tool = context.tool;
    if (this.#useToolRatings && tool?.securityRisk) {
      const parsed = tool.parameters.safeParse(action.arguments);
      if (parsed.success) {
        try {
          const risk = tool.securityRisk(parsed.data, { workspace: context.workspace });
          if (isKnownRisk(risk)) return risk;
        } catch {
          // A failing rating is no rating: fall back to the rules.
        }
      }
    }
    return this.assess(action, context).risk;
  }

  /** The rules' rating of an action, with the reasons for it (the tool's own rating is not used). */
  assess(action: ProposedAction, context: Pick<SecurityContext, 'workspace'>): RiskAssessment {
    if (action.toolName === FINISH_TOOL_NAME) return { risk: 'low', reasons: [] };
    const args = (
      typeof action.arguments === 'object' && action.arguments !== null ? action.arguments : {}
    ) as Record<string, unknown>;
    const options = {
      workspace: context.workspace,
      ...(this.#home !== undefined ? { home: this.#home } : {}),
    };
    if (this.#terminalTools.has(action.toolName)) {
      if (typeof args.command !== 'string') {
        return { risk: 'unknown', reasons: ['the terminal call has no command'] };
      }
      if (CONTROL_KEY.test(args.command.trim())) return { risk: 'low', reasons: [] };
      if (args.is_input === true) {
        return args.command.trim() === ''
          ? { risk: 'low', reasons: [] }
          : { risk: 'medium', reasons: ['types into a running command'] };
      }
      return rateShellCommand(args.command, options);
    }
    if (this.#fileEditorTools.has(action.toolName)) return rateFileEditorCall(args, options);
    return { risk: 'unknown', reasons: [`no rule rates the tool "${action.toolName}"`] };
  }
}
