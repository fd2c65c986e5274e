import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolResult } from '../src/tools/define-tool.js';
import {
  createFileEditorTool,
  type FileEditorArgs,
  FileEditorParameters,
  FileEditorTool,
} from '../src/tools/file-editor/file-editor-tool.js';
import { createToolEnv, type TestToolEnv } from './helpers/tool-context.js';

let env: TestToolEnv;
let outside: string;
beforeEach(async () => {
  env = await createToolEnv();
  outside = await mkdtemp(path.join(tmpdir(), 'steerable-outside-'));
});
afterEach(async () => {
  await env.cleanup();
  await rm(outside, { recursive: true, force: true });
});

async function edit(
  args: FileEditorArgs,
  tool: typeof FileEditorTool = FileEditorTool,
): Promise<ToolResult> {
  const result = await tool.execute(args, env.context());
  if (typeof result === 'string') throw new Error('the file editor returns results');
  return result;
}

const file = (name: string) => path.join(env.workspace, name);
const read = (name: string) => readFile(file(name), 'utf8');
const write = (name: string, content: string | Buffer) => writeFile(file(name), content);

describe('view', () => {
  it('prints the lines of a file numbered like cat -n', async () => {
    await write('a.txt', 'alpha\n\tbeta\ngamma\n');
    const result = await edit({ command: 'view', path: 'a.txt' });
    expect(result.isError).toBeFalsy();
    expect(result.content).toBe(
      `Here's the result of running \`cat -n\` on ${file('a.txt')}:\n     1\talpha\n     2\t\tbeta\n     3\tgamma\n`,
    );
  });

  it('honours view_range, with -1 for the end and a note past the end', async () => {
    await write('n.txt', 'l1\nl2\nl3\nl4\nl5');
    expect((await edit({ command: 'view', path: 'n.txt', view_range: [2, 3] })).content).toContain(
      ':\n     2\tl2\n     3\tl3\n',
    );
    const toEnd = await edit({ command: 'view', path: 'n.txt', view_range: [4, -1] });
    expect(toEnd.content).toMatch(/:\n {5}4\tl4\n {5}5\tl5\n$/);
    const past = await edit({ command: 'view', path: 'n.txt', view_range: [3, 99] });
    expect(past.isError).toBeFalsy();
    expect(past.content).toMatch(
      /^NOTE: The file has only 5 lines, so lines 3 to 5 are shown\.\nHere's the result/,
    );
  });

  it('rejects a view_range outside the file or reversed, with the allowed range', async () => {
    await write('n.txt', 'l1\nl2\nl3\n');
    const zero = await edit({ command: 'view', path: 'n.txt', view_range: [0, 2] });
    expect(zero.isError).toBe(true);
    expect(zero.content).toBe(
      'Invalid `view_range` parameter: [0, 2]. Its first element `0` should be within the range of lines of the file: [1, 3].',
    );
    const beyond = await edit({ command: 'view', path: 'n.txt', view_range: [4, 5] });
    expect(beyond.content).toContain('Its first element `4` should be within the range');
    const reversed = await edit({ command: 'view', path: 'n.txt', view_range: [3, 2] });
    expect(reversed.isError).toBe(true);
    expect(reversed.content).toContain(
      'Its second element `2` should be greater than or equal to the first element `3`',
    );
    expect(
      FileEditorParameters.safeParse({ command: 'view', path: 'x', view_range: [1] }).success,
    ).toBe(false);
  });

  it('says when a file is empty', async () => {
    await write('empty.txt', '');
    expect((await edit({ command: 'view', path: 'empty.txt' })).content).toBe(
      `The file ${file('empty.txt')} is empty.`,
    );
  });

  it('lists a directory two levels deep without hidden entries', async () => {
    await mkdir(file('src/deep/deeper'), { recursive: true });
    await mkdir(file('.git'));
    await write('src/index.ts', '');
    await write('src/.env', '');
    await write('src/deep/deeper/too-deep.ts', '');
    await write('README.md', '');
    await write('.hidden', '');
    const result = await edit({ command: 'view', path: '.' });
    expect(result.content).toBe(
      [
        `Here's the files and directories up to 2 levels deep in ${env.workspace}, excluding hidden items:`,
        `${env.workspace}/`,
        file('README.md'),
        `${file('src')}/`,
        `${file('src/deep')}/`,
        file('src/index.ts'),
        '',
        `2 hidden files/directories in this directory are excluded. You can use 'ls -la ${env.workspace}' in the terminal to see them.`,
      ].join('\n'),
    );
    const ranged = await edit({ command: 'view', path: 'src', view_range: [1, 2] });
    expect(ranged.isError).toBe(true);
    expect(ranged.content).toBe(
      'The `view_range` parameter is not allowed when `path` points to a directory.',
    );
  });

  it('clips long views with a notice', async () => {
    await write('long.txt', Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n'));
    const small = createFileEditorTool({ maxViewChars: 400 });
    const result = await edit({ command: 'view', path: 'long.txt' }, small);
    expect(result.content.length).toBeLessThan(400 + 250);
    expect(result.content).toContain('<response clipped><NOTE>Only part of this file is shown');
    expect(result.content).toContain('     1\tline 0\n');
  });
});

describe('create', () => {
  it('creates a file and its parent directories', async () => {
    const result = await edit({
      command: 'create',
      path: 'new/dir/file.py',
      file_text: 'print(1)\n',
    });
    expect(result.content).toBe(`File created successfully at: ${file('new/dir/file.py')}`);
    expect(await read('new/dir/file.py')).toBe('print(1)\n');
  });

  it('refuses to overwrite an existing file', async () => {
    await write('keep.txt', 'original');
    const result = await edit({ command: 'create', path: 'keep.txt', file_text: 'new' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain(
      `File already exists at: ${file('keep.txt')}. Cannot overwrite files using command \`create\``,
    );
    expect(await read('keep.txt')).toBe('original');
  });

  it('requires file_text', async () => {
    const result = await edit({ command: 'create', path: 'x.txt' });
    expect(result).toMatchObject({
      isError: true,
      content: 'Parameter `file_text` is required for command: create.',
    });
  });
});

describe('str_replace', () => {
  it('replaces a unique occurrence and shows a numbered snippet around it', async () => {
    await write(
      'code.py',
      'a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\nh = 8\ni = 9\nj = 10\n',
    );
    const result = await edit({
      command: 'str_replace',
      path: 'code.py',
      old_str: 'e = 5\n',
      new_str: 'e = 50\nee = 55\n',
    });
    expect(result.content).toBe(
      `The file ${file('code.py')} has been edited. Here's the result of running \`cat -n\` on a snippet of ${file('code.py')}:\n` +
        '     1\ta = 1\n     2\tb = 2\n     3\tc = 3\n     4\td = 4\n     5\te = 50\n     6\tee = 55\n' +
        '     7\tf = 6\n     8\tg = 7\n     9\th = 8\n    10\ti = 9\n' +
        'Review the changes and make sure they are as expected. Edit the file again if necessary.',
    );
    expect(await read('code.py')).toBe(
      'a = 1\nb = 2\nc = 3\nd = 4\ne = 50\nee = 55\nf = 6\ng = 7\nh = 8\ni = 9\nj = 10\n',
    );
  });

  it('reports no occurrence, naming lines where its first line nearly matches', async () => {
    await write('code.py', 'def f():\n    return 1\n\ndef g():\n    return 1\n');
    const result = await edit({
      command: 'str_replace',
      path: 'code.py',
      old_str: '  return 1\n  # end',
      new_str: 'x',
    });
    expect(result.isError).toBe(true);
    expect(result.content).toBe(
      `No replacement was performed, old_str \`  return 1\n  # end\` did not appear verbatim in ${file('code.py')}. Its first line appears (ignoring surrounding whitespace) in lines 2, 5; view those lines and copy the text exactly.`,
    );
    const none = await edit({
      command: 'str_replace',
      path: 'code.py',
      old_str: 'absent',
      new_str: 'x',
    });
    expect(none.content).toBe(
      `No replacement was performed, old_str \`absent\` did not appear verbatim in ${file('code.py')}.`,
    );
  });

  it('reports several occurrences with their line numbers and changes nothing', async () => {
    const content = 'x = 1\ny = 2\nx = 1\nz = 3\nx = 1\n';
    await write('dup.py', content);
    const result = await edit({
      command: 'str_replace',
      path: 'dup.py',
      old_str: 'x = 1',
      new_str: 'x = 2',
    });
    expect(result.isError).toBe(true);
    expect(result.content).toBe(
      'No replacement was performed. Multiple occurrences of old_str `x = 1` in lines 1, 3, 5. Please ensure it is unique (include more surrounding lines).',
    );
    expect(await read('dup.py')).toBe(content);
  });

  it('rejects identical, empty or missing old_str, and deletes when new_str is omitted', async () => {
    await write('f.txt', 'keep\ndrop me\nkeep\n');
    const same = await edit({
      command: 'str_replace',
      path: 'f.txt',
      old_str: 'keep',
      new_str: 'keep',
    });
    expect(same.content).toBe(
      'No replacement was performed. `new_str` and `old_str` must be different.',
    );
    const empty = await edit({ command: 'str_replace', path: 'f.txt', old_str: '', new_str: 'x' });
    expect(empty.content).toContain('`old_str` is empty');
    const missing = await edit({ command: 'str_replace', path: 'f.txt', new_str: 'x' });
    expect(missing.content).toBe('Parameter `old_str` is required for command: str_replace.');
    const deleted = await edit({ command: 'str_replace', path: 'f.txt', old_str: 'drop me\n' });
    expect(deleted.isError).toBeFalsy();
    expect(await read('f.txt')).toBe('keep\nkeep\n');
  });

  it('falls back to old_str without surrounding whitespace', async () => {
    await write('f.txt', 'first\nlast line');
    const result = await edit({
      command: 'str_replace',
      path: 'f.txt',
      old_str: 'last line\n',
      new_str: 'final line\n',
    });
    expect(result.isError).toBeFalsy();
    expect(await read('f.txt')).toBe('first\nfinal line');
  });
});

describe('insert', () => {
  it('inserts after a line, at the top and at the end', async () => {
    await write('list.txt', 'one\ntwo\nthree\n');
    const middle = await edit({
      command: 'insert',
      path: 'list.txt',
      insert_line: 1,
      new_str: 'one and a half',
    });
    expect(middle.content).toBe(
      `The file ${file('list.txt')} has been edited. Here's the result of running \`cat -n\` on a snippet of the edited file:\n` +
        '     1\tone\n     2\tone and a half\n     3\ttwo\n     4\tthree\n' +
        'Review the changes and make sure they are as expected (correct indentation, no duplicate lines, etc). Edit the file again if necessary.',
    );
    await edit({ command: 'insert', path: 'list.txt', insert_line: 0, new_str: 'zero\n' });
    await edit({ command: 'insert', path: 'list.txt', insert_line: 5, new_str: 'four\nfive' });
    expect(await read('list.txt')).toBe('zero\none\none and a half\ntwo\nthree\nfour\nfive\n');
  });

  it('keeps a missing final newline and gives an empty file one', async () => {
    await write('nofinal.txt', 'a\nb');
    await edit({ command: 'insert', path: 'nofinal.txt', insert_line: 2, new_str: 'c' });
    expect(await read('nofinal.txt')).toBe('a\nb\nc');
    await write('empty.txt', '');
    await edit({ command: 'insert', path: 'empty.txt', insert_line: 0, new_str: 'first' });
    expect(await read('empty.txt')).toBe('first\n');
  });

  it('rejects an insert_line outside the file and missing parameters', async () => {
    await write('list.txt', 'one\ntwo\n');
    const beyond = await edit({
      command: 'insert',
      path: 'list.txt',
      insert_line: 3,
      new_str: 'x',
    });
    expect(beyond).toMatchObject({
      isError: true,
      content:
        'Invalid `insert_line` parameter: 3. It should be within the range of allowed values: [0, 2].',
    });
    expect((await edit({ command: 'insert', path: 'list.txt', new_str: 'x' })).content).toBe(
      'Parameter `insert_line` is required for command: insert.',
    );
    expect((await edit({ command: 'insert', path: 'list.txt', insert_line: 1 })).content).toBe(
      'Parameter `new_str` is required for command: insert.',
    );
    expect(await read('list.txt')).toBe('one\ntwo\n');
  });
});

describe('undo_edit', () => {
  it('reverts edits one by one, per file, then says there is no history', async () => {
    await write('u.txt', 'v1\n');
    await write('other.txt', 'o1\n');
    await edit({ command: 'str_replace', path: 'u.txt', old_str: 'v1', new_str: 'v2' });
    await edit({ command: 'insert', path: 'u.txt', insert_line: 1, new_str: 'v3' });
    await edit({ command: 'str_replace', path: 'other.txt', old_str: 'o1', new_str: 'o2' });
    const first = await edit({ command: 'undo_edit', path: 'u.txt' });
    expect(first.content).toBe(
      `Last edit to ${file('u.txt')} undone successfully. Here's the result of running \`cat -n\` on ${file('u.txt')}:\n     1\tv2\n`,
    );
    await edit({ command: 'undo_edit', path: 'u.txt' });
    expect(await read('u.txt')).toBe('v1\n');
    expect(await read('other.txt')).toBe('o2\n');
    const none = await edit({ command: 'undo_edit', path: 'u.txt' });
    expect(none).toMatchObject({
      isError: true,
      content: `No edit history found for ${file('u.txt')}.`,
    });
  });

  it('undoing a create removes the file', async () => {
    await edit({ command: 'create', path: 'made.txt', file_text: 'x' });
    const result = await edit({ command: 'undo_edit', path: 'made.txt' });
    expect(result.content).toContain('it created the file, so the file was removed');
    await expect(read('made.txt')).rejects.toThrow(/ENOENT/);
  });

  it('keeps a separate history per conversation scope', async () => {
    await write('u.txt', 'v1\n');
    await edit({ command: 'str_replace', path: 'u.txt', old_str: 'v1', new_str: 'v2' });
    const other = await createToolEnv();
    try {
      const result = await FileEditorTool.execute(
        { command: 'undo_edit', path: file('u.txt') },
        { ...other.context(), workspace: env.workspace },
      );
      expect(result).toMatchObject({
        isError: true,
        content: `No edit history found for ${file('u.txt')}.`,
      });
    } finally {
      await other.cleanup();
    }
  });
});

describe('line endings and encodings', () => {
  it('edits CRLF files with LF strings and keeps CRLF; undo restores the exact bytes', async () => {
    const original = 'one\r\ntwo\r\nthree\r\n';
    await write('crlf.txt', original);
    const view = await edit({ command: 'view', path: 'crlf.txt' });
    expect(view.content).not.toContain('\r');
    await edit({
      command: 'str_replace',
      path: 'crlf.txt',
      old_str: 'one\ntwo',
      new_str: 'uno\ndos',
    });
    await edit({ command: 'insert', path: 'crlf.txt', insert_line: 3, new_str: 'four' });
    expect(await read('crlf.txt')).toBe('uno\r\ndos\r\nthree\r\nfour\r\n');
    await edit({ command: 'undo_edit', path: 'crlf.txt' });
    await edit({ command: 'undo_edit', path: 'crlf.txt' });
    expect(await read('crlf.txt')).toBe(original);
  });

  it('keeps a byte order mark, a missing final newline and mixed line endings', async () => {
    await write('bom.txt', '\uFEFFhello\nworld');
    await edit({ command: 'str_replace', path: 'bom.txt', old_str: 'world', new_str: 'there' });
    expect(await readFile(file('bom.txt'))).toEqual(Buffer.from('\uFEFFhello\nthere', 'utf8'));
    await write('mixed.txt', 'a\r\nb\nc\r\n');
    await edit({ command: 'str_replace', path: 'mixed.txt', old_str: 'b', new_str: 'B' });
    expect(await read('mixed.txt')).toBe('a\r\nB\nc\r\n');
  });
});

describe('refusals and errors', () => {
  it('reports a missing path, and edit commands on a directory', async () => {
    const missing = await edit({ command: 'view', path: 'nope.txt' });
    expect(missing).toMatchObject({
      isError: true,
      content: `The path ${file('nope.txt')} does not exist. Please provide a valid path.`,
    });
    await mkdir(file('dir'));
    const onDir = await edit({ command: 'str_replace', path: 'dir', old_str: 'a', new_str: 'b' });
    expect(onDir.content).toBe(
      `The path ${file('dir')} is a directory and only the \`view\` command can be used on directories.`,
    );
  });

  it('refuses binary files, invalid UTF-8 and files over the size limit', async () => {
    await write('image.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    const binary = await edit({ command: 'view', path: 'image.bin' });
    expect(binary.isError).toBe(true);
    expect(binary.content).toContain(
      `The file ${file('image.bin')} is binary (it contains NUL bytes)`,
    );
    const binaryEdit = await edit({
      command: 'insert',
      path: 'image.bin',
      insert_line: 0,
      new_str: 'x',
    });
    expect(binaryEdit.content).toContain('is binary');

    await write('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const latin = await edit({
      command: 'str_replace',
      path: 'latin1.txt',
      old_str: 'caf',
      new_str: 'x',
    });
    expect(latin.content).toContain(`The file ${file('latin1.txt')} is not valid UTF-8 text`);

    await write('huge.txt', '');
    await truncate(file('huge.txt'), 10 * 1024 * 1024 + 1);
    const huge = await edit({ command: 'view', path: 'huge.txt' });
    expect(huge.isError).toBe(true);
    expect(huge.content).toContain(
      `The file ${file('huge.txt')} is too large (10.0 MB); the file editor views and edits files up to 10.0 MB.`,
    );
    const small = createFileEditorTool({ maxFileBytes: 4 });
    await write('five.txt', '12345');
    expect((await edit({ command: 'view', path: 'five.txt' }, small)).content).toContain(
      'is too large',
    );
  });

  it('refuses special files such as pipes', async () => {
    await promisify(execFile)('mkfifo', [file('pipe')]);
    const result = await edit({ command: 'view', path: 'pipe' });
    expect(result.content).toContain('is not a regular file');
  });
});

describe('workspace boundary', () => {
  it('refuses paths that leave the workspace with .. or an absolute path', async () => {
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    const dotdot = path.relative(env.workspace, path.join(outside, 'secret.txt'));
    expect(dotdot.startsWith('..')).toBe(true);
    const up = await edit({ command: 'view', path: dotdot });
    expect(up).toMatchObject({
      isError: true,
      content: `The path ${path.join(outside, 'secret.txt')} is outside the workspace ${env.workspace}. The file editor only works on files inside the workspace; use a path inside it (relative paths start from the workspace).`,
    });
    const absolute = await edit({
      command: 'create',
      path: path.join(outside, 'new.txt'),
      file_text: 'x',
    });
    expect(absolute.isError).toBe(true);
    expect(absolute.content).toContain('is outside the workspace');
    await expect(readFile(path.join(outside, 'new.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses symbolic links that escape the workspace, dangling ones included', async () => {
    await writeFile(path.join(outside, 'target.txt'), 'outside content');
    await symlink(outside, file('escape'));
    await symlink(path.join(outside, 'not-yet.txt'), file('dangling'));
    const through = await edit({
      command: 'str_replace',
      path: 'escape/target.txt',
      old_str: 'outside',
      new_str: 'pwned',
    });
    expect(through).toMatchObject({
      isError: true,
      content: `The path ${file('escape/target.txt')} leads through a symbolic link to ${path.join(outside, 'target.txt')}, which is outside the workspace ${env.workspace}. The file editor only works on files inside the workspace.`,
    });
    expect(await readFile(path.join(outside, 'target.txt'), 'utf8')).toBe('outside content');
    const viaDangling = await edit({ command: 'create', path: 'dangling', file_text: 'x' });
    expect(viaDangling.content).toContain('leads through a symbolic link');
    await expect(readFile(path.join(outside, 'not-yet.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('accepts absolute paths and symbolic links that stay inside', async () => {
    await mkdir(file('real'));
    await write('real/f.txt', 'inside\n');
    await symlink(file('real'), file('alias'));
    expect((await edit({ command: 'view', path: file('real/f.txt') })).isError).toBeFalsy();
    expect((await edit({ command: 'view', path: 'alias/f.txt' })).content).toContain('1\tinside');
  });

  it('allows outside paths when the tool is created with allowOutsideWorkspace', async () => {
    await writeFile(path.join(outside, 'shared.txt'), 'shared\n');
    const open = createFileEditorTool({ allowOutsideWorkspace: true });
    const result = await edit({ command: 'view', path: path.join(outside, 'shared.txt') }, open);
    expect(result.content).toContain('     1\tshared');
  });

  it('rates paths outside the workspace high and inside low', async () => {
    await symlink(outside, file('escape'));
    const risk = (p: string, command: FileEditorArgs['command'] = 'view') =>
      FileEditorTool.securityRisk?.({ command, path: p }, { workspace: env.workspace });
    expect(risk('a.txt')).toBe('low');
    expect(risk('a.txt', 'str_replace')).toBe('low');
    expect(risk('/etc/passwd')).toBe('high');
    expect(risk('../x', 'create')).toBe('high');
    expect(risk('escape/x')).toBe('high');
  });
});

describe('definition', () => {
  it('has the OpenHands parameter names, each described', () => {
    expect(FileEditorTool.name).toBe('file_editor');
    expect(Object.keys(FileEditorParameters.shape)).toEqual([
      'command',
      'path',
      'file_text',
      'old_str',
      'new_str',
      'insert_line',
      'view_range',
    ]);
    for (const field of Object.values(FileEditorParameters.shape)) {
      expect(field.description?.length).toBeGreaterThan(20);
    }
  });
});
