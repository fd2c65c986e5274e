import { promptCommand } from './prompt-marker.js';

/** How to start the terminal's shell: a program and its arguments. */
export interface ShellLaunch {
  file: string;
  args: string[];
}

const BASH_ARGS = ['--norc', '--noprofile', '--noediting', '-i'];

/** Quotes one word for a POSIX shell. */
export function shQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that starts an interactive bash on a pseudo-terminal through `script`:
 * util-linux `script -qfec` on Linux, BSD `script -q /dev/null` elsewhere. A real
 * terminal gives the shell job control, so Ctrl+C interrupts the foreground job (and
 * only it) exactly as it does for a person at a keyboard, while commands still run in
 * the shell itself, so `cd`, `export` and `source` persist.
 */
export function shellLaunch(
  shell: string,
  platform: NodeJS.Platform = process.platform,
): ShellLaunch {
  if (platform === 'linux') {
    const command = `exec ${[shell, ...BASH_ARGS].map(shQuote).join(' ')}`;
    return { file: 'script', args: ['-q', '-f', '-e', '-c', command, '/dev/null'] };
  }
  return { file: 'script', args: ['-q', '/dev/null', shell, ...BASH_ARGS] };
}

/** Size of the pseudo-terminal. */
export interface TerminalSize {
  columns: number;
  rows: number;
}

/**
 * The first line typed into a new shell: no echo of input and no `\r\n` translation on
 * the terminal, no history and no `!` expansion, empty prompts, and a `PROMPT_COMMAND`
 * that prints the prompt marker (exit code, shell pid, working directory) before every
 * prompt. The variables are set unexported, so shells started inside do not print markers.
 */
export function initLine(nonce: string, size: TerminalSize): string {
  return [
    `stty -echo -onlcr cols ${size.columns} rows ${size.rows} 2>/dev/null`,
    'set +H +o history',
    'unset HISTFILE PROMPT_COMMAND PS0 PS1 PS2 COLUMNS LINES',
    "PS1=''",
    "PS2=''",
    `PROMPT_COMMAND=${shQuote(promptCommand(nonce))}`,
  ].join('; ');
}

/** Environment variables the terminal sets so programs behave well without a person at a screen. */
export const TERMINAL_ENV: Readonly<Record<string, string>> = Object.freeze({
  TERM: 'dumb',
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  MANPAGER: 'cat',
});
