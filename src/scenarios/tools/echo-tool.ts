import { z } from 'zod';
import { defineTool } from '../../tools/define-tool.js';

/**
 * `echo`: returns its text. The smallest tool there is, for scenarios and tests where
 * what the tool does does not matter, only that the agent acts.
 */
export const EchoTool = defineTool({
  name: 'echo',
  description: 'Returns the text it is given',
  parameters: z.object({ text: z.string().describe('The text to return') }),
  execute: ({ text }) => text,
  securityRisk: () => 'low',
});
