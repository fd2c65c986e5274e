import type { SecurityRisk } from '../events/schema.js';
import { skipOptions } from './shell-words.js';

/** Git subcommands that only read. */
const READS = new Set(
  (
    'status log diff show blame grep ls-files ls-tree ls-remote rev-parse rev-list describe ' +
    'shortlog cat-file show-ref whatchanged version help'
  ).split(' '),
);
/** Settings whose values run programs or hold credentials. */
const DANGEROUS_SETTING =
  /^(credential\.|core\.(hookspath|sshcommand|fsmonitor|pager|editor)|alias\.)/i;

/**
 * The risk of a `git` command (its arguments after `git`): reads are `low` (returns
 * `undefined`); rewriting or deleting history (`push --force`, `filter-branch`, `reflog
 * expire`, `update-ref -d`) and settings that run programs or hold credentials are
 * `high`; other changes are `medium`.
 */
export function rateGitCommand(
  args: readonly string[],
): { risk: SecurityRisk; reason: string } | undefined {
  const words = skipOptions(args, new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace']));
  const sub = words[0] ?? '';
  const rest = words.slice(1);
  const has = (...flags: string[]) =>
    rest.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  const only = (...flags: string[]) => rest.every((a) => flags.includes(a));
  if (sub === '' || READS.has(sub)) return undefined;
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
    return force || rest.some((a) => /^[+:]/.test(a))
      ? {
          risk: 'high',
          reason: 'rewrites or deletes history on a remote (git push --force/--delete)',
        }
      : { risk: 'medium', reason: 'pushes to a remote (git push)' };
  }
  if (sub === 'filter-branch' || sub === 'filter-repo') {
    return { risk: 'high', reason: `rewrites the repository's history (git ${sub})` };
  }
  if (
    (sub === 'reflog' && ['expire', 'delete'].includes(rest[0] ?? '')) ||
    (sub === 'update-ref' && has('-d'))
  ) {
    return { risk: 'high', reason: `destroys git history (git ${sub} ${rest[0] ?? ''})`.trim() };
  }
  if (sub === 'config') {
    if (has('--get', '--get-all', '--get-regexp', '--list', '-l') || rest.length <= 1)
      return undefined;
    return rest.some((a) => DANGEROUS_SETTING.test(a))
      ? { risk: 'high', reason: 'changes git settings that run programs or hold credentials' }
      : { risk: 'medium', reason: 'changes git settings' };
  }
  if (
    sub === 'branch' &&
    only('-a', '-r', '-v', '-vv', '--list', '--show-current', '--all', '--remotes')
  ) {
    return undefined;
  }
  if (sub === 'tag' && only('-l', '--list')) return undefined;
  if (sub === 'remote' && (only('-v') || ['show', 'get-url'].includes(rest[0] ?? '')))
    return undefined;
  if (sub === 'stash' && ['list', 'show'].includes(rest[0] ?? '')) return undefined;
  return { risk: 'medium', reason: `changes the repository (git ${sub})` };
}
