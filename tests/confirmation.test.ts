import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  AlwaysConfirm,
  ConfirmRisky,
  Conversation,
  type ConfirmationPolicy,
  type ConversationEvent,
  InvalidOptionError,
  MemoryEventStore,
  NeverConfirm,
  defineTool,
} from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { scripted, toolTexts, userTexts } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

/** A stand-in terminal: records the commands it is asked to run, runs none of them. */
function fakeTerminal() {
  const ran: string[] = [];
  const tool = defineTool({
    name: 'terminal',
    description: 'Runs a bash command (test double: records it)',
    parameters: z.object({ command: z.string() }),
    execute: ({ command }) => {
      ran.push(command);
      return `ran: ${command}`;
    },
  });
  return { tool, ran };
}

const RISKY = 'rm -rf ~/old-project';
const risky = () => ScriptedLLM.call('terminal', { command: RISKY }, 'Cleaning up.');

function actions(conversation: Conversation) {
  return conversation.events.filter(
    (e): e is Extract<ConversationEvent, { kind: 'action' }> => e.kind === 'action',
  );
}

const confirming = [
  ['AlwaysConfirm', () => AlwaysConfirm],
  ['ConfirmRisky', () => new ConfirmRisky()],
] as const;

describe.each(confirming)('%s, on a risky command', (_name, policy) => {
  it('waits for approval; run() approves and executes', async () => {
    const terminal = fakeTerminal();
    const { conversation, llm } = scripted(
      [risky(), ScriptedLLM.finish('removed it')],
      [terminal.tool],
    );
    open.push(conversation);
    conversation.setConfirmationPolicy(policy());
    conversation.sendMessage('remove my old project');

    expect(await conversation.run()).toEqual({ status: 'waiting_for_confirmation', iterations: 1 });
    expect(conversation.status).toBe('waiting_for_confirmation');
    expect(conversation.actor.getSnapshot().matches({ paused: 'awaitingConfirmation' })).toBe(true);
    expect(terminal.ran).toEqual([]);
    expect(conversation.state.openActions.size).toBe(1);

    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(terminal.ran).toEqual([RISKY]);
    expect(toolTexts(llm.requests[1]!)).toEqual([`ran: ${RISKY}`]);
  });

  it('rejectPendingActions(reason) logs one user_reject per action; the model sees the reason', async () => {
    const terminal = fakeTerminal();
    const { conversation, llm } = scripted(
      [
        {
          content: 'Two steps.',
          toolCalls: [
            { name: 'terminal', arguments: { command: RISKY } },
            { name: 'terminal', arguments: { command: 'sudo reboot' } },
          ],
        },
        ScriptedLLM.finish('ok, I will not'),
      ],
      [terminal.tool],
    );
    open.push(conversation);
    conversation.setConfirmationPolicy(policy());
    conversation.sendMessage('clean up');
    await conversation.run();

    conversation.rejectPendingActions('Do not touch my home directory.');
    const rejects = conversation.events.filter((e) => e.kind === 'user_reject');
    expect(rejects).toHaveLength(2);
    expect(rejects.map((r) => r.kind === 'user_reject' && r.actionId)).toEqual(
      actions(conversation).map((a) => a.id),
    );
    expect(conversation.status).toBe('idle');
    expect(conversation.state.openActions.size).toBe(0);

    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(terminal.ran).toEqual([]);
    expect(toolTexts(llm.requests[1]!)).toEqual([
      'The user rejected this action: Do not touch my home directory.',
      'The user rejected this action: Do not touch my home directory.',
    ]);
  });

  it('a user message while waiting is logged at once and read with the next thinking', async () => {
    const terminal = fakeTerminal();
    const { conversation, llm } = scripted([risky(), ScriptedLLM.finish()], [terminal.tool]);
    open.push(conversation);
    conversation.setConfirmationPolicy(policy());
    conversation.sendMessage('remove it');
    await conversation.run();

    const { outcome } = conversation.sendMessage('and tell me what you removed');
    expect(conversation.status).toBe('waiting_for_confirmation');
    expect(conversation.pendingMessages.map((m) => m.content)).toEqual([
      'and tell me what you removed',
    ]);

    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(await outcome).toMatchObject({ status: 'delivered' });
    const second = llm.requests[1]!;
    expect(userTexts(second)).toEqual(['remove it', 'and tell me what you removed']);
    // The tool result comes before the new message: the approved action ran first.
    expect(second.messages.at(-2)).toMatchObject({ role: 'tool', content: `ran: ${RISKY}` });
    expect(second.messages.at(-1)).toMatchObject({ role: 'user' });
  });

  it('a user message while waiting, then reject: the model sees the rejection and the message', async () => {
    const terminal = fakeTerminal();
    const { conversation, llm } = scripted([risky(), 'Understood.'], [terminal.tool]);
    open.push(conversation);
    conversation.setConfirmationPolicy(policy());
    conversation.sendMessage('remove it');
    await conversation.run();
    conversation.sendMessage('actually, keep it');
    conversation.rejectPendingActions('changed my mind');

    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(toolTexts(llm.requests[1]!)).toEqual(['The user rejected this action: changed my mind']);
    expect(userTexts(llm.requests[1]!).at(-1)).toBe('actually, keep it');
  });

  it('pending actions survive a restart on the same store; run() on the new conversation approves them', async () => {
    const store = new MemoryEventStore();
    const firstTerminal = fakeTerminal();
    const first = new Conversation({
      agent: new Agent({ llm: new ScriptedLLM([risky()]), tools: [firstTerminal.tool] }),
      store,
      conversationId: 'restart-while-waiting',
      visualizer: false,
    });
    open.push(first);
    first.setConfirmationPolicy(policy());
    first.sendMessage('remove it');
    expect((await first.run()).status).toBe('waiting_for_confirmation');
    first.sendMessage('and say when you are done');
    await first.close();

    const terminal = fakeTerminal();
    const llm = new ScriptedLLM([ScriptedLLM.finish('done')]);
    const second = new Conversation({
      agent: new Agent({ llm, tools: [terminal.tool] }),
      store,
      conversationId: 'restart-while-waiting',
      visualizer: false,
      confirmationPolicy: policy(), // code, not in the log: handed in again, like the agent
    });
    open.push(second);
    expect(second.confirmationPolicy.name).toBe(policy().name);
    expect(second.status).toBe('waiting_for_confirmation');
    expect(second.actor.getSnapshot().matches({ paused: 'awaitingConfirmation' })).toBe(true);
    expect([...second.state.openActions.values()].map((a) => a.arguments)).toEqual([
      { command: RISKY },
    ]);
    expect(second.pendingMessages.map((m) => m.content)).toEqual(['and say when you are done']);
    // Nothing was run by the first process, and no "process stopped" observation was added.
    expect(firstTerminal.ran).toEqual([]);
    expect(second.events.filter((e) => e.kind === 'observation')).toHaveLength(0);

    expect(await second.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(terminal.ran).toEqual([RISKY]);
    expect(toolTexts(llm.requests[0]!)).toEqual([`ran: ${RISKY}`]);
    expect(userTexts(llm.requests[0]!).at(-1)).toBe('and say when you are done');
  });

  it('a restart while waiting, then reject, works the same', async () => {
    const store = new MemoryEventStore();
    const first = new Conversation({
      agent: new Agent({ llm: new ScriptedLLM([risky()]), tools: [fakeTerminal().tool] }),
      store,
      conversationId: 'restart-reject',
      visualizer: false,
    });
    open.push(first);
    first.setConfirmationPolicy(policy());
    first.sendMessage('remove it');
    await first.run();
    await first.close();

    const terminal = fakeTerminal();
    const llm = new ScriptedLLM(['OK, I left it.']);
    const second = new Conversation({
      agent: new Agent({ llm, tools: [terminal.tool] }),
      store,
      conversationId: 'restart-reject',
      visualizer: false,
    });
    open.push(second);
    second.rejectPendingActions('no');
    expect(second.events.filter((e) => e.kind === 'user_reject')).toHaveLength(1);
    expect(await second.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(terminal.ran).toEqual([]);
  });

  it('finish never needs confirmation', async () => {
    const { conversation } = scripted([ScriptedLLM.finish('all done')]);
    open.push(conversation);
    conversation.setConfirmationPolicy(policy());
    conversation.sendMessage('nothing to do');
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
  });

  it('rejectPendingActions() with nothing pending does nothing', async () => {
    const { conversation } = scripted(['hello']);
    open.push(conversation);
    conversation.sendMessage('hi');
    await conversation.run();
    const before = conversation.events.length;
    conversation.rejectPendingActions('nothing to reject');
    expect(conversation.events.length).toBe(before);
    expect(conversation.status).toBe('finished');
  });

  it('pause() while waiting for confirmation changes nothing; the actions stay pending', async () => {
    const terminal = fakeTerminal();
    const { conversation } = scripted([risky(), ScriptedLLM.finish()], [terminal.tool]);
    open.push(conversation);
    conversation.setConfirmationPolicy(policy());
    conversation.sendMessage('go');
    await conversation.run();
    const before = conversation.events.length;

    await conversation.pause();
    await conversation.interrupt();
    expect(conversation.status).toBe('waiting_for_confirmation');
    expect(conversation.events.length).toBe(before);
    expect(conversation.state.openActions.size).toBe(1);
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(terminal.ran).toEqual([RISKY]);
  });
});

describe('NeverConfirm', () => {
  it('runs every action without waiting', async () => {
    const terminal = fakeTerminal();
    const { conversation } = scripted([risky(), ScriptedLLM.finish()], [terminal.tool]);
    open.push(conversation);
    conversation.setConfirmationPolicy(NeverConfirm);
    conversation.sendMessage('go');
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 2 });
    expect(terminal.ran).toEqual([RISKY]);
    // The risk is still rated and recorded.
    expect(actions(conversation)[0]!.securityRisk).toBe('high');
  });
});

