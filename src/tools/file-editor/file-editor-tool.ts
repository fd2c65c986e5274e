import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { SecurityRisk } from '../../events/schema.js';
import { defineTool, type ToolContext, type ToolResult } from '../define-tool.js';
import { createFile } from './create.js';
import { EditHistory } from './edit-history.js';
import type { EditorContext } from './editor-context.js';
import { FileEditorError } from './file-editor-error.js';
import { insertLines } from './insert.js';
import { DEFAULT_MAX_VIEW_CHARS } from './lines.js';
import { strReplace } from './str-replace.js';
import { DEFAULT_MAX_FILE_BYTES } from './text-document.js';
import { undoEdit } from './undo-edit.js';
import { viewDirectory, viewFile } from './view.js';
import { outsideWorkspaceMessage, resolveWorkspacePath } from './workspace-path.js';

/** The name the model calls the file editor by. */
export const FILE_EDITOR_TOOL_NAME = 'file_editor';
/** The key of the undo history in the conversation's `ToolScope`. */
export const FILE_EDITOR_HISTORY_KEY = 'file_editor.history';

/** The file editor's commands. */
export const FileEditorCommand = z.enum(['view', 'create', 'str_replace', 'insert', 'undo_edit']);

/** The file editor's parameters, as the model sees them. */
export const FileEditorParameters = z.object({
  command: FileEditorCommand.describe(
    'The command to run: `view`, `create`, `str_replace`, `insert` or `undo_edit`.',
  ),
  path: z
    .string()
    .min(1)
    .describe(
      'Path of the file or directory, absolute or relative to the workspace, e.g. `src/main.py` or `/workspace/src/main.py`.',
    ),
  file_text: z
    .string()
    .optional()
    .describe('Required for `create`: the whole content of the new file.'),
  old_str: z
    .string()
    .optional()
    .describe(
      'Required for `str_replace`: the exact text to replace, including whitespace and indentation. It must occur exactly once in the file; include enough surrounding lines to make it unique.',
    ),
  new_str: z
    .string()
    .optional()
    .describe(
      'For `str_replace`: the replacement text (omit or leave empty to delete `old_str`). Required for `insert`: the lines to insert.',
    ),
  insert_line: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      'Required for `insert`: `new_str` is inserted after this line (1-based); 0 inserts at the top of the file.',
    ),
  view_range: z
    .array(z.number().int())
    .length(2)
    .optional()
    .describe(
      'Optional for `view` of a file: `[start, end]`, the 1-based inclusive range of lines to show; `[start, -1]` shows from `start` to the end. Without it, the whole file is shown.',
    ),
});

/** The file editor's arguments. */
export type FileEditorArgs = z.infer<typeof FileEditorParameters>;

/** Options of `createFileEditorTool(...)`. */
export interface FileEditorToolOptions {
  /** Allow paths outside the workspace (they are still rated `high` risk). Default `false`. */
  allowOutsideWorkspace?: boolean;
  /** Files larger than this are refused for viewing and editing. Default 10 MB. */
  maxFileBytes?: number;
  /** Views and snippets longer than this are clipped. Default 16,000 characters. */
  maxViewChars?: number;
  /** Edits per file that `undo_edit` can revert. Default 10. */
  maxUndoSteps?: number;
}

function describeTool(o: { undoSteps: number; maxMegabytes: number; outside: boolean }): string {
  return `Views, creates and edits text files in the workspace.

* \`view\`: for a file, shows its lines numbered like \`cat -n\` (optionally only \`view_range\`); for a directory, lists files and directories up to 2 levels deep, hidden ones left out.
* \`create\`: creates a new file with \`file_text\` (and missing parent directories). It cannot overwrite an existing file.
* \`str_replace\`: replaces \`old_str\` with \`new_str\`. \`old_str\` must match exactly one place of the file, character for character, whitespace included; if it matches none or several, nothing changes and the error says where it was found. Include a few lines of context to make it unique.
* \`insert\`: inserts \`new_str\` as new lines after line \`insert_line\` (0 = at the top).
* \`undo_edit\`: reverts the last edit of the file made with this tool (up to ${o.undoSteps} edits back per file).

Paths are absolute or relative to the workspace${o.outside ? '' : ' and must stay inside it'}. Binary files and files over ${o.maxMegabytes} MB are refused; use the terminal for them. Line endings (LF or CRLF) and a missing final newline are preserved. Long views are clipped: use \`view_range\`, and \`grep -n\` in the terminal to find line numbers.`;
}

