import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandIO } from '../src/cli/io.js';
import { runScenarioFiles } from '../src/cli/run-scenarios.js';
import { ScriptedLLM, startFakeOpenAIServer } from '../src/testing/index.js';
import { startCli } from './helpers/cli-process.js';

const root = join(import.meta.dirname, '..');

/** Runs the real command line (from source, through tsx), without a real model. */
function cli(...args: string[]) {
  return startCli(args).child;
}

function captureIO(): CommandIO & { text: () => string } {
  const lines: string[] = [];
  return {
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
    colors: false,
    text: () => lines.join('\n'),
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-command-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const passing = [
  'name: passes',
  'turns: [{ say: hello }]',
  'messages: [{ text: hi }]',
  'expect: { status: finished }',
].join('\n');

const failing = [
  'name: fails',
  'agent: { tools: [echo] }',
  'turns:',
  '  - call: { tool: echo, args: { text: one } }',
  '  - finish: done',
  'messages: [{ text: hi }]',
  'expect:',
  '  events: [{ kind: action, arguments: { text: two } }]',
].join('\n');

describe('steerable run', () => {
  it('runs every scenario of examples/scenarios and exits 0', async () => {
    const count = (await readdir(join(root, 'examples/scenarios'))).length;
    const { exitCode, stdout } = await cli('run', 'examples/scenarios');
    expect(exitCode).toBe(0);
    expect(stdout.match(/^✓ /gm)).toHaveLength(count);
    expect(stdout).toContain(`${count} scenarios: ${count} passed, 0 failed`);
  });

  it('prints what differed and the event log of a failure, names bad files, and exits 1', async () => {
    await writeFile(join(dir, 'a-passes.yaml'), passing);
    await writeFile(join(dir, 'b-fails.yaml'), failing);
    await writeFile(join(dir, 'c-invalid.yaml'), 'turns:\n  - sya: hi\n');
    const { exitCode, stdout, stderr } = await cli('run', dir);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/^✓ passes \(\d+ ms\)$/m);
    expect(stdout).toMatch(/^✗ fails \(\d+ ms\) .*b-fails\.yaml$/m);
    expect(stdout).toContain(
      '• expect.events[0]: { kind: action, arguments: {"text":"two"} } not found in the log',
    );
    expect(stdout).toContain('event log:');
    expect(stdout).toMatch(/#4 agent {2}action {7}echo\(text="one"\)/);
    expect(stderr).toContain(
      `${join(dir, 'c-invalid.yaml')}:2: turns[0].sya: unknown key "sya" (allowed: say,`,
    );
    expect(stdout).toContain('3 scenarios: 1 passed, 2 failed');
  });

  it('exits 1 for a path that does not exist', async () => {
    const { exitCode, stderr } = await cli('run', join(dir, 'missing.yaml'));
    expect(exitCode).toBe(1);
    expect(stderr).toContain('missing.yaml: not found');
  });
});

describe('steerable run --inspect', () => {
  it("serves each scenario's log in the inspector until Ctrl-C", async () => {
    await writeFile(
      join(dir, 'inspected.yaml'),
      passing.replace('name: passes', 'name: inspected'),
    );
    const cli = startCli(['run', join(dir, 'inspected.yaml'), '--inspect']);
    await cli.waitFor('Inspectors open: press Ctrl-C to stop.');
    const url = /inspector: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.output())?.[1];
    expect(url).toBeDefined();
    const snapshot = (await (await fetch(`${url}api/snapshot`)).json()) as {
      mode: string;
      title: string;
      timeline: unknown[];
      steps: unknown[];
    };
    expect(snapshot).toMatchObject({ mode: 'log', title: 'scenario: inspected' });
    expect(snapshot.timeline.length).toBeGreaterThan(3);
    expect(snapshot.steps).toHaveLength(snapshot.timeline.length);
    cli.child.kill('SIGINT');
    const { exitCode } = await cli.child;
    expect(exitCode).toBe(0);
    await expect(fetch(`${url}api/snapshot`)).rejects.toThrow();
  });
});

describe('steerable run --record', () => {
  it('records the model replies to a scenario that then replays without the model', async () => {
    const source = join(dir, 'session.yaml');
    const recorded = join(dir, 'session.recorded.yaml');
    await writeFile(
      source,
      [
        'name: session',
        'agent: { tools: [echo] }',
        'messages: [{ text: echo twice }]',
        'expect: { status: finished }',
      ].join('\n'),
    );
    const real = new ScriptedLLM([
      ScriptedLLM.call('echo', { text: 'a' }),
      ScriptedLLM.call('echo', { text: 'b' }),
      ScriptedLLM.finish('echoed twice'),
    ]);
    const io = captureIO();
    expect(
      await runScenarioFiles([source], { record: recorded, createModel: () => real }, io),
    ).toBe(0);
    expect(io.text()).toContain(`recorded 3 model turn(s) to ${recorded}`);
    expect(real.calls).toHaveLength(3);

    const text = await readFile(recorded, 'utf8');
    expect(text).toContain('finish: echoed twice');
    const replay = await cli('run', recorded);
    expect(replay.stdout).toContain('1 scenario: 1 passed, 0 failed');
    expect(replay.exitCode).toBe(0);
  });

  it('records a session with the real model (over a fake OpenAI server) as a real process', async () => {
    const server = await startFakeOpenAIServer({
      script: [
        { content: 'Echoing.', toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }] },
        { toolCalls: [{ name: 'finish', arguments: { message: 'Echoed hi.' } }] },
      ],
    });
    try {
      const source = join(dir, 'live.yaml');
      const recorded = join(dir, 'live.recorded.yaml');
      await writeFile(
        source,
        [
          'name: live',
          'agent: { tools: [echo] }',
          'messages: [{ text: echo hi }]',
          'expect: { status: finished }',
        ].join('\n'),
      );
      const recording = await startCli(['run', source, '--record', recorded], {
        LLM_API_KEY: 'test-key',
        LLM_MODEL: 'openai/gpt-4o',
        LLM_BASE_URL: server.baseUrl,
      }).child;
      expect(recording.stdout).toContain(`recorded 2 model turn(s) to ${recorded}`);
      expect(recording.exitCode).toBe(0);
      expect(server.requests).toHaveLength(2);

      const text = await readFile(recorded, 'utf8');
      expect(text).toContain('# Recorded from openai/gpt-4o on');
      expect(text).toContain('say: Echoing.');
      const replay = await cli('run', recorded);
      expect(replay.stdout).toContain('1 scenario: 1 passed, 0 failed');
      expect(server.requests).toHaveLength(2); // the replay made no request
    } finally {
      await server.close();
    }
  });

  it('takes exactly one file, and needs a model', async () => {
    await writeFile(join(dir, 'a.yaml'), passing);
    await writeFile(join(dir, 'b.yaml'), passing);
    const io = captureIO();
    expect(await runScenarioFiles([dir], { record: join(dir, 'out.yaml') }, io)).toBe(1);
    expect(io.text()).toContain('--record takes exactly one scenario file');
    const io2 = captureIO();
    expect(
      await runScenarioFiles([join(dir, 'a.yaml')], { record: join(dir, 'out.yaml') }, io2),
    ).toBe(1);
    expect(io2.text()).toContain('--record runs against the real model: set LLM_API_KEY');
  });
});
