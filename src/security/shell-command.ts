import { type ParseEntry, parse } from 'shell-quote';

/** A redirection of a simple command: `>`, `>>`, `<`... and its target word. */
export interface Redirect {
  op: string;
  target: string;
}

/** One simple command: a program and its words, as bash would run it. */
export interface SimpleCommand {
  /** The program and its arguments, quotes removed; leading `VAR=value` words and keywords (`if`, `do`...) are not in it. */
  argv: string[];
  /** `VAR=value` words before the program. */
  assignments: string[];
  redirects: Redirect[];
  /** The scripts inside `$(...)`, backticks and `<(...)` that appear in this command. */
  substitutions: ShellScript[];
  /** The text of a here-document fed to the command (`<<EOF`). */
  heredoc?: string;
}

/** Commands joined by `|`: each reads what the one before it printed. */
export type Pipeline = SimpleCommand[];

/** A parsed command line. */
export interface ShellScript {
  /** Pipelines in order (`;`, `&&`, `||`, `&`, newlines and subshell parentheses separate them). */
  pipelines: Pipeline[];
  /** False when a quote, `$(` or backtick was left open: bash would not run the text as is. */
  balanced: boolean;
}

const PLACEHOLDER = /__steerable_sub(\d+)__/g;
const HEREDOC = /^__steerable_heredoc(\d+)__$/;
const MAX_DEPTH = 8;
const REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '>&', '<', '<&', '<<<']);
const PIPES = new Set(['|', '|&']);
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{']);
const IGNORED_KEYWORDS = new Set([
  'fi',
  'done',
  'esac',
  '}',
  'for',
  'case',
  'in',
  'select',
  'function',
]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

/**
 * Parses a bash command line into pipelines of simple commands, enough to judge what it
 * would do: quotes, escapes, comments, line continuations, here-documents, `$(...)`,
 * backticks and process substitutions are understood; variables stay as written
 * (`$HOME/x`), except `$PWD` and `$(pwd)`, which become `.`. Word splitting and
 * operators come from the `shell-quote` package.
 *
 * @example
 * ```ts
 * const script = parseShell('curl -s https://x.sh | sudo bash');
 * script.pipelines[0]!.map((c) => c.argv[0]); // ['curl', 'sudo']
 * ```
 */
export function parseShell(source: string): ShellScript {
  return parseAt(source, 0);
}

/** Whether a word's value is only known when the shell runs it (variables, substitutions). */
export function isDynamicWord(word: string): boolean {
  return /[$`]/.test(word) || word.includes('__steerable_sub');
}

function parseAt(source: string, depth: number): ShellScript {
  const prepared = prepare(source);
  const subs = prepared.subs.map((inner) =>
    depth < MAX_DEPTH ? parseAt(inner, depth + 1) : { pipelines: [], balanced: false },
  );
  const tokens = parse(prepared.text, (name) => `$${name}`);
  const pipelines = splitTokens(tokens).map((pipeline) =>
    pipeline
      .map((raw) => finishCommand(raw, subs, prepared.heredocs))
      .filter((c): c is SimpleCommand => c !== undefined),
  );
  return {
    pipelines: pipelines.filter((p) => p.length > 0),
    balanced: prepared.balanced && subs.every((s) => s.balanced),
  };
}

interface RawCommand {
  words: string[];
  redirects: Redirect[];
}

function splitTokens(tokens: readonly ParseEntry[]): RawCommand[][] {
  const pipelines: RawCommand[][] = [];
  let pipeline: RawCommand[] = [];
  let command: RawCommand = { words: [], redirects: [] };
  let redirect: string | undefined;
  const endCommand = () => {
    if (command.words.length > 0 || command.redirects.length > 0) pipeline.push(command);
    command = { words: [], redirects: [] };
  };
  const endPipeline = () => {
    endCommand();
    if (pipeline.length > 0) pipelines.push(pipeline);
    pipeline = [];
  };
  for (const token of tokens) {
    if (typeof token !== 'string' && 'comment' in token) continue;
    if (typeof token === 'string' || token.op === 'glob') {
      const word = typeof token === 'string' ? token : token.pattern;
      if (redirect) command.redirects.push({ op: redirect, target: word });
      else command.words.push(word);
      redirect = undefined;
      continue;
    }
    if (REDIRECTS.has(token.op)) {
      // `2>file`: the fd number was split off as a word of its own.
      if (/^\d+$/.test(command.words.at(-1) ?? '')) command.words.pop();
      redirect = token.op;
    } else if (PIPES.has(token.op)) {
      redirect = undefined;
      endCommand();
    } else {
      redirect = undefined;
      endPipeline();
    }
  }
  endPipeline();
  return pipelines;
}

function finishCommand(
  raw: RawCommand,
  subs: readonly ShellScript[],
  heredocs: readonly string[],
): SimpleCommand | undefined {
  const words = [...raw.words];
  const assignments: string[] = [];
  while (words.length > 0) {
    const first = words[0]!;
    if (ASSIGNMENT.test(first)) assignments.push(first);
    else if (!LEADING_KEYWORDS.has(first)) break;
    words.shift();
  }
  if (IGNORED_KEYWORDS.has(words[0] ?? '')) words.length = 0;
  const substitutions: ShellScript[] = [];
  let heredoc: string | undefined;
  const redirects: Redirect[] = [];
  for (const r of raw.redirects) {
    const doc = HEREDOC.exec(r.target);
    if (doc) heredoc = heredocs[Number(doc[1])];
    else redirects.push(r);
  }
  for (const text of [...raw.words, ...raw.redirects.map((r) => r.target)]) {
    for (const match of text.matchAll(PLACEHOLDER)) {
      const sub = subs[Number(match[1])];
      if (sub) substitutions.push(sub);
    }
  }
  if (words.length === 0 && redirects.length === 0 && substitutions.length === 0) return undefined;
  return { argv: words, assignments, redirects, substitutions, ...(heredoc ? { heredoc } : {}) };
}

interface Prepared {
  /** The text with structure shell-quote does not know replaced by placeholders. */
  text: string;
  subs: string[];
  heredocs: string[];
  balanced: boolean;
}

/**
 * Rewrites what `shell-quote` would get wrong: newlines become `;`, comments and line
 * continuations go, `$(...)`, backticks and `<(...)` become placeholder words (their
 * text kept apart), here-documents become `< placeholder` (their body kept apart).
 */
function prepare(source: string): Prepared {
  const subs: string[] = [];
  const heredocs: string[] = [];
  const pendingDocs: Array<{ delimiter: string; stripTabs: boolean }> = [];
  let balanced = true;
  let out = '';
  let quote: "'" | '"' | undefined;
  const substitute = (inner: string) => {
    if (/^\s*pwd\s*$/.test(inner)) return '.';
    subs.push(inner);
    return `__steerable_sub${subs.length - 1}__`;
  };

  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (quote === "'") {
      out += c;
      if (c === "'") quote = undefined;
      i++;
      continue;
    }
    if (c === '\\') {
      if (next === '\n') i += 2;
      else {
        out += source.slice(i, i + 2);
        i += 2;
      }
      continue;
    }
    if (c === '$' && next === '(' && source[i + 2] === '(') {
      const end = closing(source, i + 1);
      if (end < 0) balanced = false;
      out += '0';
      i = end < 0 ? source.length : end + 1;
      continue;
    }
    if ((c === '$' && next === '(') || (!quote && (c === '<' || c === '>') && next === '(')) {
      const end = closing(source, i + 1);
      if (end < 0) balanced = false;
      const inner = source.slice(i + 2, end < 0 ? source.length : end);
      // `<(cmd)` is a file name argument; `$(cmd)` is part of a word.
      out += (c === '$' ? '' : ' ') + substitute(inner);
      i = end < 0 ? source.length : end + 1;
      continue;
    }
    if (c === '`') {
      const end = source.indexOf('`', i + 1);
      if (end < 0) balanced = false;
      out += substitute(source.slice(i + 1, end < 0 ? source.length : end));
      i = end < 0 ? source.length : end + 1;
      continue;
    }
    const pwd = c === '$' ? /^\$(?:PWD\b|\{PWD\})/.exec(source.slice(i, i + 6)) : null;
    if (pwd) {
      out += '.';
      i += pwd[0].length;
      continue;
    }
    if (quote === '"') {
      out += c;
      if (c === '"') quote = undefined;
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      out += c;
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /[\s;&|()]/.test(source[i - 1]!))) {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '<' && next === '<' && source[i + 2] !== '<') {
      const doc = /^<<(-?)\s*(?:'([^']*)'|"([^"]*)"|([^\s;&|<>()]+))/.exec(source.slice(i));
      if (doc) {
        const delimiter = (doc[2] ?? doc[3] ?? doc[4] ?? '').replace(/\\/g, '');
        pendingDocs.push({ delimiter, stripTabs: doc[1] === '-' });
        heredocs.push('');
        out += ` < __steerable_heredoc${heredocs.length - 1}__ `;
        i += doc[0].length;
        continue;
      }
    }
    if (c === '\n') {
      out += ' ; ';
      i++;
      let first = heredocs.length - pendingDocs.length;
      for (const doc of pendingDocs.splice(0)) {
        const body: string[] = [];
        while (i < source.length) {
          const end = source.indexOf('\n', i);
          const line = source.slice(i, end < 0 ? source.length : end);
          i = end < 0 ? source.length : end + 1;
          if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) break;
          body.push(line);
        }
        heredocs[first++] = body.join('\n');
      }
      continue;
    }
    out += c;
    i++;
  }
  return { text: out, subs, heredocs, balanced: balanced && quote === undefined };
}

/** The index of the `)` closing the `(` at `open`, skipping quotes and nesting; -1 if none. */
function closing(source: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '\\') i++;
    else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}
