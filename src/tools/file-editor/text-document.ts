import { readFile, stat } from 'node:fs/promises';
import { FileEditorError } from './file-editor-error.js';

/** The line ending of a file: `\n`, `\r\n`, or `mixed` (kept byte for byte, never normalized). */
export type LineEnding = '\n' | '\r\n' | 'mixed';

/** A text file as the editor works on it. */
export interface TextDocument {
  /** The content without BOM; with `\n` line endings unless `lineEnding` is `mixed`. */
  text: string;
  lineEnding: LineEnding;
  /** The file starts with a UTF-8 byte order mark. */
  bom: boolean;
  /** The bytes as read (for undo). */
  raw: Buffer;
}

/** The default size limit of files the editor views or edits: 10 MB. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

const BOM = '\uFEFF';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Detects the line ending of a text: all `\r\n`, all `\n`, or a mix. */
export function detectLineEnding(text: string): LineEnding {
  const lf = text.split('\n').length - 1;
  const crlf = text.split('\r\n').length - 1;
  if (crlf === 0) return '\n';
  return crlf === lf ? '\r\n' : 'mixed';
}

/**
 * Reads a file as UTF-8 text, refusing what the editor cannot handle: files over
 * `maxBytes`, binary files (with NUL bytes) and files that are not valid UTF-8.
 * `\r\n` line endings are turned into `\n` (and back by `encodeDocument`).
 */
export async function readTextDocument(
  file: string,
  displayPath: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<TextDocument> {
  const info = await stat(file);
  if (info.size > maxBytes) {
    throw new FileEditorError(
      `The file ${displayPath} is too large (${megabytes(info.size)}); the file editor views and edits files up to ${megabytes(maxBytes)}. Use the terminal instead (\`grep -n\`, \`sed -n '100,200p'\`, \`head\`, \`tail\`).`,
    );
  }
  const raw = await readFile(file);
  if (raw.includes(0)) {
    throw new FileEditorError(
      `The file ${displayPath} is binary (it contains NUL bytes); the file editor only views and edits text files. Use the terminal to inspect it (\`file\`, \`xxd | head\`).`,
    );
  }
  let decoded: string;
  try {
    decoded = utf8.decode(raw);
  } catch {
    throw new FileEditorError(
      `The file ${displayPath} is not valid UTF-8 text; the file editor only views and edits UTF-8 files. Use the terminal instead (\`file\`, \`iconv\`).`,
    );
  }
  const bom = decoded.startsWith(BOM);
  const content = bom ? decoded.slice(1) : decoded;
  const lineEnding = detectLineEnding(content);
  const text = lineEnding === '\r\n' ? content.replaceAll('\r\n', '\n') : content;
  return { text, lineEnding, bom, raw };
}

/** Brings text from the model to the document's convention (`\r\n` → `\n` for CRLF files). */
export function toDocumentText(text: string, document: Pick<TextDocument, 'lineEnding'>): string {
  return document.lineEnding === '\r\n' ? text.replaceAll('\r\n', '\n') : text;
}

/** The bytes of a document's text with its original line endings and byte order mark. */
export function encodeDocument(
  text: string,
  document: Pick<TextDocument, 'lineEnding' | 'bom'>,
): Buffer {
  const withEndings = document.lineEnding === '\r\n' ? text.replaceAll('\n', '\r\n') : text;
  return Buffer.from((document.bom ? BOM : '') + withEndings, 'utf8');
}
