import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type Conversation, defineTool } from '../src/index.js';
import {
  RecordingModel,
  type ScenarioResult,
  parseScenario,
  runScenario,
} from '../src/scenarios/index.js';
import { withRecordedTurns } from '../src/scenarios/recorded-scenario.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { inState, kinds, nextEvent } from './helpers/conversation.js';

const yaml = (...lines: string[]) => lines.join('\n');

afterEach(() => {
  vi.useRealTimers();
});

/** Appends a line to a file of the workspace. */
const appendLine = defineTool({
  name: 'append_line',
  description: 'Appends a line to a file',
  parameters: z.object({ path: z.string(), line: z.string() }),
  execute: async ({ path, line }, ctx) => {
    const { appendFile } = await import('node:fs/promises');
    await appendFile(join(ctx.workspace, path), `${line}\n`);
    return `appended to ${path}`;
  },
});

describe('runScenario', () => {
  it('plays the turns and messages and passes when the expectations hold', async () => {
    const result = await runScenario(
      parseScenario(
        yaml(
          'name: steer',
          'agent: { tools: [echo] }',
          'turns:',
          '  - call: { tool: echo, args: { text: one } }',
          '  - when: { lastUserMessageContains: two }',
          '    call: { tool: echo, args: { text: two } }',
          '  - finish: done',
          'messages:',
          '  - { text: do one, id: m1 }',
          '  - text: also two',
          '    id: m2',
          '    trigger: { afterEvent: { kind: action } }',
          'expect:',
          '  status: finished',
          '  modelCalls: 3',
          '  outcomes: { m1: delivered, m2: delivered }',
        ),
      ),
    );
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.status).toBe('finished');
    expect(result.unusedTurns).toEqual([]);
    // m2 is logged right after the action that triggered it, and read at the next thinking.
    const m2 = result.events.findIndex((e) => e.kind === 'message' && e.id === 'm2');
    expect(result.events[m2 - 1]).toMatchObject({ kind: 'action', arguments: { text: 'one' } });
    expect(
      result.events.find((e) => e.kind === 'message_delivered' && e.messageIds[0] === 'm2'),
    ).toBeDefined();
    await expect(access(result.workspace)).rejects.toThrow(); // the temporary workspace is gone
  });

  it('lists every expectation that does not hold', async () => {
    const result = await runScenario(
      parseScenario(
        yaml(
          'agent: { tools: [echo] }',
          'turns:',
          '  - call: { tool: echo, args: { text: one } }',
          '  - finish: done',
          'messages: [{ text: go, id: m1 }]',
          'expect:',
          '  status: paused',
          '  modelCalls: 5',
          '  events:',
          '    - { kind: observation, content: { contains: on } }',
          '    - { kind: action, toolName: echo }',
          '  noEvents:',
          '    - { kind: action, toolName: finish }',
          '  outcomes: { m1: pending }',
          '  files: { out.txt: { contains: x } }',
        ),
      ),
    );
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual([
      'expect.status: expected "paused", got "finished"',
      'expect.modelCalls: expected 5 model calls, got 2',
      'expect.events[1]: { kind: action, toolName: "echo" } not found after event #5 (expect.events[0]); it matches the earlier event #4',
      'expect.noEvents[0]: { kind: action, toolName: "finish" } matched event #6 (action)',
      'expect.outcomes.m1: expected "pending", got "delivered"',
      'expect.files["out.txt"]: no such file in the workspace',
    ]);
  });

  it('fails, naming the trigger, when a message is never sent', async () => {
    const result = await runScenario(
      parseScenario(
        yaml(
          'turns: [{ say: hi }]',
          'messages:',
          '  - text: go',
          '  - text: too late',
          '    trigger: { stateEntered: acting }',
          '  - text: never',
          '    trigger: { afterEvent: { kind: observation, nth: 2 } }',
          '  - text: third request',
          '    trigger: { stateEntered: thinking.requesting, nth: 3 }',
          'expect: { status: finished }',
        ),
      ),
    );
    expect(result.failures).toEqual([
      'messages[1] ("too late") was never sent: its trigger { stateEntered: acting, nth: 1 } never fired: "acting" was entered 0 times',
      'messages[2] ("never") was never sent: its trigger { afterEvent: { kind: observation, nth: 2 } } never fired: 0 matching events logged',
      'messages[3] ("third request") was never sent: its trigger { stateEntered: thinking.requesting, nth: 3 } never fired: "thinking.requesting" was entered once',
    ]);
  });

  it('answers each request with the first unused turn that fits; a turn that never fits stays unused', async () => {
    const result = await runScenario(
      parseScenario(
        yaml(
          'turns:',
          '  - when: { lastUserMessageContains: never said }',
          '    say: unused',
          '  - say: first',
          '  - when: { lastUserMessageContains: again }',
          '    say: second',
          'messages:',
          '  - text: hello',
          '  - text: hello again',
          '    trigger: { stateEntered: idle.finished }',
        ),
      ),
    );
    expect(result.failures).toEqual([]);
    const answers = result.events.flatMap((e) =>
      e.kind === 'message' && e.role === 'assistant' ? [e.content] : [],
    );
    expect(answers).toEqual(['first', 'second']);
    expect(result.unusedTurns).toEqual([0]);
  });

  it('fails the model call, saying why, when no unused turn fits', async () => {
    const result = await runScenario(
      parseScenario(
        yaml(
          'turns:',
          '  - when: { lastUserMessageContains: pizza }',
          '    say: yum',
          'messages: [{ text: pasta }]',
        ),
      ),
    );
    expect(result.status).toBe('error');
    expect(result.events.find((e) => e.kind === 'agent_error')).toMatchObject({
      code: 'no_script',
      message:
        'The model call failed: model call 1: no unused turn fits the request (last user message: "pasta"): turns[0] (when lastUserMessageContains "pizza")',
    });
    expect(result.failures).toEqual([
      expect.stringMatching(/^the run failed: Conversation .* stopped with an error: model call 1/),
    ]);
  });

  it('passes with a scripted model error when the error status is expected', async () => {
    const result = await runScenario(
      parseScenario(
        yaml(
          'turns: [{ error: rate limited }]',
          'messages: [{ text: hi }]',
          'expect:',
          '  status: error',
          '  events: [{ kind: agent_error, message: { contains: rate limited } }]',
        ),
      ),
    );
    expect(result.failures).toEqual([]);
  });

  it('an aborted request uses no turn: the held turn answers the request that follows', async () => {
    const result = await runScenario(
      parseScenario(
        yaml(
          'turns:',
          '  - waitFor: { userMessages: 2 }',
          '    say: answered after the interruption',
          'messages:',
          '  - text: start',
          '  - text: change of plan',
          '    delivery: interrupt',
          '    trigger: { stateEntered: thinking.requesting }',
          'expect: { status: finished, modelCalls: 2 }',
        ),
      ),
    );
    expect(result.failures).toEqual([]);
    expect(result.unusedTurns).toEqual([]);
    expect(result.recordedTurns).toEqual([{ say: 'answered after the interruption' }]);
    expect(kinds(result.events).filter((k) => k === 'message_delivered')).toHaveLength(2);
  });

  it('waitFor holds a reply until the conversation has that many user messages', async () => {
    const result = await runScenario(
      parseScenario(
        yaml(
          'agent: { tools: [echo] }',
          'turns:',
          '  - waitFor: { userMessages: 3 }',
          '    call: { tool: echo, args: { text: x } }',
          '  - when: { lastUserMessageContains: three }',
          '    finish: read two and three',
          'messages:',
          '  - text: one',
          '  - text: two',
          '    trigger: { stateEntered: thinking.requesting }',
          '  - text: three',
          '    trigger: { afterEvent: { kind: message, content: two } }',
          'expect:',
          '  status: finished',
          '  events:',
          '    - { kind: message, content: three }',
          '    - { kind: action, toolName: echo }',
        ),
      ),
    );
    expect(result.failures).toEqual([]);
  });

  it('writes the files, runs custom tools, and checks files', async () => {
    const result = await runScenario(
      parseScenario(
        yaml(
          'agent: { tools: [append_line] }',
          'files: { notes/todo.txt: "existing\\n" }',
          'turns:',
          '  - call: { tool: append_line, args: { path: notes/todo.txt, line: added } }',
          '  - finish: ok',
          'messages: [{ text: add a line }]',
          'expect:',
          '  files:',
          '    notes/todo.txt: { equals: "existing\\nadded\\n", contains: [existing, added], notContains: removed }',
          '    other.txt: { exists: false }',
        ),
        { tools: [appendLine] },
      ),
      { tools: [appendLine], keepWorkspace: true },
    );
    expect(result.failures).toEqual([]);
    expect(await readFile(join(result.workspace, 'notes/todo.txt'), 'utf8')).toBe(
      'existing\nadded\n',
    );
  });

  it('reports a control that fails', async () => {
    const result = await runScenario(
      parseScenario(
        yaml(
          'turns: [{ say: hi }]',
          'messages: [{ text: hi, id: m }]',
          'controls:',
          '  - do: retract',
          '    messageId: m',
          '    trigger: { afterEvent: { kind: message_delivered } }',
        ),
      ),
    );
    expect(result.failures).toEqual([
      'controls[0] (retract m) failed: Message m cannot be retracted: the model has already read it',
    ]);
  });

  it('afterMs: waits for the clock, then runs again for the message it sent', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let conversation!: Conversation;
    const running = runScenario(
      parseScenario(
        yaml(
          'turns:',
          '  - say: first',
          '  - say: second',
          'messages:',
          '  - text: now',
          '  - text: later',
          '    trigger: { afterMs: 5000 }',
          'expect: { status: finished, modelCalls: 2 }',
        ),
      ),
      { onConversation: (c) => void (conversation = c) },
    );
    await vi.waitUntil(() => conversation);
    await nextEvent(conversation, (e) => e.kind === 'state_update' && e.status === 'finished');
    expect(conversation.events.some((e) => e.kind === 'message' && e.content === 'later')).toBe(
      false,
    );
    await vi.advanceTimersByTimeAsync(5000);
    const result = await running;
    expect(result.failures).toEqual([]);
  });

  it('times out with a clear failure instead of hanging', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let conversation!: Conversation;
    const running = runScenario(
      parseScenario(
        yaml(
          'timeoutMs: 1000',
          'turns: [{ waitFor: { userMessages: 9 }, say: never }]',
          'messages: [{ text: hi }]',
        ),
      ),
      { onConversation: (c) => void (conversation = c) },
    );
    await vi.waitUntil(() => conversation);
    await inState(conversation, 'thinking.requesting');
    await vi.advanceTimersByTimeAsync(1000);
    const result = await running;
    expect(result.failures).toEqual([
      'timed out after 1000 ms (status "running", state {"thinking":"requesting"})',
    ]);
  });
});

