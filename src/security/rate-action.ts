import { SecurityRisk } from '../events/schema.js';
import type { AnyToolDefinition } from '../tools/define-tool.js';
import { FINISH_TOOL_NAME } from '../tools/finish-tool.js';
import type { ProposedAction, SecurityAnalyzer, SecurityContext } from './security-analyzer.js';

/** What the conversation hands to `rateNow` and `rateLater`. */
export interface RateContext {
  workspace: string;
  /** The agent's tools, by name. */
  tools: ReadonlyMap<string, AnyToolDefinition>;
  signal?: AbortSignal;
}

/**
 * The risk of an action that cannot do anything, whatever the analyzer: `finish`, a
 * tool the agent does not have, arguments its schema rejects (the model gets an error
 * observation instead of a run). `undefined` when the analyzer must rate it.
 */
export function inertRisk(
  action: ProposedAction,
  tools: ReadonlyMap<string, AnyToolDefinition>,
): SecurityRisk | undefined {
  if (action.toolName === FINISH_TOOL_NAME) return 'low';
  const tool = tools.get(action.toolName);
  if (!tool) return 'low';
  if (typeof action.arguments === 'string' && action.arguments === action.rawArguments) {
    return 'low';
  }
  return tool.parameters.safeParse(action.arguments).success ? undefined : 'low';
}

/**
 * Rates an action with a synchronous analyzer. An analyzer that throws, returns
 * something else than a risk, or returns a promise (it should set `async: true`) gives
 * `unknown`.
 */
export function rateNow(
  analyzer: SecurityAnalyzer,
  action: ProposedAction,
  context: RateContext,
): SecurityRisk {
  const inert = inertRisk(action, context.tools);
  if (inert) return inert;
  try {
    const risk = analyzer.analyze(action, securityContext(action, context));
    if (isThenable(risk)) {
      risk.then(undefined, () => undefined);
      return 'unknown';
    }
    return SecurityRisk.safeParse(risk).success ? risk : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Rates an action with any analyzer, awaiting it. Rejects only when `context.signal` aborts. */
export async function rateLater(
  analyzer: SecurityAnalyzer,
  action: ProposedAction,
  context: RateContext,
): Promise<SecurityRisk> {
  const inert = inertRisk(action, context.tools);
  if (inert) return inert;
  try {
    const risk = await analyzer.analyze(action, securityContext(action, context));
    return SecurityRisk.safeParse(risk).success ? risk : 'unknown';
  } catch (error) {
    if (context.signal?.aborted) throw error;
    return 'unknown';
  }
}

function securityContext(action: ProposedAction, context: RateContext): SecurityContext {
  const tool = context.tools.get(action.toolName);
  return {
    workspace: context.workspace,
    ...(tool ? { tool } : {}),
    ...(context.signal ? { signal: context.signal } : {}),
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
