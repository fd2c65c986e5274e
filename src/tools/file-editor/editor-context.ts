import type { EditHistory } from './edit-history.js';
import type { WorkspacePath } from './workspace-path.js';

/** What every file editor command works with. */
export interface EditorContext {
  /** The file or directory of the call, resolved and checked against the workspace. */
  target: WorkspacePath;
  /** The conversation's undo history. */
  history: EditHistory;
  /** Files larger than this are refused. */
  maxFileBytes: number;
  /** Views and snippets longer than this are clipped. */
  maxViewChars: number;
}
