import { z } from 'zod';
import { defineTool } from './define-tool.js';

/** The name of the built-in tool that ends a run. */
export const FINISH_TOOL_NAME = 'finish';

/**
 * The built-in `finish` tool: the model calls it to end the run with a message. Every
 * agent has it; it never needs confirmation.
 */
export const FinishTool = defineTool({
  name: FINISH_TOOL_NAME,
  description:
    'Signals that the task is complete. Call it once everything the user asked for is done, with a short summary for the user.',
  parameters: z.object({
    message: z.string().describe('A summary of what was done, for the user'),
  }),
  execute: ({ message }) => ({ content: message, data: { finished: true } }),
  securityRisk: () => 'low',
});
