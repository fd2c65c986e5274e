import type {
  TerminalArgs,
  TerminalObservationData,
} from '../../src/tools/terminal/terminal-tool.js';
import type { ToolDefinition, ToolResult } from '../../src/tools/define-tool.js';
import type { TestToolEnv } from './tool-context.js';

type TerminalLike = Pick<ToolDefinition, 'execute'>;

/** A terminal call's result with its data typed. */
export interface TerminalResult extends ToolResult {
  data: TerminalObservationData;
}

/** Calls the terminal tool once. */
export async function call(
  tool: TerminalLike,
  env: TestToolEnv,
  args: TerminalArgs,
  controller?: AbortController,
): Promise<TerminalResult> {
  const result = await tool.execute(args, env.context(controller));
  if (typeof result === 'string') throw new Error('the terminal returns results, not strings');
  return result as TerminalResult;
}

/**
 * Calls the terminal and, while the command is reported still running, keeps waiting
 * (empty command) until it ends. Returns every content joined and the last data.
 * Not a sleep: each call returns on the command's own events (output, end, silence).
 */
export async function callUntilDone(
  tool: TerminalLike,
  env: TestToolEnv,
  args: TerminalArgs,
  maxCalls = 200,
): Promise<TerminalResult> {
  let result = await call(tool, env, args);
  const contents = [result.content];
  for (let i = 0; result.data.stillRunning && i < maxCalls; i++) {
    result = await call(tool, env, { command: '', is_input: true });
    contents.push(result.content);
  }
  return { ...result, content: contents.join('\n') };
}

/**
 * Waits (empty commands) until the running command's output so far contains `text`.
 * Returns the output seen. Fails if the command ends first.
 */
export async function waitForOutput(
  tool: TerminalLike,
  env: TestToolEnv,
  first: TerminalResult,
  text: string,
  maxCalls = 200,
): Promise<string> {
  let seen = first.content;
  let result = first;
  for (let i = 0; !seen.includes(text) && i < maxCalls; i++) {
    if (!result.data.stillRunning) throw new Error(`the command ended before printing ${text}`);
    result = await call(tool, env, { command: '', is_input: true });
    seen += `\n${result.content}`;
  }
  if (!seen.includes(text)) throw new Error(`no "${text}" in the output: ${seen}`);
  return seen;
}
