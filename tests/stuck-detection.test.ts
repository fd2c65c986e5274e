import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type Conversation,
  type ConversationEvent,
  ConversationRunError,
  InvalidOptionError,
  LLMError,
  defineTool,
  detectStuck,
} from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { echoTool, scripted } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

const same = () => ScriptedLLM.call('echo', { text: 'again' });

function stuckEvents(conversation: Conversation) {
  return conversation.events.filter((e) => e.kind === 'agent_error' && e.code === 'stuck');
}

/** A tool that always fails, with a different message each time. */
const flaky = (() => {
  let n = 0;
  return defineTool({
    name: 'deploy',
    description: 'Deploys (always fails here)',
    parameters: z.object({ target: z.string() }),
    execute: () => {
      n += 1;
      throw new Error(`connection refused (attempt ${n})`);
    },
  });
})();

/** Answers with a different status each call: legitimate polling. */
function poller() {
  let n = 0;
  return defineTool({
    name: 'job_status',
    description: 'Reports the status of the build job',
    parameters: z.object({ id: z.string() }),
    execute: () => {
      n += 1;
      return `running (${n * 10}% done)`;
    },
  });
}

describe('stuck detection', () => {
  it('the same action with the same observation 4 times: status stuck, one explanatory event', async () => {
    const { conversation, llm } = scripted([], [echoTool]);
    llm.push(...Array.from({ length: 10 }, same));
    open.push(conversation);
    conversation.sendMessage('go');

    expect(await conversation.run()).toEqual({ status: 'stuck', iterations: 4 });
    expect(llm.calls).toHaveLength(4);
    const events = stuckEvents(conversation);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      code: 'stuck',
      detail: { pattern: 'repeated_action_observation' },
      message: expect.stringMatching(/same action \(echo \{"text":"again"\}\) 4 times/),
    });
    expect(conversation.actor.getSnapshot().matches({ idle: 'stuck' })).toBe(true);
  });

  it('run() on stuck clears the detector and continues (and can get stuck again)', async () => {
    const { conversation, llm } = scripted([], [echoTool]);
    llm.push(...Array.from({ length: 4 }, same), same(), ScriptedLLM.finish('ok'));
    open.push(conversation);
    conversation.sendMessage('go');
    await conversation.run();

    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 2 });
    expect(llm.calls).toHaveLength(6);
    const resumed = conversation.events.find(
      (e) => e.kind === 'state_update' && e.previous === 'stuck',
    );
    expect(resumed).toMatchObject({ status: 'running' });

    // A run that repeats the same loop again is stopped again after 4 more.
    const again = scripted([], [echoTool]);
    open.push(again.conversation);
    again.llm.push(...Array.from({ length: 12 }, same));
    again.conversation.sendMessage('go');
    await again.conversation.run();
    expect(await again.conversation.run()).toEqual({ status: 'stuck', iterations: 4 });
    expect(stuckEvents(again.conversation)).toHaveLength(2);
  });

  it('a user message clears it too: the conversation is idle and the next run starts fresh', async () => {
    const { conversation, llm } = scripted([], [echoTool]);
    llm.push(...Array.from({ length: 4 }, same), ScriptedLLM.finish('trying something else'));
    open.push(conversation);
    conversation.sendMessage('go');
    await conversation.run();
    conversation.sendMessage('stop repeating yourself');
    expect(conversation.status).toBe('idle');
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(ScriptedLLM.lastUserMessage(llm.requests.at(-1)!)).toBe('stop repeating yourself');
  });

  it('the same action failing 3 times (different error texts)', async () => {
    const { conversation, llm } = scripted(
      Array.from({ length: 6 }, () => ScriptedLLM.call('deploy', { target: 'prod' })),
      [flaky],
    );
    open.push(conversation);
    conversation.sendMessage('deploy');
    expect(await conversation.run()).toEqual({ status: 'stuck', iterations: 3 });
    expect(llm.calls).toHaveLength(3);
    expect(stuckEvents(conversation)[0]).toMatchObject({
      detail: { pattern: 'repeated_action_error' },
    });
  });

  it('the agent talking to itself 3 times without tools', async () => {
    const { conversation, llm } = scripted(['Hmm.', 'Hmm.', 'Hmm.', 'Hmm.']);
    open.push(conversation);
    conversation.sendMessage('think about it');
    expect((await conversation.run()).status).toBe('finished');
    // Resuming without a new message makes the agent answer again, with no tool and no user.
    for (let i = 0; i < 2; i++) {
      await conversation.pause();
      expect((await conversation.run()).status).toBe('finished');
    }
    await conversation.pause();
    expect(await conversation.run()).toEqual({ status: 'stuck', iterations: 0 });
    expect(llm.calls).toHaveLength(3);
    expect(stuckEvents(conversation)[0]).toMatchObject({ detail: { pattern: 'monologue' } });
  });

  it('an alternating pair of actions with the same results, 6 actions', async () => {
    const a = () => ScriptedLLM.call('echo', { text: 'open the file' });
    const b = () => ScriptedLLM.call('echo', { text: 'close the file' });
    const { conversation, llm } = scripted([a(), b(), a(), b(), a(), b(), a(), b()]);
    open.push(conversation);
    conversation.sendMessage('go');
    expect(await conversation.run()).toEqual({ status: 'stuck', iterations: 6 });
    expect(llm.calls).toHaveLength(6);
    expect(stuckEvents(conversation)[0]).toMatchObject({
      detail: { pattern: 'alternating_pattern' },
    });
  });

  it('repeated context-window errors', async () => {
    const tooLong = () => ({
      error: new LLMError('context_length_exceeded', 'maximum context length is 8192 tokens'),
    });
    const { conversation, llm } = scripted([tooLong(), tooLong(), tooLong(), 'never asked']);
    open.push(conversation);
    conversation.sendMessage('go');
    for (let i = 0; i < 3; i++) {
      await expect(conversation.run()).rejects.toBeInstanceOf(ConversationRunError);
    }
    expect(await conversation.run()).toEqual({ status: 'stuck', iterations: 0 });
    expect(llm.calls).toHaveLength(3);
    expect(stuckEvents(conversation)[0]).toMatchObject({
      detail: { pattern: 'context_window_errors' },
    });
  });

  it('does not fire on polling that gets a different output each time', async () => {
    const { conversation, llm } = scripted(
      [
        ...Array.from({ length: 10 }, () => ScriptedLLM.call('job_status', { id: 'build-1' })),
        ScriptedLLM.finish('build finished'),
      ],
      [poller()],
    );
    open.push(conversation);
    conversation.sendMessage('wait for the build');
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 11 });
    expect(llm.calls).toHaveLength(11);
    expect(stuckEvents(conversation)).toHaveLength(0);
  });

  it('does not fire below the thresholds, nor when turned off', async () => {
    const three = scripted([same(), same(), same(), ScriptedLLM.finish()]);
    open.push(three.conversation);
    three.conversation.sendMessage('go');
    expect((await three.conversation.run()).status).toBe('finished');

    const off = scripted([...Array.from({ length: 6 }, same), ScriptedLLM.finish()], undefined, {
      stuckDetection: false,
    });
    open.push(off.conversation);
    off.conversation.sendMessage('go');
    expect((await off.conversation.run()).status).toBe('finished');
  });

  it('takes custom thresholds, and rejects bad ones with a typed error', async () => {
    const { conversation } = scripted(Array.from({ length: 5 }, same), undefined, {
      stuckDetection: { repeatedActionObservation: 2 },
    });
    open.push(conversation);
    conversation.sendMessage('go');
    expect(await conversation.run()).toEqual({ status: 'stuck', iterations: 2 });

    expect(() => scripted([], undefined, { stuckDetection: { monologue: 0 } })).toThrow(
      InvalidOptionError,
    );
  });
});

