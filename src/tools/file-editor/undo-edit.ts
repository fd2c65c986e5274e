import { rm, writeFile } from 'node:fs/promises';
import type { EditorContext } from './editor-context.js';
import { FileEditorError } from './file-editor-error.js';
import { clipResponse, FILE_CLIPPED_NOTICE, numberLines, splitLines } from './lines.js';

/** `undo_edit`: restores the bytes the file had before its last edit by this editor. */
export async function undoEdit(ctx: EditorContext): Promise<string> {
  const { path: shown, realPath } = ctx.target;
  const previous = ctx.history.pop(realPath);
  if (previous === undefined) throw new FileEditorError(`No edit history found for ${shown}.`);
  if (previous === null) {
    await rm(realPath, { force: true });
    return `Last edit to ${shown} undone successfully: it created the file, so the file was removed.`;
  }
  await writeFile(realPath, previous);
  const text = previous
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .replaceAll('\r\n', '\n');
  const body = numberLines(splitLines(text).lines);
  return clipResponse(
    `Last edit to ${shown} undone successfully. Here's the result of running \`cat -n\` on ${shown}:\n${body}\n`,
    ctx.maxViewChars,
    FILE_CLIPPED_NOTICE,
  );
}