function requireParam<T>(value: T | undefined, name: string, command: string): T {
  if (value === undefined) {
    throw new FileEditorError(`Parameter \`${name}\` is required for command: ${command}.`);
  }
  return value;
}

async function kindOf(file: string): Promise<'missing' | 'file' | 'directory' | 'other'> {
  try {
    const info = await stat(file);
    return info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * Rates a file editor call: anything outside the workspace (symbolic links resolved) is
 * `high`; inside it, viewing and editing are `low`.
 */
export function fileEditorSecurityRisk(
  args: Pick<FileEditorArgs, 'path'>,
  { workspace }: { workspace: string },
): SecurityRisk {
  try {
    return resolveWorkspacePath(args.path, workspace).inside ? 'low' : 'high';
  } catch {
    return 'high';
  }
}

/**
 * Creates the file editor tool (`file_editor`) with its commands `view`, `create`,
 * `str_replace`, `insert` and `undo_edit`. The undo history lives in the conversation's
 * `ToolScope`.
 *
 * @example
 * ```ts
 * const editor = createFileEditorTool({ allowOutsideWorkspace: true });
 * const agent = new Agent({ llm, tools: [TerminalTool, editor] });
 * ```
 */
export function createFileEditorTool(options: FileEditorToolOptions = {}) {
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxViewChars = options.maxViewChars ?? DEFAULT_MAX_VIEW_CHARS;

  async function run(args: FileEditorArgs, ctx: ToolContext): Promise<string> {
    const target = resolveWorkspacePath(args.path, ctx.workspace);
    if (!target.inside && !options.allowOutsideWorkspace) {
      throw new FileEditorError(outsideWorkspaceMessage(target, ctx.workspace));
    }
    const history = ctx.scope.get(
      FILE_EDITOR_HISTORY_KEY,
      () => new EditHistory(options.maxUndoSteps),
    );
    const editor: EditorContext = { target, history, maxFileBytes, maxViewChars };
    if (args.command === 'create') {
      return createFile(editor, requireParam(args.file_text, 'file_text', args.command));
    }

    const kind = await kindOf(target.realPath);
    if (kind === 'missing' && !(args.command === 'undo_edit' && history.has(target.realPath))) {
      throw new FileEditorError(
        `The path ${target.path} does not exist. Please provide a valid path.`,
      );
    }
    if (kind === 'directory') {
      if (args.command !== 'view') {
        throw new FileEditorError(
          `The path ${target.path} is a directory and only the \`view\` command can be used on directories.`,
        );
      }
      if (args.view_range) {
        throw new FileEditorError(
          'The `view_range` parameter is not allowed when `path` points to a directory.',
        );
      }
      return viewDirectory(editor);
    }
    if (kind === 'other') {
      throw new FileEditorError(
        `The path ${target.path} is not a regular file (a device, socket or pipe); the file editor only works on regular files.`,
      );
    }
    switch (args.command) {
      case 'view':
        return viewFile(editor, args.view_range);
      case 'str_replace':
        return strReplace(
          editor,
          requireParam(args.old_str, 'old_str', args.command),
          args.new_str ?? '',
        );
      case 'insert':
        return insertLines(
          editor,
          requireParam(args.insert_line, 'insert_line', args.command),
          requireParam(args.new_str, 'new_str', args.command),
        );
      case 'undo_edit':
        return undoEdit(editor);
    }
  }

  return defineTool({
    name: FILE_EDITOR_TOOL_NAME,
    description: describeTool({
      undoSteps: options.maxUndoSteps ?? 10,
      maxMegabytes: Math.round((maxFileBytes / 1024 / 1024) * 10) / 10,
      outside: options.allowOutsideWorkspace ?? false,
    }),
    parameters: FileEditorParameters,
    securityRisk: fileEditorSecurityRisk,
    async execute(args, ctx): Promise<ToolResult> {
      const data = { command: args.command, path: args.path };
      try {
        return { content: await run(args, ctx), data };
      } catch (error) {
        if (error instanceof FileEditorError)
          return { content: error.message, isError: true, data };
        const code = (error as NodeJS.ErrnoException).code;
        if (typeof code === 'string') {
          // Permission denied, disk full, ...: a failure the model can act on, not a crash.
          return {
            content: `The ${args.command} of ${args.path} failed: ${(error as Error).message}`,
            isError: true,
            data,
          };
        }
        throw error;
      }
    },
  });
}

/**
 * The built-in file editor with default options (workspace only, 10 MB files).
 *
 * @example
 * ```ts
 * const agent = new Agent({ llm, tools: [TerminalTool, FileEditorTool] });
 * ```
 */
export const FileEditorTool = createFileEditorTool();
