import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTool } from '../../tools/define-tool.js';

/**
 * `wait`: waits a number of seconds (at most 600), or until the call is interrupted. The
 * agent of the seed example uses it to be busy while a message arrives.
 */
export const WaitTool = defineTool({
  name: 'wait',
  description: 'Waits a number of seconds',
  parameters: z.object({ seconds: z.number().min(0).max(600).describe('How long to wait') }),
  execute: async ({ seconds }, ctx) => {
    await sleep(seconds * 1000, undefined, { signal: ctx.signal });
    return `Waited ${seconds} s`;
  },
  securityRisk: () => 'low',
});
