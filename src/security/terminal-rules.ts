import path from 'node:path';
import type { SecurityRisk } from '../events/schema.js';
import { type PathInfo, classifyPath } from './path-class.js';
import { maxRisk } from './security-risk.js';
import { rateGitCommand } from './git-rules.js';
import { type ShellScript, type SimpleCommand, parseShell } from './shell-command.js';
import {
  DOWNLOADERS,
  INTERPRETERS,
  PACKAGE_MANAGERS,
  PACKAGE_READS,
  PACKAGE_RUNNERS,
  READ_ONLY,
  REMOTE,
  SHELLS,
  SYSTEM_CHANGERS,
  VERSION_FLAGS,
  WRITE_REDIRECTS,
  systemReadOnly,
} from './shell-vocabulary.js';
import {
  containsDownloader,
  isDownloader,
  isRemoteLocation,
  operandsOf,
  readsProgramFromStdin,
  skipOptions,
  unwrapWords,
} from './shell-words.js';

/** A risk with the reasons for it (the findings at that level). */
export interface RiskAssessment {
  risk: SecurityRisk;
  reasons: string[];
}

/** Where a command runs. */
export interface ShellRiskOptions {
  /** The workspace: commands run there, and changing it is the agent's job. */
  workspace: string;
  /** The home directory (default `os.homedir()`). */
  home?: string;
}

interface Finding {
  risk: SecurityRisk;
  reason: string;
}

interface ShellState {
  /** The current directory; undefined once a `cd` made it unknowable. */
  cwd: string | undefined;
}

