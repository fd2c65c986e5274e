import os from 'node:os';
import path from 'node:path';
import { isDynamicWord } from './shell-command.js';

/**
 * Where a path points, from the agent's point of view:
 * - `workspace-root`: the workspace itself (or every file in it, like `*`);
 * - `inside`: under the workspace;
 * - `temp`: a temporary directory (`/tmp`...), outside the workspace;
 * - `system`: the operating system's files (`/etc`, `/usr`, `/dev`...);
 * - `outside`: anywhere else (the home directory, other projects);
 * - `dynamic`: only known when the shell runs (`$DIR/x`, `$(cmd)`);
 * - `sink`: a device that holds nothing (`/dev/null`, `/dev/stdout`).
 */
export type PathKind =
  'workspace-root' | 'inside' | 'temp' | 'system' | 'outside' | 'dynamic' | 'sink';

/** A classified path. */
export interface PathInfo {
  kind: PathKind;
  /** The absolute path, when it could be resolved. */
  resolved?: string;
  /** Keys, tokens and passwords live there (`~/.ssh`, `.env`, `.aws/credentials`...). */
  credential: boolean;
  /** Inside a `.git` directory. */
  gitInternal: boolean;
}

/** Where relative paths start and what `~` means. */
export interface PathContext {
  workspace: string;
  /** The current directory of the command; `undefined` when a `cd` made it unknowable. */
  cwd: string | undefined;
  /** The home directory (default `os.homedir()`). */
  home?: string;
}

const SYSTEM_ROOTS = [
  '/etc',
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/boot',
  '/sys',
  '/proc',
  '/dev',
  '/var',
  '/opt',
  '/root',
  '/srv',
  '/snap',
  '/System',
  '/Library',
  '/Applications',
  '/private',
];
const SINKS = new Set([
  '/dev/null',
  '/dev/zero',
  '/dev/stdin',
  '/dev/stdout',
  '/dev/stderr',
  '/dev/tty',
]);
const CREDENTIAL_DIRS = new Set(['.ssh', '.gnupg', '.aws', '.azure', '.kube', '.password-store']);
const CREDENTIAL_FILES = new Set([
  '.netrc',
  '_netrc',
  '.npmrc',
  '.pypirc',
  '.git-credentials',
  '.pgpass',
  '.my.cnf',
  'credentials.json',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  'master.key',
]);
const CREDENTIAL_PATHS = ['/etc/shadow', '/etc/gshadow', '/etc/sudoers', '/etc/sudoers.d'];
const CREDENTIAL_EXTENSIONS = new Set(['.pem', '.p12', '.pfx', '.jks', '.keystore']);
const SAFE_ENV = /\.(example|sample|template|dist)$/;

/**
 * Classifies a path as a command would use it: relative to `cwd`, with `~`, `$HOME`
 * and `$PWD` expanded, globs kept as written.
 *
 * @example
 * ```ts
 * classifyPath('~/.ssh/id_rsa', { workspace: '/ws', cwd: '/ws' }); // { kind: 'outside', credential: true, ... }
 * classifyPath('src/a.ts', { workspace: '/ws', cwd: '/ws' }).kind; // 'inside'
 * ```
 */
export function classifyPath(word: string, context: PathContext): PathInfo {
  const home = context.home ?? os.homedir();
  let text = word;
  if (text === '~' || text.startsWith('~/')) text = home + text.slice(1);
  text = text.replace(/^\$(?:HOME\b|\{HOME\})/, home);
  const flags = { credential: isCredential(text), gitInternal: segments(text).includes('.git') };
  if (isDynamicWord(text) || text.startsWith('~') || context.cwd === undefined) {
    return path.isAbsolute(text) && !isDynamicWord(text)
      ? classifyAbsolute(path.resolve(text), context.workspace, home, flags)
      : { kind: 'dynamic', ...flags };
  }
  return classifyAbsolute(path.resolve(context.cwd, text), context.workspace, home, flags);
}

function classifyAbsolute(
  resolved: string,
  workspace: string,
  home: string,
  flags: { credential: boolean; gitInternal: boolean },
): PathInfo {
  const info = (kind: PathKind): PathInfo => ({
    kind,
    resolved,
    credential: flags.credential || isCredential(resolved),
    gitInternal: flags.gitInternal || segments(resolved).includes('.git'),
  });
  const root = path.resolve(workspace);
  if (resolved === root || isAllGlob(resolved, root)) return info('workspace-root');
  if (isUnder(resolved, root)) return info('inside');
  if (SINKS.has(resolved) || resolved.startsWith('/dev/fd/')) return info('sink');
  if (
    ['/tmp', '/var/tmp', '/private/tmp', '/dev/shm', os.tmpdir()].some((t) => isUnder(resolved, t))
  ) {
    return info('temp');
  }
  if (isUnder(resolved, home)) return info('outside');
  if (resolved === '/' || isAllGlob(resolved, '/')) return info('system');
  if (SYSTEM_ROOTS.some((r) => resolved === r || isUnder(resolved, r))) return info('system');
  return info('outside');
}

function isUnder(target: string, dir: string): boolean {
  const relative = path.relative(dir, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** `dir/*`, `dir/.*`: every file of a directory. */
function isAllGlob(resolved: string, dir: string): boolean {
  return (
    path.dirname(resolved) === dir &&
    /^[.*?]+$/.test(path.basename(resolved)) &&
    resolved.includes('*')
  );
}

function segments(text: string): string[] {
  return text.split(/[\\/]+/).filter((s) => s !== '');
}

function isCredential(text: string): boolean {
  if (CREDENTIAL_PATHS.some((p) => text === p || text.startsWith(`${p}/`))) return true;
  const parts = segments(text);
  if (parts.some((p) => CREDENTIAL_DIRS.has(p))) return true;
  const base = parts.at(-1) ?? '';
  if (CREDENTIAL_FILES.has(base)) return true;
  if (/^\.env(\..+)?$/.test(base) && !SAFE_ENV.test(base)) return true;
  if (CREDENTIAL_EXTENSIONS.has(path.extname(base).toLowerCase())) return true;
  const docker = parts.lastIndexOf('.docker');
  if (docker >= 0 && parts[docker + 1] === 'config.json') return true;
  const config = parts.lastIndexOf('.config');
  return config >= 0 && parts[config + 1] === 'gcloud';
}
