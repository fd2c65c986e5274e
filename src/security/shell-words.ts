import path from 'node:path';
import type { ShellScript, SimpleCommand } from './shell-command.js';
import { DOWNLOADERS, PRIVILEGE, PRIVILEGE_OPTIONS, SHELLS, WRAPPERS } from './shell-vocabulary.js';

/** Words that are not options (everything after `--` counts), skipping the values of `withValue` options. */
export function operandsOf(
  args: readonly string[],
  withValue: ReadonlySet<string> = new Set(),
): string[] {
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...operands, ...args.slice(i + 1)];
    if (withValue.has(arg)) i++;
    else if (!arg.startsWith('-') || arg === '-') operands.push(arg);
  }
  return operands;
}

/** Drops leading options (and the values of `withValue` options), up to the first operand. */
export function skipOptions(words: readonly string[], withValue: ReadonlySet<string>): string[] {
  let i = 0;
  while (i < words.length && words[i]!.startsWith('-') && words[i] !== '-') {
    if (words[i] === '--') return words.slice(i + 1);
    i += withValue.has(words[i]!) ? 2 : 1;
  }
  return words.slice(i);
}

/**
 * The command a chain of wrappers runs (`sudo -u x env A=1 nohup cmd` → `cmd`), and the
 * privilege programs on the way. `su` ends the chain (its command is a `-c` string).
 */
export function unwrapWords(argv: readonly string[]): { words: string[]; privileged: string[] } {
  let words = [...argv];
  const privileged: string[] = [];
  for (let guard = 0; guard < 10 && words.length > 0; guard++) {
    const program = path.basename(words[0]!);
    if (PRIVILEGE.has(program)) {
      privileged.push(program);
      if (program === 'su') return { words: [], privileged };
      words = skipOptions(words.slice(1), PRIVILEGE_OPTIONS);
    } else if (program === 'env') {
      words = skipOptions(words.slice(1), new Set(['-u', '-C', '-S']));
      while (words[0] !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) words.shift();
    } else if (WRAPPERS[program]) {
      words = skipOptions(words.slice(1), WRAPPERS[program]);
      if (program === 'timeout') words = words.slice(1);
    } else {
      break;
    }
  }
  return { words, privileged };
}

/** Whether a command (through its wrappers) is a download: `curl`, `wget`... */
export function isDownloader(command: SimpleCommand): boolean {
  const program = unwrapWords(command.argv).words[0];
  return program !== undefined && DOWNLOADERS.has(path.basename(program));
}

/** Whether a script downloads anything, its substitutions included. */
export function containsDownloader(script: ShellScript): boolean {
  return script.pipelines.some((p) =>
    p.some((c) => isDownloader(c) || c.substitutions.some(containsDownloader)),
  );
}

/** Whether an interpreter given these arguments reads its program from standard input. */
export function readsProgramFromStdin(program: string, args: readonly string[]): boolean {
  if (args.some((a) => /^-[a-zA-Z]*[ce]$/.test(a) || a === '-m')) return false;
  if (SHELLS.has(program) && args.includes('-s')) return true;
  const operands = operandsOf(args);
  return operands.length === 0 || operands[0] === '-';
}

/** `host:path` or `user@host:path` (not a Windows drive letter). */
export function isRemoteLocation(word: string): boolean {
  return /^[^/\s]*[^/\s\\]:/.test(word) && !/^[A-Za-z]:[\\/]/.test(word);
}
