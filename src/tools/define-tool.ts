import { z } from 'zod';
import type { ConversationEvent, SecurityRisk } from '../events/schema.js';
import type { ToolScope } from './tool-scope.js';
import type { ToolSpec } from './tool-spec.js';

/** What a tool's `execute` receives besides its arguments. */
export interface ToolContext {
  /** Aborted when the call is interrupted (pause, `interrupt()`, close). */
  signal: AbortSignal;
  /** The conversation's workspace directory. */
  workspace: string;
  conversationId: string;
  /** Per-conversation resources, disposed of on `close()`. */
  scope: ToolScope;
  /** The conversation's log so far (read-only). */
  events: readonly ConversationEvent[];
  /** Named secret values (environment variables for the terminal). */
  secrets: Readonly<Record<string, string>>;
}

/** What a tool returns: text for the model, and optionally structured data for the log. */
export interface ToolResult {
  content: string;
  isError?: boolean;
  data?: unknown;
}

/** A tool: a name, a description, a zod schema for its arguments and an executor. */
export interface ToolDefinition<P extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  readonly parameters: P;
  execute(args: z.infer<P>, ctx: ToolContext): Promise<string | ToolResult> | string | ToolResult;
  /** Rates the risk of a call (used by `ConfirmRisky`); `unknown` when absent. */
  securityRisk?(args: z.infer<P>, ctx: Pick<ToolContext, 'workspace'>): SecurityRisk;
}

/** A tool definition whose argument type has been erased (what `Agent` stores). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyToolDefinition = ToolDefinition<any>;

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Defines a tool from a zod object schema and an executor. Arguments from the model
 * are validated against the schema before `execute` runs; a failure becomes an error
 * observation the model sees.
 *
 * @example
 * ```ts
 * const add = defineTool({
 *   name: 'add',
 *   description: 'Adds two numbers',
 *   parameters: z.object({ a: z.number(), b: z.number() }),
 *   execute: ({ a, b }) => String(a + b),
 * });
 * ```
 */
export function defineTool<P extends z.ZodObject>(
  definition: ToolDefinition<P>,
): ToolDefinition<P> {
  if (!TOOL_NAME.test(definition.name)) {
    throw new TypeError(
      `Invalid tool name "${definition.name}": use 1-64 letters, digits, "_" or "-"`,
    );
  }
  if (!(definition.parameters instanceof z.ZodObject)) {
    throw new TypeError(`Tool "${definition.name}": parameters must be a zod object schema`);
  }
  return Object.freeze({ ...definition });
}

/** The JSON-schema form of a tool, as sent to the model. */
export function toToolSpec(tool: AnyToolDefinition): ToolSpec {
  const schema = z.toJSONSchema(tool.parameters, { target: 'draft-7', io: 'input' }) as Record<
    string,
    unknown
  >;
  delete schema.$schema;
  return { name: tool.name, description: tool.description, parameters: schema };
}
