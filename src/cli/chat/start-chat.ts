import type { Conversation } from '../../conversation/conversation.js';
import { SteerableError } from '../../errors/steerable-error.js';
import type { Delivery } from '../../events/schema.js';
import type { LanguageModel } from '../../llm/types.js';
import { loadScenario } from '../../scenarios/parse/load-scenario.js';
import { ScenarioModel } from '../../scenarios/scenario-model.js';
import { scenarioConversation } from '../../scenarios/scenario-conversation.js';
import { toolRegistry } from '../../scenarios/tool-registry.js';
import type { AnyToolDefinition } from '../../tools/define-tool.js';
import { type OpenInspector, runChat } from './chat-session.js';

/** What `steerable chat` is started with. */
export interface StartChatOptions {
  /** A scenario file whose agent and turns stand in for the real model. */
  scripted?: string;
  /** Where the agent works. Default: the current directory. */
  workspace?: string;
  /** The default delivery of typed lines. Default `steer`. */
  steering?: Delivery;
  /** The tools of the agent on a real model, by name. */
  tools?: readonly string[];
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  colors?: boolean;
}

/** What the chat needs from the build: the real model, its tools, the inspector. */
export interface ChatDependencies {
  /** Makes the real model (from `LLM_API_KEY`, `LLM_MODEL`…); undefined when none is configured. */
  createModel?: () => LanguageModel | undefined;
  /** Tools the agent may be given besides the scenario tools (by name with `tools`). */
  tools?: readonly AnyToolDefinition[];
  /** The tools of the agent on a real model when `tools` names none. */
  defaultTools?: readonly string[];
  openInspector?: (conversation: Conversation) => Promise<OpenInspector>;
}

/**
 * Starts `steerable chat`: a conversation on the real model (or, with `scripted`, on a
 * scenario's agent and turns), driven from the terminal. Resolves with the exit code.
 */
export async function startChat(
  options: StartChatOptions,
  dependencies: ChatDependencies = {},
): Promise<number> {
  const output = options.output ?? process.stdout;
  const workspace = options.workspace ?? process.cwd();
  let conversation: Conversation;
  if (options.scripted !== undefined) {
    const scenario = await loadScenario(options.scripted, {
      ...(dependencies.tools ? { tools: dependencies.tools } : {}),
    });
    const model = new ScenarioModel(scenario.turns ?? []);
    conversation = scenarioConversation(scenario.agent, model, toolRegistry(dependencies.tools), {
      workspace,
      ...(options.steering !== undefined ? { steering: options.steering } : {}),
    });
    model.watch(conversation);
  } else {
    const llm = dependencies.createModel?.();
    if (!llm) {
      throw new ChatSetupError(
        'chat needs a model: set LLM_API_KEY (and LLM_MODEL, LLM_BASE_URL as needed), or pass --scripted <scenario.yaml>',
      );
    }
    const registry = toolRegistry(dependencies.tools);
    const names = options.tools ?? dependencies.defaultTools ?? [];
    const unknown = names.filter((name) => !registry.has(name));
    if (unknown.length > 0) {
      throw new ChatSetupError(
        `unknown tool ${unknown.map((n) => `"${n}"`).join(', ')} (tools: ${[...registry.keys()].sort().join(', ')})`,
      );
    }
    conversation = scenarioConversation({ tools: [...names] }, llm, registry, {
      workspace,
      ...(options.steering !== undefined ? { steering: options.steering } : {}),
    });
  }
  return runChat({
    conversation,
    input: options.input ?? process.stdin,
    output,
    colors: options.colors ?? false,
    ...(dependencies.openInspector ? { openInspector: dependencies.openInspector } : {}),
  });
}

/** The chat cannot start (no model, bad options). */
export class ChatSetupError extends SteerableError {}
