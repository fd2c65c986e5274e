import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { assign, createActor, setup, waitFor } from 'xstate';
import {
  terminalSessionLogic,
  type TerminalSessionReport,
} from '../src/actors/terminal-session-actor.js';
import { TerminalSession } from '../src/actors/terminal-session.js';
import { liveProcesses } from './helpers/processes.js';

let workspace: string;
let session: TerminalSession;
beforeEach(async () => {
  workspace = await realpath(await mkdtemp(path.join(tmpdir(), 'steerable-actor-')));
  session = new TerminalSession({ cwd: workspace });
});
afterEach(async () => {
  await session.dispose();
  await rm(workspace, { recursive: true, force: true });
});

const parent = setup({
  types: {
    context: {} as { reports: TerminalSessionReport[]; session: TerminalSession },
    events: {} as TerminalSessionReport,
    input: {} as { session: TerminalSession },
  },
  actors: { terminal: terminalSessionLogic },
}).createMachine({
  context: ({ input }) => ({ reports: [], session: input.session }),
  invoke: {
    id: 'terminal',
    src: 'terminal',
    input: ({ context }) => ({ session: context.session, disposeOnStop: true }),
  },
  on: {
    'terminal.*': {
      actions: assign({ reports: ({ context, event }) => [...context.reports, event] }),
    },
  },
});

it('runs commands sent as events and reports states, output and results to its parent', async () => {
  const actor = createActor(parent, { input: { session } }).start();
  actor.getSnapshot().children.terminal?.send({ type: 'terminal.run', command: 'echo from-actor' });
  const snapshot = await waitFor(actor, (s) =>
    s.context.reports.some((r) => r.type === 'terminal.result'),
  );
  const reports = snapshot.context.reports;
  const result = reports.find((r) => r.type === 'terminal.result');
  expect(result).toMatchObject({
    request: 'terminal.run',
    outcome: { status: 'completed', exitCode: 0, cwd: workspace, output: { head: 'from-actor\n' } },
  });
  const states = reports.flatMap((r) => (r.type === 'terminal.state' ? [r.state] : []));
  expect(states).toEqual(['starting', 'idle', 'running', 'idle']);
  expect(reports).toContainEqual({ type: 'terminal.output', text: 'from-actor\n' });

  actor.getSnapshot().children.terminal?.send({ type: 'terminal.input', text: 'x\n' });
  const refused = await waitFor(actor, (s) =>
    s.context.reports.some((r) => r.type === 'terminal.error'),
  );
  expect(refused.context.reports.find((r) => r.type === 'terminal.error')).toEqual({
    type: 'terminal.error',
    request: 'terminal.input',
    message: 'No command is running in the terminal',
  });
  actor.stop();
});

it('stopping the actor interrupts the running command and disposes of the session', async () => {
  const actor = createActor(parent, { input: { session } }).start();
  // A subshell that says so once it exists, then becomes `sleep`: when "started" is seen,
  // the command's process is there, whether or not it has become `sleep` yet.
  const command = '(echo started; exec sleep 1000)';
  actor.getSnapshot().children.terminal?.send({ type: 'terminal.run', command });
  await waitFor(actor, (s) =>
    s.context.reports.some((r) => r.type === 'terminal.output' && r.text.includes('started')),
  );
  const shell = session.shellPid;
  expect(await liveProcesses((p) => p.sid === shell && p.pid !== shell)).toHaveLength(1);
  actor.stop();
  await session.dispose(); // the same cleanup the stop started
  expect(session.state).toBe('disposed');
  expect(await liveProcesses((p) => p.sid === shell)).toEqual([]);
});
