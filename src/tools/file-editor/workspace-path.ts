import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { FileEditorError } from './file-editor-error.js';

/** A path of a file editor call, resolved against the workspace. */
export interface WorkspacePath {
  /** The absolute path as written (relative paths resolved against the workspace, `..` applied). */
  path: string;
  /** The same path with every symbolic link resolved, including dangling ones and missing tails. */
  realPath: string;
  /** Whether `realPath` lies inside the workspace (after resolving the workspace's own links). */
  inside: boolean;
}

/** Whether `child` is `parent` or below it (both absolute and normalized). */
export function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
  );
}

/** Resolves every symbolic link of a path, also for paths that do not (fully) exist yet. */
function realPathOf(target: string, depth = 0): string {
  if (depth > 40) throw new FileEditorError(`Too many levels of symbolic links in ${target}.`);
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.join(realpathSync(current), ...missing);
    } catch {
      // `current` does not resolve: it is missing, or a link that points nowhere.
    }
    let link: string | undefined;
    try {
      if (lstatSync(current).isSymbolicLink()) link = readlinkSync(current);
    } catch {
      link = undefined;
    }
    if (link !== undefined) {
      const linked = path.resolve(path.dirname(current), link);
      return path.join(realPathOf(linked, depth + 1), ...missing);
    }
    const parent = path.dirname(current);
    if (parent === current) return path.join(current, ...missing);
    missing.unshift(path.basename(current));
    current = parent;
  }
}

/**
 * Resolves a path given to the file editor: relative paths against the workspace, then
 * every symbolic link, so a link inside the workspace that points outside it is seen
 * for what it is.
 *
 * @example
 * ```ts
 * resolveWorkspacePath('../etc/passwd', '/home/me/ws').inside; // false
 * ```
 */
export function resolveWorkspacePath(input: string, workspace: string): WorkspacePath {
  const root = path.resolve(workspace);
  const absolute = path.resolve(root, input);
  const realPath = realPathOf(absolute);
  return { path: absolute, realPath, inside: isWithin(realPath, realPathOf(root)) };
}

/** The error message for a path outside the workspace. */
export function outsideWorkspaceMessage(target: WorkspacePath, workspace: string): string {
  const root = path.resolve(workspace);
  if (isWithin(target.path, root)) {
    return `The path ${target.path} leads through a symbolic link to ${target.realPath}, which is outside the workspace ${root}. The file editor only works on files inside the workspace.`;
  }
  return `The path ${target.path} is outside the workspace ${root}. The file editor only works on files inside the workspace; use a path inside it (relative paths start from the workspace).`;
}
