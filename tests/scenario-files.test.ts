import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../src/index.js';
import {
  ScenarioError,
  findScenarioFiles,
  loadScenario,
  parseScenario,
} from '../src/scenarios/index.js';

/** The error lines of a scenario that fails to parse. */
function problems(text: string): string[] {
  try {
    parseScenario(text, { file: 'bad.yaml' });
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).message.split('\n');
  }
  throw new Error('the scenario parsed');
}

describe('parseScenario', () => {
  it('reads a valid scenario, with defaults filled in', () => {
    const scenario = parseScenario(
      ['agent:', '  tools: [echo]', 'turns:', '  - hello', '  - finish: done'].join('\n'),
      { file: 'dir/greeting.yaml' },
    );
    expect(scenario.name).toBe('greeting');
    expect(scenario.file).toBe('dir/greeting.yaml');
    expect(scenario.turns).toEqual([{ say: 'hello' }, { finish: 'done' }]);
    expect(scenario.messages).toEqual([]);
    expect(scenario.timeoutMs).toBe(30_000);
  });

  it('names the line, the path and the allowed keys of an unknown key', () => {
    expect(
      problems(
        ['agent:', '  tools: [echo]', '  stearing: queue', 'turns:', '  - say: hi'].join('\n'),
      ),
    ).toEqual([
      'bad.yaml:3: agent.stearing: unknown key "stearing" (allowed: tools, systemPrompt, maxIterationsPerRun, maxCostPerRun, steering, confirmation, stuckDetection)',
    ]);
  });

  it('rejects unknown keys at every level: top, turn, trigger, event pattern, expectation', () => {
    const lines = problems(
      [
        'nmae: typo', // 1
        'turns:', // 2
        '  - say: hi', // 3
        '    delay: 5', // 4
        'messages:', // 5
        '  - text: hi', // 6
        '    trigger: { afterEvent: { kind: action, tool: echo } }', // 7
        'expect:', // 8
        '  state: finished', // 9
      ].join('\n'),
    );
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^bad\.yaml:1: nmae: unknown key "nmae" \(allowed: name, description/);
    expect(lines[1]).toMatch(
      /^bad\.yaml:4: turns\[0\]\.delay: unknown key "delay" \(allowed: say,/,
    );
    expect(lines[2]).toMatch(
      /^bad\.yaml:7: messages\[0\]\.trigger\.afterEvent\.tool: unknown key "tool" \(allowed: kind, seq, source, toolName,/,
    );
    expect(lines[3]).toMatch(/^bad\.yaml:9: expect\.state: unknown key "state"/);
  });

  it('names wrong types and bad values with their lines', () => {
    const lines = problems(
      [
        'agent:', // 1
        '  tools: echo', // 2
        '  maxIterationsPerRun: 0', // 3
        'messages:', // 4
        '  - text: 42', // 5
        '    delivery: later', // 6
        'expect:', // 7
        '  status: done', // 8
        '  modelCalls: two', // 9
      ].join('\n'),
    );
    expect(lines).toEqual([
      'bad.yaml:2: agent.tools: expected array, received string',
      'bad.yaml:3: agent.maxIterationsPerRun: Too small: expected number to be >=1',
      'bad.yaml:5: messages[0].text: expected string, received number',
      'bad.yaml:6: messages[0].delivery: expected one of: steer, interrupt, queue (got "later")',
      'bad.yaml:8: expect.status: expected one of: idle, running, paused, waiting_for_confirmation, finished, error, stuck (got "done")',
      'bad.yaml:9: expect.modelCalls: expected number, received string',
    ]);
  });

  it('names a missing required key', () => {
    expect(problems(['messages:', '  - delivery: steer'].join('\n'))).toEqual([
      'bad.yaml:2: messages[0].text: required (string)',
    ]);
  });

  it('rejects a turn with no reply or two of them, and a trigger with zero or two forms', () => {
    const lines = problems(
      [
        'turns:', // 1
        '  - when: { lastUserMessageContains: x }', // 2
        '  - call: { tool: finish }', // 3
        '    finish: done', // 4
        'messages:', // 5
        '  - text: a', // 6
        '    trigger: { afterMs: 5, at: start }', // 7
        '  - text: b', // 8
        '    trigger: {}', // 9
        '  - text: c', // 10
        '    trigger: { afterEvent: { kind: action }, nth: 2 }', // 11
      ].join('\n'),
    );
    expect(lines).toEqual([
      'bad.yaml:2: turns[0]: a turn needs one of: say, call, calls, finish, error',
      'bad.yaml:3: turns[1]: a turn has at most one of call, calls, finish, error (got call and finish)',
      'bad.yaml:7: messages[0].trigger: a trigger has exactly one of at, stateEntered, afterEvent, afterMs (got at and afterMs)',
      'bad.yaml:9: messages[1].trigger: a trigger needs one of: at: start, stateEntered, afterEvent, afterMs',
      'bad.yaml:11: messages[2].trigger.nth: `nth` goes with `stateEntered` (for afterEvent, put it inside: afterEvent: { kind, nth })',
    ]);
  });

  it('rejects an unknown event kind', () => {
    expect(problems(['expect:', '  events:', '    - { kind: acton }'].join('\n'))).toEqual([
      'bad.yaml:3: expect.events[0].kind: kind must be one of: system_prompt, message, action, observation, message_delivered, message_retracted, agent_error, user_reject, pause, state_update, condensation',
    ]);
  });

  it('rejects a tool that does not exist, in the agent and in a turn', () => {
    expect(
      problems(
        [
          'agent:', // 1
          '  tools: [echo, rmrf]', // 2
          'turns:', // 3
          '  - call: { tool: echo, args: { text: hi } }', // 4
          '  - calls:', // 5
          '      - { tool: echo }', // 6
          '      - { tool: rmrf }', // 7
        ].join('\n'),
      ),
    ).toEqual([
      'bad.yaml:2: agent.tools[1]: unknown tool "rmrf" (built-in tools: echo, file_editor, task_tracker, terminal, wait)',
      'bad.yaml:7: turns[1].calls[1].tool: unknown tool "rmrf" (tools: echo, finish)',
    ]);
  });

  it('knows tools handed in by the caller', () => {
    const shout = defineTool({
      name: 'shout',
      description: 'Upper-cases a text',
      parameters: z.object({ text: z.string() }),
      execute: ({ text }) => text.toUpperCase(),
    });
    const scenario = parseScenario('agent: { tools: [shout] }', { tools: [shout] });
    expect(scenario.agent.tools).toEqual(['shout']);
  });

  it('rejects an unknown machine state, message id or outcome, and paths outside the workspace', () => {
    expect(
      problems(
        [
          'files: { ../escape.txt: x }', // 1
          'messages:', // 2
          '  - text: hi', // 3
          '    id: m1', // 4
          '    trigger: { stateEntered: thinkng }', // 5
          'controls:', // 6
          '  - do: retract', // 7
          '    messageId: m2', // 8
          '    trigger: { at: start }', // 9
          'expect:', // 10
          '  outcomes: { m3: delivered }', // 11
          '  files: { /etc/passwd: { exists: false } }', // 12
        ].join('\n'),
      ),
    ).toEqual([
      'bad.yaml:1: files["../escape.txt"]: "../escape.txt" must be a relative path inside the workspace',
      expect.stringMatching(
        /^bad\.yaml:5: messages\[0\]\.trigger\.stateEntered: unknown state "thinkng" \(states: idle, idle\.ready, .*thinking\.requesting, .*paused\.awaitingConfirmation.*\)$/,
      ),
      'bad.yaml:8: controls[0].messageId: no message has id "m2" (message ids: m1)',
      'bad.yaml:11: expect.outcomes.m3: no message has id "m3" (message ids: m1)',
      'bad.yaml:12: expect.files["/etc/passwd"]: "/etc/passwd" must be a relative path inside the workspace',
    ]);
  });

  it('checks the pairing of control kinds and their fields', () => {
    expect(
      problems(
        [
          'controls:',
          '  - do: retract',
          '    trigger: { at: start }',
          '  - do: pause',
          '    reason: tired',
          '    trigger: { at: start }',
          '  - do: sleep',
          '    trigger: { at: start }',
        ].join('\n'),
      ),
    ).toEqual([
      'bad.yaml:2: controls[0].messageId: `retract` needs a messageId',
      'bad.yaml:5: controls[1].reason: only `reject` takes a reason',
      'bad.yaml:7: controls[2].do: expected one of: pause, interrupt, resume, reject, retract (got "sleep")',
    ]);
  });

  it('reports bad YAML with its line, and a file that is not a mapping', () => {
    expect(problems('agent:\n  tools: [echo\nturns: []')).toEqual([
      'bad.yaml:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    expect(problems('- just\n- a list')).toEqual([
      'bad.yaml:1: a scenario is a YAML mapping (agent:, turns:, messages:, expect: …)',
    ]);
  });
});

describe('loading files', () => {
  let dir: string;
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the .yaml and .yml files of a folder, recursively and sorted; a file is itself', async () => {
    dir = await mkdtemp(join(tmpdir(), 'scenario-files-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'b.yaml'), 'name: b');
    await writeFile(join(dir, 'a.yml'), 'name: a');
    await writeFile(join(dir, 'sub', 'c.yaml'), 'name: c');
    await writeFile(join(dir, 'notes.txt'), 'not a scenario');
    expect(await findScenarioFiles(dir)).toEqual([
      join(dir, 'a.yml'),
      join(dir, 'b.yaml'),
      join(dir, 'sub', 'c.yaml'),
    ]);
    expect(await findScenarioFiles(join(dir, 'b.yaml'))).toEqual([join(dir, 'b.yaml')]);
    expect((await loadScenario(join(dir, 'sub', 'c.yaml'))).name).toBe('c');
  });

  it('gives a ScenarioError for a missing file or an empty folder', async () => {
    dir = await mkdtemp(join(tmpdir(), 'scenario-files-'));
    await expect(loadScenario(join(dir, 'nope.yaml'))).rejects.toThrow(
      /nope\.yaml: cannot read the file: ENOENT/,
    );
    await expect(findScenarioFiles(join(dir, 'nope'))).rejects.toBeInstanceOf(ScenarioError);
    await expect(findScenarioFiles(dir)).rejects.toThrow(/no \.yaml or \.yml file in this folder/);
  });
});
