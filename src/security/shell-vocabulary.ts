/** Programs and options the shell rules know, by what they do. */

const words = (text: string): ReadonlySet<string> => new Set(text.trim().split(/\s+/));

/** Redirections that write to their target. */
export const WRITE_REDIRECTS = words('> >> >| &> &>> >&');
/** Programs that run a command as another (usually more powerful) user. */
export const PRIVILEGE = words('sudo su doas pkexec runas');
/** Options of `sudo` and friends that take a value. */
export const PRIVILEGE_OPTIONS = words('-u -g -h -p -C -D -r -t -U');
/** Shells: `-c` strings and here-documents are scripts. */
export const SHELLS = words('sh bash zsh dash ksh fish csh tcsh ash');
/** Programs that run code they are given (a file, a string, or standard input). */
export const INTERPRETERS = new Set([
  ...SHELLS,
  ...words('python python2 python3 node nodejs deno bun ruby perl php lua Rscript pwsh powershell'),
]);
/** Programs that fetch from the network. */
export const DOWNLOADERS = words('curl wget aria2c http https xh fetch');
/** Programs that connect to other machines. */
export const REMOTE = words('ssh scp sftp nc ncat netcat socat telnet ftp');
/** Programs that administer the system (disks, power, services, users, firewall, kernel). */
export const SYSTEM_CHANGERS = words(`
  fdisk sfdisk parted wipefs mkswap swapon swapoff mount umount shutdown reboot halt poweroff
  init telinit systemctl service launchctl crontab useradd userdel usermod groupadd groupdel
  passwd chpasswd visudo iptables ip6tables nft ufw sysctl modprobe insmod rmmod`);
/** Package managers (they install packages and run their scripts). */
export const PACKAGE_MANAGERS = words(`
  npm pnpm yarn pip pip3 pipx uv poetry cargo go gem bundle composer apt apt-get dnf yum apk
  brew pacman snap conda`);
/** Package-manager subcommands that only read. */
export const PACKAGE_READS = words(
  'ls list view info show outdated freeze search why explain config help version --version -v -V',
);
/** Programs that run other packages' code. */
export const PACKAGE_RUNNERS = words('npx pnpx bunx uvx');
/** Programs that only read (or print), whatever their arguments. */
export const READ_ONLY = words(`
  ls ll la dir cat tac head tail less more grep egrep fgrep rg ag ack fd wc uniq cut tr diff cmp
  comm echo printf pwd which whereis type file stat du df tree date cal whoami id groups uname
  hostname printenv true false test [ [[ sleep basename dirname realpath readlink jq yq md5sum
  sha1sum sha256sum sha512sum shasum cksum xxd hexdump od nl column ps pgrep top htop free
  uptime history man help info lsof netstat ss whatis apropos locate seq yes expr bc clear tput
  export set unset alias declare local read shift exit return wait jobs fg bg : popd dirs`);
/** Programs that run the command after their options, and the options that take a value. */
export const WRAPPERS: Readonly<Record<string, ReadonlySet<string>>> = {
  nohup: words(''),
  time: words('-f -o'),
  nice: words('-n'),
  ionice: words('-c -n -p'),
  stdbuf: words('-i -o -e'),
  timeout: words('-s -k --signal --kill-after'),
  xargs: words('-I -n -P -L -d -a -E -s --max-args --max-procs'),
  exec: words('-a'),
  command: words(''),
  builtin: words(''),
  setsid: words(''),
  chronic: words(''),
  unbuffer: words(''),
};
/** Arguments that only print a version or help. */
export const VERSION_FLAGS = words('--version -v -V version --help -h');

/** Whether a system-administration program's arguments only read (`systemctl status`, `crontab -l`). */
export function systemReadOnly(program: string, args: readonly string[]): boolean {
  const first = args[0] ?? '';
  switch (program) {
    case 'systemctl':
      return words('status show is-active is-enabled is-failed list-units list-unit-files cat').has(
        first,
      );
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
