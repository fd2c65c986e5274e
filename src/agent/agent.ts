import type { Condenser } from '../condenser/condenser.js';
import type { LanguageModel } from '../llm/types.js';
import { type AnyToolDefinition, toToolSpec } from '../tools/define-tool.js';
import { FINISH_TOOL_NAME, FinishTool } from '../tools/finish-tool.js';
import type { ToolSpec } from '../tools/tool-spec.js';

/** The system prompt used when an agent is given none. */
export const DEFAULT_SYSTEM_PROMPT = [
  'You are a capable software agent working in a workspace on the user’s machine.',
  'Use the tools to act; check the results; keep going until the task is done.',
  'New user messages can arrive while you work: read every one and take it into account before you finish.',
  `When everything the user asked for is done, call \`${FINISH_TOOL_NAME}\` with a short summary.`,
].join('\n');

/** Options of `new Agent(...)`. */
export interface AgentOptions {
  /** The model: an `LLM`, a `ScriptedLLM`, or anything implementing `LanguageModel`. */
  llm: LanguageModel;
  /** Tools the model may call. The built-in `finish` tool is always added. */
  tools?: readonly AnyToolDefinition[];
  /** Replaces the default system prompt. */
  systemPrompt?: string;
  /** Keeps the model's context small on long runs (e.g. `LLMSummarizingCondenser`). Default: none. */
  condenser?: Condenser;
}

/**
 * An agent: a model, its tools and its system prompt. One agent can serve many
 * conversations; per-conversation state lives in the `Conversation`.
 *
 * @example
 * ```ts
 * const agent = new Agent({ llm: new LLM({ model: 'openai/gpt-4o' }), tools: [TerminalTool, FileEditorTool] });
 * // On long runs, summarise the middle of the history past 120 messages:
 * const longRunner = new Agent({ llm, tools, condenser: new LLMSummarizingCondenser({ llm, maxSize: 120 }) });
 * ```
 */
export class Agent {
  readonly llm: LanguageModel;
  readonly systemPrompt: string;
  /** Every tool of the agent, `finish` included, by name. */
  readonly tools: ReadonlyMap<string, AnyToolDefinition>;
  /** The tools in the JSON-schema form the model receives (computed once). */
  readonly toolSpecs: readonly ToolSpec[];
  /** Condenses the model's context when it grows past a size; `undefined`: never condensed. */
  readonly condenser: Condenser | undefined;

  constructor(options: AgentOptions) {
    if (!options || typeof options.llm?.complete !== 'function') {
      throw new TypeError('Agent needs an `llm` with a complete() method (an LLM or ScriptedLLM)');
    }
    this.llm = options.llm;
    this.systemPrompt = options.systemPrompt ?? DEFAULT_SYSTEM_PROMPT;
    const condenser = options.condenser;
    if (
      condenser !== undefined &&
      (typeof condenser?.shouldCondense !== 'function' || typeof condenser.condense !== 'function')
    ) {
      throw new TypeError(
        'Agent: `condenser` needs shouldCondense() and condense() methods (e.g. an LLMSummarizingCondenser)',
      );
    }
    this.condenser = condenser;
    const tools = new Map<string, AnyToolDefinition>();
    for (const tool of [...(options.tools ?? []), FinishTool]) {
      if (tools.has(tool.name) && tool !== FinishTool) {
        throw new TypeError(`Agent has two tools named "${tool.name}"`);
      }
      if (!tools.has(tool.name)) tools.set(tool.name, tool);
    }
    this.tools = tools;
    this.toolSpecs = Object.freeze([...tools.values()].map(toToolSpec));
  }
}
