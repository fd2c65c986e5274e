import { writeFile } from 'node:fs/promises';
import type { EditorContext } from './editor-context.js';
import { FileEditorError } from './file-editor-error.js';
import { lineNumberAt, splitLines } from './lines.js';
import { editSnippet } from './snippet.js';
import { encodeDocument, readTextDocument, toDocumentText } from './text-document.js';

/** Every index where `needle` starts in `text`, overlapping matches included. */
function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) found.push(i);
  return found;
}

/** Shows a (possibly long) string from the model inside an error message. */
function quote(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** Lines where the first non-blank line of `needle` appears, ignoring surrounding whitespace. */
function nearMatches(lines: readonly string[], needle: string): number[] {
  const first = needle
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
  if (!first) return [];
  return lines.flatMap((line, i) => (line.includes(first) ? [i + 1] : [])).slice(0, 20);
}

/**
 * `str_replace`: replaces the one occurrence of `oldStr` with `newStr`. Zero or several
 * occurrences are an error that names the lines; when `oldStr` only matches after
 * trimming surrounding whitespace, the trimmed strings are used (as OpenHands does).
 */
export async function strReplace(
  ctx: EditorContext,
  oldStrInput: string,
  newStrInput: string,
): Promise<string> {
  const { path: shown, realPath } = ctx.target;
  if (oldStrInput === '') {
    throw new FileEditorError(
      'No replacement was performed: `old_str` is empty. Give the exact text to replace; to add text, use `insert`.',
    );
  }
  if (oldStrInput === newStrInput) {
    throw new FileEditorError(
      'No replacement was performed. `new_str` and `old_str` must be different.',
    );
  }
  const document = await readTextDocument(realPath, shown, ctx.maxFileBytes);
  const { text } = document;
  let oldStr = toDocumentText(oldStrInput, document);
  let newStr = toDocumentText(newStrInput, document);
  let found = occurrences(text, oldStr);
  if (found.length === 0 && oldStr.trim() !== oldStr && oldStr.trim() !== '') {
    oldStr = oldStr.trim();
    newStr = newStr.trim();
    found = occurrences(text, oldStr);
  }
  if (found.length === 0) {
    const near = nearMatches(splitLines(text).lines, oldStr);
    const hint =
      near.length > 0
        ? ` Its first line appears (ignoring surrounding whitespace) in lines ${near.join(', ')}; view those lines and copy the text exactly.`
        : '';
    throw new FileEditorError(
      `No replacement was performed, old_str \`${quote(oldStrInput)}\` did not appear verbatim in ${shown}.${hint}`,
    );
  }
  if (found.length > 1) {
    const lines = [...new Set(found.map((index) => lineNumberAt(text, index)))];
    throw new FileEditorError(
      `No replacement was performed. Multiple occurrences of old_str \`${quote(oldStrInput)}\` in lines ${lines.join(', ')}. Please ensure it is unique (include more surrounding lines).`,
    );
  }

  const index = found[0] ?? 0;
  const edited = text.slice(0, index) + newStr + text.slice(index + oldStr.length);
  await writeFile(realPath, encodeDocument(edited, document));
  ctx.history.push(realPath, document.raw);

  const firstLine = lineNumberAt(edited, index);
  const lastLine = firstLine + newStr.replace(/\n$/, '').split('\n').length - 1;
  const snippet = editSnippet(splitLines(edited).lines, firstLine, lastLine, ctx.maxViewChars);
  return `The file ${shown} has been edited. Here's the result of running \`cat -n\` on a snippet of ${shown}:\n${snippet}\nReview the changes and make sure they are as expected. Edit the file again if necessary.`;
}
