import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { EditorContext } from './editor-context.js';
import { FileEditorError } from './file-editor-error.js';
import {
  clipResponse,
  DIRECTORY_CLIPPED_NOTICE,
  FILE_CLIPPED_NOTICE,
  numberLines,
  splitLines,
} from './lines.js';
import { readTextDocument } from './text-document.js';

/**
 * `view` of a file: its lines numbered like `cat -n`, all of them or `viewRange`
 * (`[start, end]`, 1-based and inclusive, `end` -1 for the last line).
 */
export async function viewFile(
  ctx: EditorContext,
  viewRange: readonly number[] | undefined,
): Promise<string> {
  const { path: shown, realPath } = ctx.target;
  const document = await readTextDocument(realPath, shown, ctx.maxFileBytes);
  const { lines } = splitLines(document.text);
  if (lines.length === 0) return `The file ${shown} is empty.`;

  let first = 1;
  let last = lines.length;
  let note = '';
  if (viewRange) {
    const [start = 0, end = 0] = viewRange;
    const given = `[${start}, ${end}]`;
    if (start < 1 || start > lines.length) {
      throw new FileEditorError(
        `Invalid \`view_range\` parameter: ${given}. Its first element \`${start}\` should be within the range of lines of the file: [1, ${lines.length}].`,
      );
    }
    if (end !== -1 && end < start) {
      throw new FileEditorError(
        `Invalid \`view_range\` parameter: ${given}. Its second element \`${end}\` should be greater than or equal to the first element \`${start}\`, or -1 for the end of the file.`,
      );
    }
    first = start;
    if (end !== -1 && end <= lines.length) last = end;
    else if (end > lines.length) {
      note = `NOTE: The file has only ${lines.length} lines, so lines ${start} to ${lines.length} are shown.\n`;
    }
  }
  const body = numberLines(lines.slice(first - 1, last), first);
  const response = `${note}Here's the result of running \`cat -n\` on ${shown}:\n${body}\n`;
  return clipResponse(response, ctx.maxViewChars, FILE_CLIPPED_NOTICE);
}

async function entriesOf(directory: string): Promise<Dirent[]> {
  try {
    return await readdir(directory, { withFileTypes: true });
  } catch {
    return []; // unreadable: listed without its content
  }
}

/** `view` of a directory: files and directories up to two levels deep, hidden ones left out. */
export async function viewDirectory(ctx: EditorContext): Promise<string> {
  const { path: shown, realPath } = ctx.target;
  const listed: string[] = [];
  let hidden = 0;
  for (const entry of await entriesOf(realPath)) {
    if (entry.name.startsWith('.')) {
      hidden++;
      continue;
    }
    const isDirectory = entry.isDirectory();
    listed.push(path.join(shown, entry.name) + (isDirectory ? '/' : ''));
    if (!isDirectory) continue;
    for (const child of await entriesOf(path.join(realPath, entry.name))) {
      if (child.name.startsWith('.')) continue;
      listed.push(path.join(shown, entry.name, child.name) + (child.isDirectory() ? '/' : ''));
    }
  }
  listed.sort();
  const parts = [
    `Here's the files and directories up to 2 levels deep in ${shown}, excluding hidden items:`,
    `${shown.endsWith('/') ? shown : `${shown}/`}`,
    ...listed,
  ];
  if (hidden > 0) {
    parts.push(
      '',
      `${hidden} hidden files/directories in this directory are excluded. You can use 'ls -la ${shown}' in the terminal to see them.`,
    );
  }
  return clipResponse(parts.join('\n'), ctx.maxViewChars, DIRECTORY_CLIPPED_NOTICE);
}
