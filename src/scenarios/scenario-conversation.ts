import { Agent } from '../agent/agent.js';
import { ConfirmRisky } from '../confirmation/confirm-risky.js';
import {
  AlwaysConfirm,
  type ConfirmationPolicy,
  NeverConfirm,
} from '../confirmation/confirmation-policy.js';
import { Conversation } from '../conversation/conversation.js';
import type { ConversationOptions } from '../conversation/conversation-options.js';
import type { LanguageModel } from '../llm/types.js';
import type { AnyToolDefinition } from '../tools/define-tool.js';
import { FINISH_TOOL_NAME } from '../tools/finish-tool.js';
import { ScenarioError } from './scenario-error.js';
import type { ScenarioAgent } from './schema/scenario-schema.js';

const POLICIES: Record<NonNullable<ScenarioAgent['confirmation']>, () => ConfirmationPolicy> = {
  never: () => NeverConfirm,
  always: () => AlwaysConfirm,
  risky: () => new ConfirmRisky(),
};

/**
 * The conversation a scenario's `agent` describes: its tools (by name, from `registry`),
 * system prompt, limits, steering and confirmation policy, on `llm`. The console
 * visualizer is off; `options` adds or overrides conversation options.
 *
 * @throws ScenarioError when a tool is not in the registry.
 */
export function scenarioConversation(
  agent: ScenarioAgent,
  llm: LanguageModel,
  registry: ReadonlyMap<string, AnyToolDefinition>,
  options: Omit<ConversationOptions, 'agent'> = {},
): Conversation {
  const names = agent.tools.filter((name) => name !== FINISH_TOOL_NAME);
  const missing = names.filter((name) => !registry.has(name));
  if (missing.length > 0) {
    throw new ScenarioError('agent', [
      {
        path: 'agent.tools',
        message: `unknown tool ${missing.map((n) => `"${n}"`).join(', ')} (built-in tools: ${[...registry.keys()].join(', ')})`,
      },
    ]);
  }
  const conversation = new Conversation({
    agent: new Agent({
      llm,
      tools: names.map((name) => registry.get(name)!),
      ...(agent.systemPrompt !== undefined ? { systemPrompt: agent.systemPrompt } : {}),
    }),
    visualizer: false,
    ...(agent.maxIterationsPerRun !== undefined
      ? { maxIterationsPerRun: agent.maxIterationsPerRun }
      : {}),
    ...(agent.maxCostPerRun !== undefined ? { maxCostPerRun: agent.maxCostPerRun } : {}),
    ...(agent.steering !== undefined ? { steering: agent.steering } : {}),
    ...(agent.stuckDetection !== undefined ? { stuckDetection: agent.stuckDetection } : {}),
    ...options,
  });
  if (agent.confirmation) conversation.setConfirmationPolicy(POLICIES[agent.confirmation]());
  return conversation;
}
