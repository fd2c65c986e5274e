import { lstat, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EditorContext } from './editor-context.js';
import { FileEditorError } from './file-editor-error.js';

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** `create`: writes a new file (and its missing parent directories); never overwrites. */
export async function createFile(ctx: EditorContext, fileText: string): Promise<string> {
  const { path: shown, realPath } = ctx.target;
  if ((await exists(shown)) || (await exists(realPath))) {
    throw new FileEditorError(
      `Invalid \`path\` parameter: ${shown}. File already exists at: ${shown}. Cannot overwrite files using command \`create\`; edit it with \`str_replace\` or \`insert\`, or delete it in the terminal first.`,
    );
  }
  await mkdir(path.dirname(realPath), { recursive: true });
  await writeFile(realPath, fileText, { flag: 'wx' });
  ctx.history.push(realPath, null);
  return `File created successfully at: ${shown}`;
}