describe('ConfirmRisky', () => {
  it('records a securityRisk on every action and confirms only those at or above the threshold', async () => {
    const terminal = fakeTerminal();
    const { conversation } = scripted(
      [
        ScriptedLLM.call('terminal', { command: 'ls -la' }),
        ScriptedLLM.call('terminal', { command: 'npm test' }),
        risky(),
        ScriptedLLM.finish(),
      ],
      [terminal.tool],
    );
    open.push(conversation);
    conversation.setConfirmationPolicy(new ConfirmRisky());
    conversation.sendMessage('go');

    expect(await conversation.run()).toEqual({ status: 'waiting_for_confirmation', iterations: 3 });
    expect(terminal.ran).toEqual(['ls -la', 'npm test']);
    expect(actions(conversation).map((a) => a.securityRisk)).toEqual(['low', 'medium', 'high']);
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 1 });
    expect(terminal.ran).toEqual(['ls -la', 'npm test', RISKY]);
  });

  it("threshold 'medium' confirms a medium action", async () => {
    const terminal = fakeTerminal();
    const { conversation } = scripted(
      [
        ScriptedLLM.call('terminal', { command: 'cat README.md' }),
        ScriptedLLM.call('terminal', { command: 'npm install left-pad' }),
        ScriptedLLM.finish(),
      ],
      [terminal.tool],
    );
    open.push(conversation);
    conversation.setConfirmationPolicy(new ConfirmRisky({ threshold: 'medium' }));
    conversation.sendMessage('go');
    expect((await conversation.run()).status).toBe('waiting_for_confirmation');
    expect(terminal.ran).toEqual(['cat README.md']);
    expect(actions(conversation).at(-1)!.securityRisk).toBe('medium');
  });

  it('confirms unknown risks unless confirmUnknown is false', async () => {
    const note = defineTool({
      name: 'note',
      description: 'Writes a note somewhere (no rule knows this tool)',
      parameters: z.object({ text: z.string() }),
      execute: ({ text }) => `noted ${text}`,
    });
    const a = scripted([ScriptedLLM.call('note', { text: 'x' }), ScriptedLLM.finish()], [note]);
    open.push(a.conversation);
    a.conversation.setConfirmationPolicy(new ConfirmRisky());
    a.conversation.sendMessage('go');
    expect((await a.conversation.run()).status).toBe('waiting_for_confirmation');
    expect(actions(a.conversation)[0]!.securityRisk).toBe('unknown');

    const b = scripted([ScriptedLLM.call('note', { text: 'x' }), ScriptedLLM.finish()], [note]);
    open.push(b.conversation);
    b.conversation.setConfirmationPolicy(new ConfirmRisky({ confirmUnknown: false }));
    b.conversation.sendMessage('go');
    expect((await b.conversation.run()).status).toBe('finished');
  });

  it("uses the tool's own securityRisk rating when it has one", async () => {
    const deploy = defineTool({
      name: 'deploy',
      description: 'Deploys to production',
      parameters: z.object({ env: z.string() }),
      execute: () => 'deployed',
      securityRisk: ({ env }) => (env === 'production' ? 'high' : 'low'),
    });
    const { conversation } = scripted(
      [
        ScriptedLLM.call('deploy', { env: 'staging' }),
        ScriptedLLM.call('deploy', { env: 'production' }),
        ScriptedLLM.finish(),
      ],
      [deploy],
    );
    open.push(conversation);
    conversation.setConfirmationPolicy(new ConfirmRisky());
    conversation.sendMessage('ship it');
    expect((await conversation.run()).status).toBe('waiting_for_confirmation');
    expect(actions(conversation).map((a) => a.securityRisk)).toEqual(['low', 'high']);
  });

  it('an action that cannot run (unknown tool, invalid arguments) is low and runs to its error', async () => {
    const terminal = fakeTerminal();
    const { conversation } = scripted(
      [
        ScriptedLLM.call('no_such_tool', {}),
        ScriptedLLM.call('terminal', { cmd: 'rm -rf /' }),
        ScriptedLLM.finish(),
      ],
      [terminal.tool],
    );
    open.push(conversation);
    conversation.setConfirmationPolicy(new ConfirmRisky({ threshold: 'medium' }));
    conversation.sendMessage('go');
    expect((await conversation.run()).status).toBe('finished');
    expect(actions(conversation).map((a) => a.securityRisk)).toEqual(['low', 'low', 'low']);
    expect(terminal.ran).toEqual([]);
  });

  it('rejects an invalid threshold with a typed error naming it', () => {
    const error = (() => {
      try {
        new ConfirmRisky({ threshold: 'unknown' as never });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ option: 'threshold' });
    expect(String(error)).toMatch(/threshold must be 'low', 'medium' or 'high'/);
  });

  it('a confirmationPolicy option that is not a policy is an InvalidOptionError naming it', () => {
    const agent = new Agent({ llm: new ScriptedLLM([]), tools: [] });
    const create = () =>
      new Conversation({
        agent,
        visualizer: false,
        confirmationPolicy: { name: 'x' } as unknown as ConfirmationPolicy,
      });
    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow(
      /^confirmationPolicy: expected AlwaysConfirm, NeverConfirm, ConfirmRisky/,
    );
  });

  it('setConfirmationPolicy rejects something that is not a policy', () => {
    const { conversation } = scripted([]);
    open.push(conversation);
    expect(() => conversation.setConfirmationPolicy({} as never)).toThrow(/ConfirmRisky/);
  });
});
