import type { z } from 'zod';
import type { ActionEvent } from '../events/schema.js';
import type { AnyToolDefinition, ToolContext, ToolResult } from '../tools/define-tool.js';

/** The text an error observation carries when a tool call was cut short by the user. */
export const INTERRUPTED_MESSAGE =
  'Interrupted: the user stopped this tool call before it finished. Its effects may be partial.';

/** The text an error observation carries for a call of a batch that never started. */
export const NOT_RUN_MESSAGE =
  'Not run: the user interrupted the conversation before this tool call started.';

/**
 * Runs one action: finds the tool, validates the arguments with its zod schema and
 * calls it. Every failure (unknown tool, bad JSON, schema mismatch, a throwing tool)
 * comes back as an error result the model can read; it never rejects.
 */
export async function executeTool(
  action: ActionEvent,
  tools: ReadonlyMap<string, AnyToolDefinition>,
  context: ToolContext,
): Promise<ToolResult> {
  const tool = tools.get(action.toolName);
  if (!tool) {
    return {
      content: `Unknown tool "${action.toolName}". The tools that exist are: ${[...tools.keys()].join(', ')}.`,
      isError: true,
    };
  }
  if (typeof action.arguments === 'string' && action.arguments === action.rawArguments) {
    return {
      content: `The arguments of your call to "${tool.name}" are not valid JSON. Send a JSON object that matches the tool's parameters.`,
      isError: true,
    };
  }
  const parsed = tool.parameters.safeParse(action.arguments);
  if (!parsed.success) {
    return {
      content: `Invalid arguments for tool "${tool.name}": ${describeIssues(parsed.error)}. Fix them and call the tool again.`,
      isError: true,
    };
  }
  try {
    const result = await tool.execute(parsed.data, context);
    return typeof result === 'string' ? { content: result } : result;
  } catch (error) {
    if (context.signal.aborted) return { content: INTERRUPTED_MESSAGE, isError: true };
    const message = error instanceof Error ? error.message : String(error);
    return { content: `Tool "${tool.name}" failed: ${message}`, isError: true };
  }
}

/** Names the failing argument paths and what was expected, never the values. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : '(arguments)';
      return `\`${path}\`: ${issue.message}`;
    })
    .join('; ');
}
