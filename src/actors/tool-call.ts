import { fromPromise } from 'xstate';
import type { ActionEvent } from '../events/schema.js';
import type { ConversationPorts } from '../machines/ports.js';
import type { ToolResult } from '../tools/define-tool.js';

/** Input of the tool call actor. */
export interface ToolCallInput {
  ports: ConversationPorts;
  action: ActionEvent;
}

/**
 * One tool call, as an invoked promise actor. Leaving `acting` (interrupt, close) aborts
 * `signal`, which the tool receives in its context.
 */
export const toolCallActor = fromPromise<ToolResult, ToolCallInput>(({ input, signal }) =>
  input.ports.executeTool(input.action, signal),
);