const FORK_BOMB = /:\s*\(\s*\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:/;

/**
 * Rates a bash command by rules, after parsing it into simple commands (see
 * `parseShell`): `high` for privilege (`sudo`), downloaded code run by a shell
 * (`curl ... | sh`, `bash <(curl ...)`), deleting or writing outside the workspace or in
 * system paths, changes to `.git` or credentials, history-destroying git commands,
 * system administration (`mkfs`, `shutdown`, `systemctl`...), connections to other
 * machines and uploads of local files; `medium` for anything that changes the
 * workspace, installs packages or runs code; `low` for commands that only read;
 * `unknown` when the text does not parse. Relative paths start at the workspace (or
 * the directory of an earlier `cd` in the same command).
 *
 * @example
 * ```ts
 * rateShellCommand('rm -rf /tmp/build ~/old', { workspace: '/ws' });
 * // { risk: 'high', reasons: ['deletes outside the workspace (~/old)'] }
 * rateShellCommand('grep -rn TODO src | head', { workspace: '/ws' }).risk; // 'low'
 * ```
 */
export function rateShellCommand(command: string, options: ShellRiskOptions): RiskAssessment {
  const text = command.trim();
  if (text === '') return { risk: 'low', reasons: [] };
  const rater = new ShellRater(options);
  if (FORK_BOMB.test(text)) rater.add('high', 'a fork bomb');
  const script = parseShell(text);
  rater.script(script, { cwd: path.resolve(options.workspace) });
  if (!script.balanced) rater.add('unknown', 'the command has an unclosed quote or substitution');
  return rater.result();
}

class ShellRater {
  readonly #options: ShellRiskOptions;
  readonly #findings: Finding[] = [];
  #depth = 0;

  constructor(options: ShellRiskOptions) {
    this.#options = options;
  }

  add(risk: SecurityRisk, reason: string): void {
    this.#findings.push({ risk, reason });
  }

  result(): RiskAssessment {
    const risk = maxRisk(this.#findings.map((f) => f.risk));
    const reasons = [
      ...new Set(this.#findings.filter((f) => f.risk === risk).map((f) => f.reason)),
    ];
    return { risk, reasons };
  }

  script(script: ShellScript, state: ShellState): void {
    if (this.#depth > 8) return this.add('unknown', 'the command nests too deeply to rate');
    this.#depth++;
    for (const pipeline of script.pipelines) {
      pipeline.forEach((command, i) => {
        const afterDownload = pipeline.slice(0, i).some((c) => isDownloader(c));
        this.command(command, state, afterDownload);
      });
    }
    this.#depth--;
  }

  command(command: SimpleCommand, state: ShellState, afterDownload = false): void {
    for (const sub of command.substitutions) this.script(sub, { cwd: state.cwd });
    for (const r of command.redirects) {
      if (WRITE_REDIRECTS.has(r.op) && !/^(\d+|-)$/.test(r.target)) this.write(r.target, state);
      else if (r.op === '<') this.read(r.target, state);
    }
    const argv = this.unwrap(command.argv, state);
    if (argv.length === 0) return;
    const program = path.basename(argv[0]!);
    const args = argv.slice(1);
    for (const arg of args) {
      // An operand, or the value of an option written `--file=value`.
      const value = !arg.startsWith('-')
        ? arg
        : arg.includes('=')
          ? arg.slice(arg.indexOf('=') + 1)
          : '';
      if (value !== '' && this.classify(value, state).credential) {
        this.add('high', `touches credentials (${value})`);
      }
    }
    const runsDownload = command.substitutions.some(containsDownloader);
    if ((INTERPRETERS.has(program) || ['eval', 'source', '.'].includes(program)) && runsDownload) {
      this.add('high', `runs code it downloads (${program})`);
    }
    if (INTERPRETERS.has(program) && afterDownload && readsProgramFromStdin(program, args)) {
      this.add('high', `pipes downloaded content into ${program}`);
    }
    this.program(program, args, command, state);
  }

  /** Strips `sudo`, `env`, `nohup`, `xargs`... and returns the command they run. */
  unwrap(argv: readonly string[], state: ShellState): string[] {
    const { words, privileged } = unwrapWords(argv);
    for (const program of privileged)
      this.add('high', `runs with elevated privileges (${program})`);
    if (privileged.includes('su')) {
      const c = argv.indexOf('-c');
      if (c >= 0 && argv[c + 1]) this.script(parseShell(argv[c + 1]!), { cwd: state.cwd });
      return [];
    }
    return words;
  }

  program(program: string, args: string[], command: SimpleCommand, state: ShellState): void {
    const operands = operandsOf(args);
    if (program === 'rm') {
      const recursive = args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === '--recursive');
      if (operands.length === 0) this.add('medium', 'deletes files');
      for (const target of operands) this.remove(target, state, recursive);
    } else if (['rmdir', 'unlink', 'shred'].includes(program)) {
      for (const target of operands) this.remove(target, state, false);
    } else if (program === 'find') {
      this.find(args, state);
    } else if (['cp', 'install', 'ln'].includes(program)) {
      this.copy(args, operands, state);
    } else if (program === 'rsync') {
      if (operands.some(isRemoteLocation)) this.add('high', 'copies to or from another machine');
      else this.copy(args, operands, state);
    } else if (['mv', 'tee', 'touch', 'mkdir', 'mkfifo', 'mknod'].includes(program)) {
      for (const target of operandsOf(args, new Set(['-m', '--mode', '-t']))) {
        this.write(target, state);
      }
      if (operands.length === 0 && program !== 'tee') this.add('medium', `runs \`${program}\``);
    } else if (program === 'truncate') {
      for (const target of operandsOf(args, new Set(['-s', '--size', '-r']))) {
        this.write(target, state);
      }
    } else if (['chmod', 'chown', 'chgrp', 'chattr', 'setfacl'].includes(program)) {
      const targets = args.some((a) => a.startsWith('--reference')) ? operands : operands.slice(1);
      for (const target of targets) this.write(target, state);
    } else if (program === 'sed' || program === 'perl') {
      this.inPlace(program, args, state);
    } else if (program === 'dd') {
      for (const arg of args) {
        if (arg.startsWith('of=')) this.write(arg.slice(3), state);
        if (arg.startsWith('if=')) this.read(arg.slice(3), state);
      }
      this.add('medium', 'copies raw data (dd)');
    } else if (program === 'sort') {
      const o = args.findIndex((a) => a === '-o' || a.startsWith('--output'));
      if (o >= 0)
        this.write(args[o]!.includes('=') ? args[o]!.split('=')[1]! : (args[o + 1] ?? ''), state);
    } else if (SYSTEM_CHANGERS.has(program) || /^mkfs(\..+)?$/.test(program)) {
      if (!systemReadOnly(program, args)) this.add('high', `changes the system (${program})`);
    } else if (['kill', 'pkill', 'killall'].includes(program)) {
      this.add('medium', `stops processes (${program})`);
    } else if (program === 'git') {
      const finding = rateGitCommand(args);
      if (finding) this.add(finding.risk, finding.reason);
    } else if (DOWNLOADERS.has(program)) {
      this.download(program, args, state);
    } else if (REMOTE.has(program)) {
      this.add('high', `connects to another machine (${program})`);
    } else if (INTERPRETERS.has(program)) {
      this.interpreter(program, args, command, state);
    } else if (program === 'eval') {
      this.script(parseShell(args.join(' ')), state);
    } else if (program === 'watch') {
      this.script(parseShell(skipOptions(args, new Set(['-n', '-d'])).join(' ')), state);
    } else if (program === 'source' || program === '.') {
      this.add('medium', 'runs a shell script');
    } else if (program === 'cd' || program === 'pushd') {
      this.cd(operands[0], state);
    } else if (PACKAGE_MANAGERS.has(program)) {
      const sub = operands[0] ?? args[0] ?? '';
      if (!PACKAGE_READS.has(sub))
        this.add('medium', `installs packages or runs scripts (${program} ${sub})`.trim());
    } else if (PACKAGE_RUNNERS.has(program)) {
      this.add('medium', `runs a package (${program})`);
    } else if (program === 'awk' || program === 'gawk') {
      if (args.some((a) => /system\s*\(|[|>]/.test(a)))
        this.add('medium', 'runs an awk program that writes or runs commands');
    } else if (!READ_ONLY.has(program)) {
      this.add('medium', `runs \`${program}\``);
    }
  }

  interpreter(program: string, args: string[], command: SimpleCommand, state: ShellState): void {
    if (args.length === 1 && VERSION_FLAGS.has(args[0]!)) return;
    if (SHELLS.has(program)) {
      const c = args.findIndex((a) => /^-[a-zA-Z]*c$/.test(a));
      if (c >= 0 && args[c + 1] !== undefined) {
        this.script(parseShell(args[c + 1]!), { cwd: state.cwd });
        return;
      }
      if (command.heredoc !== undefined)
        this.script(parseShell(command.heredoc), { cwd: state.cwd });
      this.add('medium', `runs a shell script (${program})`);
      return;
    }
    this.add('medium', `runs code (${program})`);
  }

  find(args: string[], state: ShellState): void {
    const starts: string[] = [];
    for (const arg of args) {
      if (arg.startsWith('-') || arg === '(' || arg === '!') break;
      starts.push(arg);
    }
    if (starts.length === 0) starts.push('.');
    if (args.includes('-delete')) {
      for (const start of starts) {
        // Deleting matches under the workspace is not deleting the workspace.
        if (this.classify(start, state).kind === 'workspace-root') {
          this.add('medium', `deletes matching files in the workspace (${start})`);
        } else this.remove(start, state, true);
      }
    }
    args.forEach((arg, i) => {
      if (['-fprint', '-fprint0', '-fprintf', '-fls'].includes(arg))
        this.write(args[i + 1] ?? '', state);
      if (!['-exec', '-execdir', '-ok', '-okdir'].includes(arg)) return;
      const end = args.findIndex((a, j) => j > i && (a === ';' || a === '+'));
      const argv = args
        .slice(i + 1, end < 0 ? undefined : end)
        .map((a) => (a === '{}' ? starts[0]! : a));
      this.command({ argv, assignments: [], redirects: [], substitutions: [] }, state);
    });
  }

  copy(args: string[], operands: string[], state: ShellState): void {
    const t = args.findIndex((a) => a === '-t' || a.startsWith('--target-directory'));
    const target =
      t >= 0 ? (args[t]!.includes('=') ? args[t]!.split('=')[1] : args[t + 1]) : operands.at(-1);
    if (target === undefined || (t < 0 && operands.length < 2)) {
      this.add('medium', 'copies files');
      return;
    }
    for (const source of operands) if (source !== target) this.read(source, state);
    this.write(target, state);
  }

  inPlace(program: string, args: string[], state: ShellState): void {
    const inPlace = args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place'));
    if (program === 'perl' && !inPlace) {
      this.add('medium', 'runs code (perl)');
      return;
    }
    if (!inPlace) return;
    const hasScriptOption = args.some((a) => ['-e', '-f', '--expression', '--file'].includes(a));
    const files = operandsOf(args, new Set(['-e', '-f', '--expression', '--file']));
    for (const file of hasScriptOption ? files : files.slice(1)) this.write(file, state);
  }

  download(program: string, args: string[], state: ShellState): void {
    const uploads =
      program === 'curl'
        ? args.some((a, i) => {
            if (a === '-T' || a.startsWith('--upload-file')) return true;
            const data = /^(-d|-F|--data(-binary|-raw|-urlencode)?|--form|--json)(=?)(.*)$/.exec(a);
            if (!data) return false;
            const value = data[4] !== '' ? data[4]! : (args[i + 1] ?? '');
            return /(^|=)[@<]/.test(value);
          })
        : args.some((a) => a.startsWith('--post-file') || a.startsWith('--body-file'));
    if (uploads) this.add('high', `sends a local file over the network (${program})`);
    const output = args.findIndex((a) =>
      ['-o', '--output', '-O', '--output-document'].includes(a.split('=')[0]!),
    );
    if (output >= 0) {
      const flag = args[output]!;
      const file = flag.includes('=')
        ? flag.split('=')[1]!
        : flag === '-O' && program === 'curl'
          ? ''
          : args[output + 1];
      if (file && file !== '-') this.write(file, state);
    }
    this.add('medium', `downloads from the network (${program})`);
  }

  cd(target: string | undefined, state: ShellState): void {
    if (target === undefined || target === '~') state.cwd = this.#options.home ?? process.env.HOME;
    else if (target === '-' || state.cwd === undefined) state.cwd = undefined;
    else {
      const info = this.classify(target, state);
      state.cwd = info.kind === 'dynamic' ? undefined : info.resolved;
    }
  }

  write(word: string, state: ShellState): void {
    const info = this.classify(word, state);
    if (info.kind === 'sink') return;
    if (info.credential) return this.add('high', `writes credentials (${word})`);
    if (info.gitInternal)
      return this.add('high', `changes the git repository's internals (${word})`);
    if (info.kind === 'system') return this.add('high', `writes to a system path (${word})`);
    if (info.kind === 'outside') return this.add('high', `writes outside the workspace (${word})`);
    if (info.kind === 'dynamic')
      return this.add('medium', `writes to a path known only at run time (${word})`);
    if (info.kind === 'temp')
      return this.add('medium', `writes to a temporary directory (${word})`);
    this.add('medium', `changes files in the workspace (${word})`);
  }

  remove(word: string, state: ShellState, recursive: boolean): void {
    const info = this.classify(word, state);
    if (info.credential) return this.add('high', `deletes credentials (${word})`);
    if (info.gitInternal)
      return this.add('high', `deletes the git repository's internals (${word})`);
    if (info.kind === 'system' || info.kind === 'sink')
      return this.add('high', `deletes system files (${word})`);
    if (info.kind === 'outside') return this.add('high', `deletes outside the workspace (${word})`);
    if (info.kind === 'workspace-root')
      return this.add('high', `deletes the whole workspace (${word})`);
    if (info.kind === 'dynamic') {
      return this.add(
        recursive ? 'high' : 'medium',
        `deletes a path known only at run time (${word})`,
      );
    }
    this.add(
      'medium',
      `deletes files${info.kind === 'temp' ? ' in a temporary directory' : ' in the workspace'} (${word})`,
    );
  }

  read(word: string, state: ShellState): void {
    if (this.classify(word, state).credential) this.add('high', `reads credentials (${word})`);
  }

  classify(word: string, state: ShellState): PathInfo {
    return classifyPath(word, {
      workspace: this.#options.workspace,
      cwd: state.cwd,
      ...(this.#options.home !== undefined ? { home: this.#options.home } : {}),
    });
  }
}