describe('detectStuck (pure)', () => {
  let seq = 0;
  const base = () => ({ id: `e${seq}`, seq: seq++, timestamp: new Date(0).toISOString() });
  const user = (content: string): ConversationEvent => ({
    ...base(),
    kind: 'message',
    source: 'user',
    role: 'user',
    content,
  });
  const step = (args: unknown, output: string, thought?: string): ConversationEvent[] => {
    const action: ConversationEvent = {
      ...base(),
      kind: 'action',
      source: 'agent',
      toolName: 'echo',
      toolCallId: `c${seq}`,
      arguments: args,
      rawArguments: JSON.stringify(args),
      responseId: `r${seq}`,
      ...(thought ? { thought } : {}),
    };
    return [
      action,
      {
        ...base(),
        kind: 'observation',
        source: 'environment',
        toolName: 'echo',
        toolCallId: action.toolCallId,
        actionId: action.id,
        content: output,
        isError: false,
      },
    ];
  };

  it('ignores argument key order and thoughts; judges only what follows the last user message', () => {
    const events = [
      user('go'),
      ...step({ a: 1, b: 2 }, 'x', 'first try'),
      ...step({ b: 2, a: 1 }, 'x', 'second try'),
      ...step({ a: 1, b: 2 }, 'x'),
      ...step({ b: 2, a: 1 }, 'x', 'again'),
    ];
    expect(detectStuck(events)?.pattern).toBe('repeated_action_observation');
    expect(detectStuck([...events, user('try another way')])).toBeUndefined();
    const split = [...events.slice(0, 5), user('hm'), ...events.slice(5)];
    expect(detectStuck(split)).toBeUndefined();
  });

  it('ignores key order in nested arguments too, and still tells different arguments apart', () => {
    const nested = [
      { opts: { z: 1, a: [{ y: 2, b: 3 }] }, path: 'p', 10: 'ten', 9: 'nine' },
      { path: 'p', opts: { a: [{ b: 3, y: 2 }], z: 1 }, 9: 'nine', 10: 'ten' },
      { 10: 'ten', 9: 'nine', opts: { a: [{ b: 3, y: 2 }], z: 1 }, path: 'p' },
      { opts: { a: [{ y: 2, b: 3 }], z: 1 }, path: 'p', 9: 'nine', 10: 'ten' },
    ];
    const events = [user('go'), ...nested.flatMap((args) => step(args, 'x'))];
    expect(detectStuck(events)?.pattern).toBe('repeated_action_observation');
    const changed = [
      ...nested.slice(0, 3),
      { opts: { a: [{ b: 3, y: 2 }], z: 2 }, path: 'p', 9: 'nine', 10: 'ten' },
    ];
    expect(
      detectStuck([user('go'), ...changed.flatMap((args) => step(args, 'x'))]),
    ).toBeUndefined();
  });

  it('stops at a resume from stuck and looks at the last 500 events only', () => {
    const resumed = (): ConversationEvent => ({
      ...base(),
      kind: 'state_update',
      source: 'environment',
      status: 'running',
      previous: 'stuck',
    });
    const said = (): ConversationEvent => ({
      ...base(),
      kind: 'message',
      source: 'agent',
      role: 'assistant',
      content: 'thinking aloud',
    });
    const pause = (): ConversationEvent => ({ ...base(), kind: 'pause', source: 'user' });
    const same = () => step({ a: 1 }, 'x');

    const loop = [user('go'), ...same(), ...same(), ...same(), ...same()];
    expect(detectStuck(loop)?.pattern).toBe('repeated_action_observation');
    expect(detectStuck([...loop, resumed(), ...same(), ...same(), ...same()])).toBeUndefined();
    const talk = [user('go'), said(), said(), said()];
    expect(detectStuck(talk)?.pattern).toBe('monologue');
    expect(detectStuck([user('go'), said(), said(), resumed(), said(), said()])).toBeUndefined();

    const spread = (fillers: number) => [
      user('go'),
      ...same(),
      ...same(),
      ...same(),
      ...Array.from({ length: fillers }, pause),
      ...same(),
    ];
    expect(detectStuck(spread(10))?.pattern).toBe('repeated_action_observation');
    expect(detectStuck(spread(498))).toBeUndefined();
  });
});
