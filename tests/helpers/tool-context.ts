import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConversationEvent } from '../../src/events/schema.js';
import type { ToolContext } from '../../src/tools/define-tool.js';
import { ToolScope } from '../../src/tools/tool-scope.js';

/** A real tool context over a fresh temporary workspace. */
export interface TestToolEnv {
  /** The workspace directory (its real path). */
  workspace: string;
  scope: ToolScope;
  events: ConversationEvent[];
  secrets: Record<string, string>;
  /** A context with a fresh `AbortController`; keep the controller to abort the call. */
  context(controller?: AbortController): ToolContext;
  /** Disposes the scope (ending processes) and deletes the workspace. */
  cleanup(): Promise<void>;
}

export async function createToolEnv(secrets: Record<string, string> = {}): Promise<TestToolEnv> {
  const workspace = await realpath(await mkdtemp(path.join(tmpdir(), 'steerable-test-')));
  const scope = new ToolScope();
  const events: ConversationEvent[] = [];
  return {
    workspace,
    scope,
    events,
    secrets,
    context: (controller = new AbortController()) => ({
      signal: controller.signal,
      workspace,
      conversationId: 'test-conversation',
      scope,
      events,
      secrets,
    }),
    async cleanup() {
      await scope.dispose();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}
