import { type PathInfo, classifyPath } from './path-class.js';
import type { RiskAssessment, ShellRiskOptions } from './terminal-rules.js';

/** File-editor commands that only read. */
const READ_COMMANDS = new Set(['view', 'read', 'cat', 'list']);

/**
 * Rates a file-editor call (`{ command, path }`, as the OpenHands `file_editor` and
 * steerable's `FileEditorTool` take): viewing is `low` (`high` for credentials); any
 * other command writes, which is `medium` inside the workspace or a temporary
 * directory and `high` outside it, in system paths, in `.git` or on credentials.
 * Relative paths start at the workspace; a missing path is `unknown`.
 *
 * @example
 * ```ts
 * rateFileEditorCall({ command: 'create', path: '/etc/cron.d/x' }, { workspace: '/ws' }).risk; // 'high'
 * rateFileEditorCall({ command: 'view', path: '/ws/src/a.ts' }, { workspace: '/ws' }).risk; // 'low'
 * ```
 */
export function rateFileEditorCall(args: unknown, options: ShellRiskOptions): RiskAssessment {
  const { command, path } = (typeof args === 'object' && args !== null ? args : {}) as {
    command?: unknown;
    path?: unknown;
  };
  if (typeof path !== 'string' || path === '') {
    return { risk: 'unknown', reasons: ['the call names no path'] };
  }
  const info: PathInfo = classifyPath(path, {
    workspace: options.workspace,
    cwd: options.workspace,
    ...(options.home !== undefined ? { home: options.home } : {}),
  });
  if (typeof command === 'string' && READ_COMMANDS.has(command)) {
    return info.credential
      ? { risk: 'high', reasons: [`reads credentials (${path})`] }
      : { risk: 'low', reasons: [] };
  }
  if (info.credential) return { risk: 'high', reasons: [`writes credentials (${path})`] };
  if (info.gitInternal) {
    return { risk: 'high', reasons: [`changes the git repository's internals (${path})`] };
  }
  if (info.kind === 'system' || info.kind === 'sink') {
    return { risk: 'high', reasons: [`writes to a system path (${path})`] };
  }
  if (info.kind === 'outside' || info.kind === 'dynamic') {
    return { risk: 'high', reasons: [`writes outside the workspace (${path})`] };
  }
  return {
    risk: 'medium',
    reasons: [
      info.kind === 'temp'
        ? `writes to a temporary directory (${path})`
        : `changes files in the workspace (${path})`,
    ],
  };
}
