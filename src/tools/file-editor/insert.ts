import { writeFile } from 'node:fs/promises';
import type { EditorContext } from './editor-context.js';
import { FileEditorError } from './file-editor-error.js';
import { joinLines, splitLines } from './lines.js';
import { editSnippet } from './snippet.js';
import { encodeDocument, readTextDocument, toDocumentText } from './text-document.js';

/**
 * `insert`: adds `newStr` as new lines after line `insertLine` (0 inserts at the top).
 * A final newline of `newStr` ends its last line (it does not add an empty line); the
 * file keeps its line endings and its final newline, or its lack of one.
 */
export async function insertLines(
  ctx: EditorContext,
  insertLine: number,
  newStrInput: string,
): Promise<string> {
  const { path: shown, realPath } = ctx.target;
  const document = await readTextDocument(realPath, shown, ctx.maxFileBytes);
  const current = splitLines(document.text);
  if (insertLine < 0 || insertLine > current.lines.length) {
    throw new FileEditorError(
      `Invalid \`insert_line\` parameter: ${insertLine}. It should be within the range of allowed values: [0, ${current.lines.length}].`,
    );
  }
  const newStr = toDocumentText(newStrInput, document);
  const added = (newStr.endsWith('\n') ? newStr.slice(0, -1) : newStr).split('\n');
  const lines = [
    ...current.lines.slice(0, insertLine),
    ...added,
    ...current.lines.slice(insertLine),
  ];
  // An empty file gets a final newline; otherwise the file keeps what it had.
  const finalNewline = current.lines.length === 0 ? true : current.finalNewline;
  await writeFile(realPath, encodeDocument(joinLines({ lines, finalNewline }), document));
  ctx.history.push(realPath, document.raw);

  const snippet = editSnippet(lines, insertLine + 1, insertLine + added.length, ctx.maxViewChars);
  return `The file ${shown} has been edited. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${snippet}\nReview the changes and make sure they are as expected (correct indentation, no duplicate lines, etc). Edit the file again if necessary.`;
}
