import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalSession } from '../src/actors/terminal-session.js';
import {
  createTerminalTool,
  TERMINAL_SCOPE_KEY,
  TerminalParameters,
  TerminalTool,
} from '../src/tools/terminal/terminal-tool.js';
import { liveProcesses } from './helpers/processes.js';
import { call, callUntilDone, waitForOutput } from './helpers/terminal.js';
import { createToolEnv, type TestToolEnv } from './helpers/tool-context.js';

const execFileAsync = promisify(execFile);

let env: TestToolEnv;
beforeEach(async () => {
  env = await createToolEnv();
});
afterEach(async () => {
  await env.cleanup();
});

function session(): TerminalSession {
  const found = env.scope.peek<TerminalSession>(TERMINAL_SCOPE_KEY);
  if (!found) throw new Error('no terminal session in the scope');
  return found;
}

async function mkfifo(name: string): Promise<string> {
  const fifo = path.join(env.workspace, name);
  await execFileAsync('mkfifo', [fifo]);
  return fifo;
}

/** A terminal that gives up waiting for silent commands quickly (the tests that need it). */
const quickTerminal = createTerminalTool({ noOutputTimeoutMs: 250, interruptGraceMs: 500 });

describe('TerminalTool: commands', () => {
  it('runs a command in the workspace and reports output, exit code and working directory', async () => {
    const result = await call(TerminalTool, env, { command: 'echo hello; pwd' });
    expect(result.isError).toBeFalsy();
    expect(result.content).toBe(
      `hello\n${env.workspace}\n[Command finished with exit code 0. Working directory: ${env.workspace}]`,
    );
    expect(result.data).toEqual({ exitCode: 0, cwd: env.workspace });
  });

  it('keeps the working directory, exported variables, functions and sourced environments', async () => {
    await mkdir(path.join(env.workspace, 'sub', 'bin'), { recursive: true });
    await writeFile(
      path.join(env.workspace, 'sub', 'activate'),
      'export VIRTUAL_ENV="$PWD"\nexport PATH="$PWD/bin:$PATH"\n',
    );
    await writeFile(
      path.join(env.workspace, 'sub', 'bin', 'tool-x'),
      '#!/bin/sh\necho tool-x runs\n',
      {
        mode: 0o755,
      },
    );
    await call(TerminalTool, env, {
      command:
        'cd sub && export GREETING=hello && greet() { echo "$GREETING from $(basename "$PWD")"; }',
    });
    await call(TerminalTool, env, { command: 'source ./activate' });
    const result = await call(TerminalTool, env, { command: 'greet; echo "$VIRTUAL_ENV"; tool-x' });
    const sub = path.join(env.workspace, 'sub');
    expect(result.content).toContain(`hello from sub\n${sub}\ntool-x runs\n`);
    expect(result.data).toEqual({ exitCode: 0, cwd: sub });
  });

  it('reports exit codes and merges stderr into the output', async () => {
    expect((await call(TerminalTool, env, { command: 'false' })).data.exitCode).toBe(1);
    expect((await call(TerminalTool, env, { command: '(exit 42)' })).data.exitCode).toBe(42);
    expect((await call(TerminalTool, env, { command: "bash -c 'exit 3'" })).data.exitCode).toBe(3);
    const missing = await call(TerminalTool, env, { command: 'no-such-command-xyz' });
    expect(missing.data.exitCode).toBe(127);
    expect(missing.content).toContain('no-such-command-xyz: command not found');
    const both = await call(TerminalTool, env, {
      command: 'echo out; echo err >&2; exit_code=4; (exit $exit_code)',
    });
    expect(both.content).toContain('out\nerr\n');
    expect(both.content).toContain('[Command finished with exit code 4.');
    expect(both.isError).toBeFalsy();
  });

  it('runs multi-line commands and long heredocs exactly', async () => {
    const body = `${'x'.repeat(70_000)}\nquotes ' " \\ $HOME !bang \t tab\n${'é🌍'.repeat(2_000)}`;
    const command = `cat > big.txt <<'EOF'\n${body}\nEOF\nwc -l < big.txt\necho done`;
    const result = await call(TerminalTool, env, { command });
    expect(result.content).toContain('3\ndone');
    expect(await readFile(path.join(env.workspace, 'big.txt'), 'utf8')).toBe(`${body}\n`);
  });

  it('reports a syntax error instead of waiting for the rest of the command', async () => {
    const result = await call(TerminalTool, env, { command: 'echo "unterminated' });
    expect(result.data.exitCode).toBe(2);
    expect(result.content).toMatch(/unexpected EOF/);
    expect((await call(TerminalTool, env, { command: 'echo fine' })).content).toContain('fine');
  });

  it('sets a plain terminal environment and cleans escape sequences and carriage returns', async () => {
    const vars = await call(TerminalTool, env, { command: 'echo "$TERM $PAGER $GIT_PAGER"' });
    expect(vars.content).toContain('dumb cat cat');
    const styled = await call(TerminalTool, env, {
      command: "printf '\\033[31mred\\033[0m\\n10%%\\r100%%\\n'; echo 'héllo 🌍'",
    });
    expect(styled.content).toContain('red\n100%\nhéllo 🌍\n');
  });

  it('exports the conversation secrets and hides their values in the output', async () => {
    await env.cleanup();
    env = await createToolEnv({ API_TOKEN: 's3cr3t-value-123' });
    const result = await call(TerminalTool, env, {
      command: '[ "$API_TOKEN" = s3cr3t-value-123 ] && echo match; echo "token=$API_TOKEN"',
    });
    expect(result.content).toContain('match\ntoken=<secret-hidden>');
    expect(result.content).not.toContain('s3cr3t-value-123');
  });

  it('cuts output over the limit in the middle, keeping head and tail', async () => {
    const result = await call(TerminalTool, env, { command: 'seq 1 40000' });
    const [output, status] = result.content.split('\n[Command finished');
    expect(status).toContain('with exit code 0');
    expect(output?.length).toBeLessThanOrEqual(30_000);
    expect(output).toMatch(/^1\n2\n3\n/);
    expect(output).toMatch(/\n39999\n40000$/);
    expect(output).toMatch(
      /\[\.\.\. \d+ characters omitted from the middle of the output \.\.\.\]/,
    );

    const small = createTerminalTool({ maxOutputChars: 1_000 });
    const cut = await call(small, env, { command: 'seq 1 5000' });
    const [smallOutput] = cut.content.split('\n[Command finished');
    expect(smallOutput?.length).toBeLessThanOrEqual(1_000);
    expect(smallOutput).toMatch(/^1\n2\n/);
    expect(smallOutput).toMatch(/\n5000$/);
  });

  it('keeps memory bounded for a command that prints a lot', async () => {
    const result = await call(TerminalTool, env, { command: 'yes 0123456789 | head -n 1000000' });
    const omitted = /\[\.\.\. (\d+) characters omitted/.exec(result.content);
    expect(Number(omitted?.[1])).toBeGreaterThan(10_000_000);
    expect(result.content.length).toBeLessThan(31_000);
  });
});

describe('TerminalTool: long-running and interactive commands', () => {
  it('returns a still-running note after the no-output timeout; C-c then interrupts and the session stays usable', async () => {
    await call(quickTerminal, env, { command: 'cd /tmp && export KEPT=yes' });
    const running = await call(quickTerminal, env, { command: 'sleep 1000' });
    expect(running.isError).toBeFalsy();
    expect(running.content).toContain(
      '[The command is still running: no new output for 0.3 seconds.',
    );
    expect(running.data).toEqual({ exitCode: null, cwd: '/tmp', stillRunning: true });

    const busy = await call(quickTerminal, env, { command: 'echo hi' });
    expect(busy.isError).toBe(true);
    expect(busy.content).toContain('A command is still running: `sleep 1000`');

    const stopped = await callUntilDone(quickTerminal, env, { command: 'C-c', is_input: true });
    expect(stopped.data.exitCode).toBe(130);
    const after = await call(quickTerminal, env, { command: 'echo "alive $KEPT"; pwd' });
    expect(after.content).toContain('alive yes\n/tmp\n');
  });

  it('answers an interactive prompt with is_input', async () => {
    const first = await call(quickTerminal, env, {
      command: 'read -p "Name? " name && echo "Hello, $name"',
    });
    await waitForOutput(quickTerminal, env, first, 'Name?');
    const answered = await callUntilDone(quickTerminal, env, { command: 'Ada', is_input: true });
    expect(answered.content).toContain('Hello, Ada');
    expect(answered.data.exitCode).toBe(0);
  });

  it('sends C-d as end of input and C-c without is_input while a command runs', async () => {
    const first = await call(quickTerminal, env, { command: 'cat' });
    expect(first.data.stillRunning).toBe(true);
    const echoed = await call(quickTerminal, env, { command: 'one line', is_input: true });
    await waitForOutput(quickTerminal, env, echoed, 'one line');
    const ended = await callUntilDone(quickTerminal, env, { command: 'C-d', is_input: true });
    expect(ended.data.exitCode).toBe(0);

    await call(quickTerminal, env, { command: 'sleep 1000' });
    const interrupted = await callUntilDone(quickTerminal, env, { command: 'C-c' });
    expect(interrupted.data.exitCode).toBe(130);
  });

  it('interrupts a command at its hard timeout and stays usable', async () => {
    const result = await call(TerminalTool, env, {
      command: 'echo started; sleep 1000',
      timeout: 0.5,
    });
    expect(result.content).toContain('started');
    expect(result.content).toContain(
      '[The command timed out after 0.5 seconds and was interrupted with Ctrl+C (exit code 130).',
    );
    expect(result.data).toMatchObject({ exitCode: 130, timedOut: true });
    expect((await call(TerminalTool, env, { command: 'echo next' })).content).toContain('next');
  });

  it('with a timeout, waits through silence instead of returning early', async () => {
    const result = await call(quickTerminal, env, {
      command: 'sleep 1; echo finished',
      timeout: 60,
    });
    expect(result.data).toEqual({ exitCode: 0, cwd: env.workspace });
    expect(result.content).toContain('finished');
  });

  it('kills children that ignore Ctrl+C at the timeout', async () => {
    const result = await call(quickTerminal, env, {
      command: "trap '' INT; sleep 1000",
      timeout: 0.3,
    });
    expect(result.data.timedOut).toBe(true);
    expect(result.data.restarted).toBeUndefined();
    const sleepers = await liveProcesses(
      (p) => p.sid === session().shellPid && p.command === 'sleep 1000',
    );
    expect(sleepers).toEqual([]);
  });

  it('restarts a shell that ignores Ctrl+C itself, and says so', async () => {
    await call(quickTerminal, env, { command: 'export OLD=1; cd /tmp' });
    const result = await call(quickTerminal, env, {
      command: "trap '' INT; while :; do :; done",
      timeout: 0.3,
    });
    expect(result.data).toMatchObject({ timedOut: true, restarted: true, cwd: env.workspace });
    expect(result.content).toContain('did not stop on Ctrl+C, so the terminal was restarted');
    const fresh = await call(quickTerminal, env, { command: 'echo "[$OLD]"; pwd' });
    expect(fresh.content).toContain(`[]\n${env.workspace}\n`);
  });

  it('reports the end of a command that finished between calls', async () => {
    const gate = await mkfifo('gate');
    const first = await call(quickTerminal, env, {
      command: 'read -r line < gate; echo "got $line"; (exit 7)',
    });
    expect(first.data.stillRunning).toBe(true);
    const idle = firstValueFrom(
      session().events$.pipe(filter((e) => e.type === 'state' && e.state === 'idle')),
    );
    await writeFile(gate, 'go\n');
    await idle;
    const report = await call(quickTerminal, env, { command: 'y', is_input: true });
    expect(report.isError).toBeFalsy();
    expect(report.content).toContain('got go');
    expect(report.content).toContain('[The command finished with exit code 7.]');
    expect(report.content).toContain('your input was not sent');
    expect(report.data.exitCode).toBe(7);
  });

  it('reports output of a command that ended unseen at the start of the next command', async () => {
    const gate = await mkfifo('gate');
    await call(quickTerminal, env, { command: 'read -r line < gate; echo "late $line"' });
    const idle = firstValueFrom(
      session().events$.pipe(filter((e) => e.type === 'state' && e.state === 'idle')),
    );
    await writeFile(gate, 'news\n');
    await idle;
    const next = await call(quickTerminal, env, { command: 'echo current' });
    expect(next.content).toMatch(
      /\[The previous command printed this after its last result:\]\nlate news\n\[The previous command finished with exit code 0\.\]\ncurrent/,
    );
  });
});

describe('TerminalTool: misuse and session control', () => {
  it('refuses input, control keys and empty commands when nothing runs', async () => {
    const input = await call(TerminalTool, env, { command: 'yes', is_input: true });
    expect(input.isError).toBe(true);
    expect(input.content).toContain('No command is running, so there is nothing to send input to');
    const key = await call(TerminalTool, env, { command: 'C-c' });
    expect(key.isError).toBe(true);
    expect(key.content).toBe('No command is running, so C-c was not sent.');
    const empty = await call(TerminalTool, env, { command: '  ' });
    expect(empty.isError).toBe(true);
    expect(empty.content).toContain('The command is empty');
  });

  it('reset replaces the session: state is gone and the old processes too', async () => {
    await call(quickTerminal, env, { command: 'export X=1; cd /tmp' });
    await call(quickTerminal, env, { command: 'sleep 1000' });
    const oldShell = session().shellPid;
    const result = await call(quickTerminal, env, { command: 'echo "[$X]"; pwd', reset: true });
    expect(result.content).toContain(
      `[The terminal was reset: a new shell started in ${env.workspace}.]`,
    );
    expect(result.content).toContain(`[]\n${env.workspace}\n`);
    expect(session().shellPid).not.toBe(oldShell);
    expect(await liveProcesses((p) => p.sid === oldShell)).toEqual([]);

    const both = await call(TerminalTool, env, { command: 'x', reset: true, is_input: true });
    expect(both.isError).toBe(true);
    expect(both.content).toBe('`reset` cannot be combined with `is_input`.');
  });

  it('starts a new shell after `exit`', async () => {
    await call(TerminalTool, env, { command: 'cd /tmp' });
    const exited = await call(TerminalTool, env, { command: 'exit 5' });
    expect(exited.data).toMatchObject({ exitCode: 5, shellExited: true });
    expect(exited.content).toContain('[The shell exited with code 5.');
    const next = await call(TerminalTool, env, { command: 'pwd' });
    expect(next.content).toContain(env.workspace);
    expect(next.data.exitCode).toBe(0);
  });

  it('aborting the call interrupts the command and kills its children; the session stays usable', async () => {
    const sync = await mkfifo('sync');
    await call(TerminalTool, env, { command: 'cd /tmp' });
    const controller = new AbortController();
    const script = `sleep 1001 & echo "$! $$" > ${sync}; sleep 1002; echo never`;
    const running = call(TerminalTool, env, { command: `bash -c '${script}'` }, controller);
    const [backgroundPid, scriptPid] = (await readFile(sync, 'utf8')).trim().split(' ').map(Number);
    const group = (await liveProcesses((p) => p.pid === scriptPid))[0]?.pgid;
    expect(group).toBeGreaterThan(0);
    const members = await liveProcesses((p) => p.pgid === group);
    expect(members.map((p) => p.command).sort()).toEqual(
      [`bash -c ${script}`, 'sleep 1001', 'sleep 1002'].sort(),
    );

    controller.abort(new Error('paused by the user'));
    await expect(running).rejects.toThrow('paused by the user');
    expect(await liveProcesses((p) => p.pgid === group || p.pid === backgroundPid)).toEqual([]);

    const after = await call(TerminalTool, env, { command: 'echo still here; pwd' });
    expect(after.content).toContain('[The previous command finished with exit code 130.]');
    expect(after.content).toContain('still here\n/tmp');
  });

  it('an already aborted signal does not start the command', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(
      call(TerminalTool, env, { command: 'touch should-not-exist' }, controller),
    ).rejects.toThrow('too late');
    const check = await call(TerminalTool, env, { command: 'ls' });
    expect(check.content).not.toContain('should-not-exist');
  });

  it('closing the scope kills the shell and every process it started', async () => {
    await call(quickTerminal, env, {
      command: [
        'sleep 1001 &',
        'nohup sleep 1002 > /dev/null 2>&1 &',
        '(sleep 1003 &)',
        'sleep 1004 & disown',
      ].join('\n'),
    });
    await call(quickTerminal, env, { command: 'sleep 1005' });
    const shell = session().shellPid;
    const host = session().hostPid;
    const before = await liveProcesses((p) => p.sid === shell && p.command.startsWith('sleep '));
    expect(before.map((p) => p.command).sort()).toEqual([
      'sleep 1001',
      'sleep 1002',
      'sleep 1003',
      'sleep 1004',
      'sleep 1005',
    ]);

    await env.scope.dispose();
    expect(
      await liveProcesses((p) => p.sid === shell || p.pid === host || p.pid === shell),
    ).toEqual([]);
  });

  it('explains a shell that cannot start', async () => {
    const broken = createTerminalTool({ shell: '/nonexistent/bash' });
    await expect(call(broken, env, { command: 'echo hi' })).rejects.toThrow(
      /^The terminal could not start bash through `script` \(util-linux on Linux\): the shell \/nonexistent\/bash does not exist or is not executable$/,
    );
  });

  it('explains a shell that exits at once', async () => {
    const broken = createTerminalTool({ shell: '/bin/false' });
    await expect(call(broken, env, { command: 'echo hi' })).rejects.toThrow(
      /^The terminal could not start bash through `script` \(util-linux on Linux\): it exited with code 1/,
    );
  });

  it('serializes concurrent calls on one session', async () => {
    const results = await Promise.all([
      call(TerminalTool, env, { command: 'echo one' }),
      call(TerminalTool, env, { command: 'echo two' }),
    ]);
    expect(results.map((r) => r.content.split('\n')[0])).toEqual(['one', 'two']);
  });
});

describe('TerminalTool: definition', () => {
  it('exposes snake_case parameters with descriptions', () => {
    expect(TerminalTool.name).toBe('terminal');
    expect(Object.keys(TerminalParameters.shape)).toEqual([
      'command',
      'is_input',
      'timeout',
      'reset',
    ]);
    for (const field of Object.values(TerminalParameters.shape)) {
      expect(field.description?.length).toBeGreaterThan(20);
    }
    expect(TerminalParameters.safeParse({ command: 'ls', timeout: 0 }).success).toBe(false);
    expect(TerminalTool.description).toContain('30 seconds');
  });
});
