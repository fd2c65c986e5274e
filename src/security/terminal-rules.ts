import path from 'node:path';
import type { SecurityRisk } from '../events/schema.js';
import { type PathInfo, classifyPath } from './path-class.js';
import { maxRisk } from './security-risk.js';
import { type ShellScript, type SimpleCommand, parseShell } from './shell-command.js';

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
const WRITE_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '>&']);
const PRIVILEGE = new Set(['sudo', 'su', 'doas', 'pkexec', 'runas']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'csh', 'tcsh', 'ash']);
const INTERPRETERS = new Set([
  ...SHELLS,
  'python',
  'python2',
  'python3',
  'node',
  'nodejs',
  'deno',
  'bun',
  'ruby',
  'perl',
  'php',
  'lua',
  'Rscript',
  'pwsh',
  'powershell',
]);
const DOWNLOADERS = new Set(['curl', 'wget', 'aria2c', 'http', 'https', 'xh', 'fetch']);
const REMOTE = new Set(['ssh', 'scp', 'sftp', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'ftp']);
const SYSTEM_CHANGERS = new Set([
  'fdisk',
  'sfdisk',
  'parted',
  'wipefs',
  'mkswap',
  'swapon',
  'swapoff',
  'mount',
  'umount',
  'shutdown',
  'reboot',
  'halt',
  'poweroff',
  'init',
  'telinit',
  'systemctl',
  'service',
  'launchctl',
  'crontab',
  'useradd',
  'userdel',
  'usermod',
  'groupadd',
  'groupdel',
  'passwd',
  'chpasswd',
  'visudo',
  'iptables',
  'ip6tables',
  'nft',
  'ufw',
  'sysctl',
  'modprobe',
  'insmod',
  'rmmod',
]);
const PACKAGE_MANAGERS = new Set([
  'npm',
  'pnpm',
  'yarn',
  'pip',
  'pip3',
  'pipx',
  'uv',
  'poetry',
  'cargo',
  'go',
  'gem',
  'bundle',
  'composer',
  'apt',
  'apt-get',
  'dnf',
  'yum',
  'apk',
  'brew',
  'pacman',
  'snap',
  'conda',
]);
const PACKAGE_READS = new Set([
  'ls',
  'list',
  'view',
  'info',
  'show',
  'outdated',
  'freeze',
  'search',
  'why',
  'explain',
  'config',
  'help',
  'version',
  '--version',
  '-v',
  '-V',
]);
const READ_ONLY = new Set(
  (
    'ls ll la dir cat tac head tail less more grep egrep fgrep rg ag ack fd wc uniq cut tr diff cmp comm ' +
    'echo printf pwd which whereis type file stat du df tree date cal whoami id groups uname hostname ' +
    'printenv true false test [ [[ sleep basename dirname realpath readlink jq yq md5sum sha1sum sha256sum ' +
    'sha512sum shasum cksum xxd hexdump od nl column ps pgrep top htop free uptime history man help info ' +
    'lsof netstat ss whatis apropos locate seq yes expr bc clear tput export set unset alias declare local ' +
    'read shift exit return wait jobs fg bg : popd dirs'
  ).split(' '),
);
const WRAPPERS: Record<string, ReadonlySet<string>> = {
  nohup: new Set(),
  time: new Set(['-f', '-o']),
  nice: new Set(['-n']),
  ionice: new Set(['-c', '-n', '-p']),
  stdbuf: new Set(['-i', '-o', '-e']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  xargs: new Set(['-I', '-n', '-P', '-L', '-d', '-a', '-E', '-s', '--max-args', '--max-procs']),
  exec: new Set(['-a']),
  command: new Set(),
  builtin: new Set(),
  setsid: new Set(),
  chronic: new Set(),
  unbuffer: new Set(),
};
const PRIVILEGE_OPTIONS = new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U']);
const VERSION_FLAGS = new Set(['--version', '-v', '-V', 'version', '--help', '-h']);

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
      const value = arg.startsWith('-') ? arg.slice(arg.indexOf('=') + 1) : arg;
      if (value !== arg || !arg.startsWith('-')) {
        if (value !== '' && this.classify(value, state).credential) {
          this.add('high', `touches credentials (${value})`);
        }
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
      this.git(args, state);
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
    } else if (['npx', 'pnpx', 'bunx', 'uvx'].includes(program)) {
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

  git(args: string[], state: ShellState): void {
    const words = skipOptions(
      args,
      new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']),
    );
    const sub = words[0] ?? '';
    const rest = words.slice(1);
    const has = (...flags: string[]) =>
      rest.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
    const reads = new Set(
      (
        'status log diff show blame grep ls-files ls-tree ls-remote rev-parse rev-list describe shortlog ' +
        'cat-file show-ref whatchanged version help'
      ).split(' '),
    );
    if (sub === '' || reads.has(sub)) return;
    if (sub === 'push') {
      const force = has(
        '-f',
        '--force',
        '--force-with-lease',
        '--mirror',
        '--delete',
        '-d',
        '--prune',
      );
      if (force || rest.some((a) => /^[+:]/.test(a))) {
        this.add('high', 'rewrites or deletes history on a remote (git push --force/--delete)');
      } else {
        this.add('medium', 'pushes to a remote (git push)');
      }
      return;
    }
    if (['filter-branch', 'filter-repo'].includes(sub)) {
      return this.add('high', `rewrites the repository's history (git ${sub})`);
    }
    if (
      (sub === 'reflog' && ['expire', 'delete'].includes(rest[0] ?? '')) ||
      (sub === 'update-ref' && has('-d'))
    ) {
      return this.add('high', `destroys git history (git ${sub} ${rest[0] ?? ''})`.trim());
    }
    if (sub === 'config') {
      if (has('--get', '--get-all', '--get-regexp', '--list', '-l') || rest.length <= 1) return;
      if (
        rest.some((a) =>
          /^(credential\.|core\.(hookspath|sshcommand|fsmonitor|pager|editor)|alias\.)/i.test(a),
        )
      ) {
        return this.add('high', 'changes git settings that run programs or hold credentials');
      }
      return this.add('medium', 'changes git settings');
    }
    const listing = (flags: string[]) => rest.every((a) => flags.includes(a));
    if (
      sub === 'branch' &&
      listing(['-a', '-r', '-v', '-vv', '--list', '--show-current', '--all', '--remotes'])
    )
      return;
    if (sub === 'tag' && listing(['-l', '--list'])) return;
    if (sub === 'remote' && (listing(['-v']) || ['show', 'get-url'].includes(rest[0] ?? '')))
      return;
    if (sub === 'stash' && ['list', 'show'].includes(rest[0] ?? '')) return;
    this.add('medium', `changes the repository (git ${sub})`);
    void state;
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

/** Words that are not options (everything after `--` counts), skipping the values of `withValue` options. */
function operandsOf(args: readonly string[], withValue: ReadonlySet<string> = new Set()): string[] {
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
function skipOptions(words: readonly string[], withValue: ReadonlySet<string>): string[] {
  let i = 0;
  while (i < words.length && words[i]!.startsWith('-') && words[i] !== '-') {
    if (words[i] === '--') return words.slice(i + 1);
    i += withValue.has(words[i]!) ? 2 : 1;
  }
  return words.slice(i);
}

/** The command a wrapper runs (`sudo -u x env A=1 nohup cmd` → `cmd`), and the privilege programs on the way. */
function unwrapWords(argv: readonly string[]): { words: string[]; privileged: string[] } {
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

function isDownloader(command: SimpleCommand): boolean {
  const program = unwrapWords(command.argv).words[0];
  return program !== undefined && DOWNLOADERS.has(path.basename(program));
}

function containsDownloader(script: ShellScript): boolean {
  return script.pipelines.some((p) =>
    p.some((c) => isDownloader(c) || c.substitutions.some(containsDownloader)),
  );
}

function readsProgramFromStdin(program: string, args: readonly string[]): boolean {
  if (args.some((a) => /^-[a-zA-Z]*[ce]$/.test(a) || a === '-m')) return false;
  if (SHELLS.has(program) && args.includes('-s')) return true;
  const operands = operandsOf(args);
  return operands.length === 0 || operands[0] === '-';
}

function isRemoteLocation(word: string): boolean {
  return /^[^/\s]*[^/\s\\]:/.test(word) && !/^[A-Za-z]:[\\/]/.test(word);
}

function systemReadOnly(program: string, args: readonly string[]): boolean {
  const first = args[0] ?? '';
  switch (program) {
    case 'systemctl':
      return [
        'status',
        'show',
        'is-active',
        'is-enabled',
        'is-failed',
        'list-units',
        'list-unit-files',
        'cat',
      ].includes(first);
    case 'crontab':
      return args.includes('-l');
    case 'sysctl':
      return !args.some((a) => a === '-w' || a.includes('='));
    case 'mount':
      return args.length === 0;
    case 'ufw':
      return first === 'status';
    case 'iptables':
    case 'ip6tables':
      return args.some((a) => ['-L', '-S', '--list'].includes(a));
    case 'service':
      return args.includes('status');
    default:
      return false;
  }
}
