import type { LLMResponse, LLMToolCall } from '../llm/types.js';
import { FINISH_TOOL_NAME } from '../tools/finish-tool.js';
import type { ScenarioToolCall, ScenarioTurn } from './schema/turn-schema.js';

/** The response a scripted turn gives, as the `callIndex`-th model call. */
export function turnReply(
  turn: ScenarioTurn,
  callIndex: number,
  model: string,
): Omit<LLMResponse, 'latencyMs'> {
  const calls: ScenarioToolCall[] = turn.call ? [turn.call] : (turn.calls ?? []);
  if (turn.finish !== undefined)
    calls.push({ tool: FINISH_TOOL_NAME, args: { message: turn.finish } });
  const toolCalls: LLMToolCall[] = calls.map((call, i) => ({
    id: `call_${callIndex}_${i}`,
    name: call.tool,
    arguments: typeof call.args === 'string' ? call.args : JSON.stringify(call.args ?? {}),
  }));
  return {
    id: `scenario-${callIndex}`,
    model,
    content: turn.say ?? null,
    toolCalls,
    finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
    ...(turn.usage ? { usage: turn.usage } : {}),
    cost: turn.cost ?? 0,
  };
}

/**
 * The scripted turn that replays a recorded response: its text as `say`, a lone call of
 * `finish` as `finish`, other calls as `call`/`calls` (arguments that are not a JSON
 * object stay raw strings), with its usage and cost.
 */
export function responseToTurn(response: LLMResponse): ScenarioTurn {
  const turn: ScenarioTurn = {};
  if (response.content) turn.say = response.content;
  const calls = response.toolCalls.map((call) => ({ tool: call.name, args: parseArgs(call) }));
  const finish = calls.length === 1 && calls[0]!.tool === FINISH_TOOL_NAME ? calls[0]! : undefined;
  const message = typeof finish?.args === 'object' ? finish.args.message : undefined;
  if (typeof message === 'string' && Object.keys(finish!.args as object).length === 1) {
    turn.finish = message;
  } else if (calls.length === 1) {
    turn.call = calls[0]!;
  } else if (calls.length > 1) {
    turn.calls = calls;
  }
  if (turn.say === undefined && calls.length === 0) turn.say = '';
  if (response.usage) turn.usage = response.usage;
  if (response.cost) turn.cost = response.cost;
  return turn;
}

function parseArgs(call: LLMToolCall): ScenarioToolCall['args'] {
  if (call.arguments.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(call.arguments);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // not JSON: replayed as the raw text the model sent
  }
  return call.arguments;
}
