import path from 'node:path';
import type { SecurityRisk } from '../../events/schema.js';
import { parseControlKey } from './control-keys.js';

/** The arguments of a terminal call that matter for its risk. */
export interface TerminalRiskInput {
  command: string;
  is_input?: boolean;
  reset?: boolean;
}

/** Top-level directories of the system: writing there is high risk. */
const SYSTEM_DIRS =
  /^\/(etc|usr|bin|sbin|boot|lib|lib32|lib64|libx32|opt|sys|proc|dev|var|root|srv|snap|System|Library|Applications|private)(\/|$)/;
/** Device files that are harmless to write to. */
const HARMLESS_DEVICES = /^\/dev\/(null|zero|stdout|stderr|stdin|tty|fd\/\d+)$/;

const PRIVILEGE = /(^|[;&|({`]|\$\(|\s)(sudo|doas|pkexec)\s|(^|[;&|]\s*)su(\s|$)/;
const PIPE_TO_SHELL =
  /\b(curl|wget|fetch)\b[^|;&]*\|\s*(sudo\s+)?(env\s+)?((ba|z|da|k|c|tc|fi)?sh|python\d*|perl|ruby|node|php)\b/;
const DESTRUCTIVE =
  /\b(mkfs(\.\w+)?|fdisk|sfdisk|parted|wipefs|shred|shutdown|reboot|halt|poweroff|init\s+[06]|dd\s+[^;&|]*of=\/dev\/)|:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:/;
const MEDIUM =
  /(^|[;&|({]\s*|\s)(rm|rmdir|mv|chmod|chown|chgrp|kill|pkill|killall|ssh|scp|rsync|docker|kubectl|systemctl|crontab|curl|wget)\s|\b(apt|apt-get|yum|dnf|apk|brew|pacman|zypper)\s+(install|remove|purge|upgrade)|\b(pip3?|pipx|gem|cargo)\s+install|\bnpm\s+(i|install|add)\s+(-g|--global)|\bgit\s+(push|reset\s+--hard|clean\s+-\w*f|checkout\s+--\s)|\bnpm\s+publish/;

/**
 * Rates a terminal call for confirmation policies. `high`: privilege escalation (`sudo`),
 * piping a download into a shell, recursive deletion outside the workspace, writes to
 * system directories, disk and power commands. `medium`: deletions and moves inside the
 * workspace, package installs, network and process control, typing into a running program.
 * `low`: everything else. A heuristic on the text of the command, not a sandbox.
 *
 * @example
 * ```ts
 * terminalSecurityRisk({ command: 'sudo rm -rf /' }, { workspace: '/ws' }); // 'high'
 * terminalSecurityRisk({ command: 'ls -la' }, { workspace: '/ws' }); // 'low'
 * ```
 */
export function terminalSecurityRisk(
  args: TerminalRiskInput,
  { workspace }: { workspace: string },
): SecurityRisk {
  const command = args.command.trim();
  if (command === '' || parseControlKey(command) !== undefined) return 'low';
  if (args.is_input) return 'medium';
  if (PRIVILEGE.test(command) || PIPE_TO_SHELL.test(command) || DESTRUCTIVE.test(command)) {
    return 'high';
  }
  const words = splitWords(command);
  if (recursiveDeleteOutside(words, workspace) || writesToSystem(command, words)) return 'high';
  if (MEDIUM.test(command)) return 'medium';
  return 'low';
}

/** Rough shell words, with quotes removed (enough for a risk heuristic, not a parser). */
function splitWords(command: string): string[] {
  return (command.match(/"[^"]*"|'[^']*'|[^\s;&|()<>]+|[;&|()<>]+/g) ?? []).map((w) =>
    w.replace(/^(["'])(.*)\1$/, '$2'),
  );
}

function isOutside(target: string, workspace: string): boolean {
  if (/^(~|\$HOME|\$\{HOME\})/.test(target) || target.startsWith('$')) return true;
  const resolved = path.resolve(workspace, target);
  const relative = path.relative(path.resolve(workspace), resolved);
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
}

function recursiveDeleteOutside(words: readonly string[], workspace: string): boolean {
  for (let i = 0; i < words.length; i++) {
    if (words[i] !== 'rm') continue;
    const args: string[] = [];
    for (let j = i + 1; j < words.length && !/^[;&|()<>]+$/.test(words[j] ?? ''); j++) {
      args.push(words[j] ?? '');
    }
    const recursive = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === '--recursive');
    const targets = args.filter((a) => !a.startsWith('-'));
    if (recursive && targets.some((t) => t === '/' || t === '*' || isOutside(t, workspace))) {
      return true;
    }
  }
  return false;
}

function isSystemPath(target: string): boolean {
  return SYSTEM_DIRS.test(target) && !HARMLESS_DEVICES.test(target);
}

function writesToSystem(command: string, words: readonly string[]): boolean {
  for (const match of command.matchAll(/>>?\|?\s*("[^"]*"|'[^']*'|[^\s;&|]+)/g)) {
    if (isSystemPath((match[1] ?? '').replace(/^(["'])(.*)\1$/, '$2'))) return true;
  }
  for (let i = 0; i < words.length; i++) {
    const program = words[i] ?? '';
    if (!WRITERS.test(program)) continue;
    const args: string[] = [];
    for (let j = i + 1; j < words.length && !/^[;&|()<>]+$/.test(words[j] ?? ''); j++) {
      args.push(words[j] ?? '');
    }
    const paths = args.filter((a) => !a.startsWith('-'));
    // `sed` writes only with -i; `cp`, `install` and `ln` only to their last argument.
    if (program === 'sed' && !args.some((a) => /^-[a-zA-Z]*i/.test(a) || a === '--in-place')) {
      continue;
    }
    const written = /^(cp|install|ln)$/.test(program) ? paths.slice(-1) : paths;
    if (written.some(isSystemPath)) return true;
  }
  return false;
}

const WRITERS = /^(tee|cp|mv|install|ln|chmod|chown|chgrp|truncate|sed|rm|rmdir|touch|mkdir)$/;