describe('recording', () => {
  const source = yaml(
    '# A recorded session becomes a regression test.',
    'name: recorded',
    'agent:',
    '  tools: [echo]',
    'messages:',
    '  - text: echo hi, then finish',
    'expect:',
    '  status: finished',
  );

  it('records the replies of any model and replays them without it', async () => {
    const real = new ScriptedLLM([
      { content: 'Let me echo.', toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }] },
      { toolCalls: [{ name: 'echo', arguments: '{not json' }] },
      ScriptedLLM.finish('All done.'),
    ]);
    const recording: ScenarioResult = await runScenario(parseScenario(source), { model: real });
    expect(recording.failures).toEqual([]);
    expect(recording.recordedTurns).toEqual([
      { say: 'Let me echo.', call: { tool: 'echo', args: { text: 'hi' } } },
      { call: { tool: 'echo', args: '{not json' } },
      { finish: 'All done.' },
    ]);

    const text = withRecordedTurns(source, recording.recordedTurns, real.model);
    expect(text).toContain('# A recorded session becomes a regression test.');
    expect(text).toMatch(/# Recorded from scripted\/model on \d{4}-/);
    const replay = await runScenario(parseScenario(text));
    expect(replay.failures).toEqual([]);
    expect(replay.unusedTurns).toEqual([]);
    const shape = (r: ScenarioResult) =>
      r.events.map((e) => (e.kind === 'observation' ? `${e.kind}:${e.content}` : e.kind));
    expect(shape(replay)).toEqual(shape(recording));
  });

  it('RecordingModel keeps every call, and only logged replies become turns', async () => {
    const model = new RecordingModel(new ScriptedLLM(['a', new Error('x') as never]));
    await model.complete({ messages: [], tools: [] });
    expect(model.calls).toHaveLength(1);
    expect(model.turns()).toEqual([{ say: 'a' }]);
    expect(model.turns([])).toEqual([]);
  });
});
