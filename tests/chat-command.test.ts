import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer } from '../src/testing/index.js';
import { type CliProcess, startCli } from './helpers/cli-process.js';
import { deferred } from './helpers/deferred.js';

let dir: string;
let running: CliProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chat-'));
});
afterEach(async () => {
  for (const cli of running) cli.child.kill();
  await Promise.all(running.map((cli) => cli.child));
  running = [];
  await rm(dir, { recursive: true, force: true });
});

async function chat(scenario: string[]): Promise<CliProcess> {
  const file = join(dir, 'chat.yaml');
  await writeFile(file, scenario.join('\n'));
  const cli = startCli(['chat', '--scripted', file]);
  running.push(cli);
  return cli;
}

/** Asserts that the texts appear in the output in this order. */
function expectInOrder(output: string, texts: string[]): void {
  let from = 0;
  for (const text of texts) {
    const at = output.indexOf(text, from);
    expect(at, `"${text}" after position ${from} in:\n${output}`).toBeGreaterThanOrEqual(0);
    from = at + text.length;
  }
}

describe('steerable chat', () => {
  it('lines typed while the agent is busy reach the model in order', async () => {
    const cli = await chat([
      'agent: { tools: [echo] }',
      'turns:',
      // Busy until the user has typed three lines.
      '  - waitFor: { userMessages: 3 }',
      '    call: { tool: echo, args: { text: working } }',
      // Answers only if the request holds exactly the typed lines, in order.
      '  - when: { userMessages: [first, second, third] }',
      '    finish: got all three, in order',
    ]);
    await cli.waitFor('steerable chat');
    cli.type('first');
    await cli.waitFor('✓ read: first');
    cli.type('second');
    await cli.waitFor('⋯ pending: second');
    cli.type('third');
    await cli.waitFor('■ finished');
    cli.child.stdin.end();
    const { exitCode } = await cli.child;
    expect(exitCode).toBe(0);
    expectInOrder(cli.output(), [
      '✓ read: first',
      '⋯ pending: second',
      '⋯ pending: third',
      'action       echo(text="working")',
      '✓ read: second',
      '✓ read: third',
      'action       finish(message="got all three, in order")',
      '■ finished (2 model calls)',
      'bye',
    ]);
  });

  it('/now interrupts, /later queues a follow-up, /retract withdraws the last pending line', async () => {
    const cli = await chat([
      'agent: { tools: [echo] }',
      'turns:',
      '  - when: { userMessages: [start] }',
      '    waitFor: { userMessages: 99 }',
      '    say: never answered',
      '  - when: { lastUserMessageContains: stop }',
      '    call: { tool: echo, args: { text: stopping } }',
      '  - when: { noUserMessageContains: afterwards }',
      '    finish: main work done',
      '  - when: { lastUserMessageContains: afterwards }',
      '    say: follow-up handled',
    ]);
    cli.type('start');
    await cli.waitFor('✓ read: start');
    cli.type('/later afterwards');
    await cli.waitFor('⋯ pending [queue]: afterwards');
    cli.type('oops');
    await cli.waitFor('⋯ pending: oops');
    cli.type('/retract');
    await cli.waitFor('↶ retracted: oops');
    cli.type('/now stop');
    await cli.waitFor('message      follow-up handled');
    cli.child.stdin.end();
    expect((await cli.child).exitCode).toBe(0);
    const output = cli.output();
    expectInOrder(output, [
      '⋯ pending [interrupt]: stop',
      '✓ read: stop',
      'action       echo(text="stopping")',
      'action       finish(message="main work done")',
      '✓ read: afterwards',
      'message      follow-up handled',
    ]);
    expect(output).not.toContain('✓ read: oops');
    expect(output).not.toContain('never answered');
  });

  it('/pause holds messages until /resume; /status, /cost, /help, unknown commands and /quit', async () => {
    const cli = await chat([
      'turns:',
      '  - when: { userMessages: [go] }',
      '    waitFor: { userMessages: 99 }',
      '    say: never answered',
      '  - when: { userMessages: [go, more] }',
      '    say: resumed with more',
      '    usage: { promptTokens: 120, completionTokens: 8 }',
      '    cost: 0.0125',
    ]);
    cli.type('go');
    await cli.waitFor('✓ read: go');
    cli.type('/pause');
    await cli.waitFor('paused: /resume to continue');
    cli.type('more');
    await cli.waitFor('the message waits');
    cli.type('/status');
    await cli.waitFor('⋯ more');
    expect(cli.output()).toMatch(/status: paused · state: \{"paused":"manual"\} · pending: 1/);
    cli.type('/resume');
    await cli.waitFor('■ finished');
    cli.type('/cost');
    await cli.waitFor('cost: $0.0125 · tokens: 120 prompt, 8 completion · model responses: 1');
    cli.type('/help');
    await cli.waitFor('/later <text>');
    cli.type('/bogus');
    await cli.waitFor('unknown command /bogus');
    cli.type('/quit'); // stdin stays open: /quit alone ends the process
    const { exitCode } = await cli.child;
    expect(exitCode).toBe(0);
    expectInOrder(cli.output(), [
      '✓ read: go',
      'paused',
      '⋯ pending: more',
      '✓ read: more',
      'message      resumed with more',
      'bye',
    ]);
  });

  it('chats with the real model (over a fake OpenAI server): typed lines reach its requests in order', async () => {
    const secondTyped = deferred();
    const server = await startFakeOpenAIServer({
      script: [
        { toolCalls: [{ name: 'echo', arguments: { text: 'busy' } }], delay: secondTyped.promise },
        'Got both.',
      ],
    });
    try {
      const cli = startCli(['chat', '--tools', 'echo'], {
        LLM_API_KEY: 'test-key',
        LLM_MODEL: 'openai/gpt-4o',
        LLM_BASE_URL: server.baseUrl,
      });
      running.push(cli);
      await cli.waitFor('steerable chat · openai/gpt-4o');
      cli.type('first');
      await cli.waitFor('✓ read: first');
      cli.type('second');
      await cli.waitFor('⋯ pending: second');
      secondTyped.resolve();
      await cli.waitFor('message      Got both.');
      cli.child.stdin.end();
      expect((await cli.child).exitCode).toBe(0);
      const users = (
        server.requests[1]!.body as { messages: { role: string; content: string }[] }
      ).messages
        .filter((m) => m.role === 'user')
        .map((m) => m.content);
      expect(users).toEqual(['first', 'second']);
    } finally {
      await server.close();
    }
  });

  it('an unknown tool for the real model is an error', async () => {
    const cli = startCli(['chat', '--tools', 'echo,rmrf'], { LLM_API_KEY: 'test-key' });
    running.push(cli);
    const { exitCode, stderr } = await cli.child;
    expect(exitCode).toBe(1);
    expect(stderr).toContain(
      'unknown tool "rmrf" (tools: echo, file_editor, task_tracker, terminal, wait)',
    );
  });

  it('/inspect opens the inspector on the live conversation; /quit closes it', async () => {
    const cli = await chat(['turns: [{ say: hello there }]']);
    cli.type('hi');
    await cli.waitFor('■ finished');
    cli.type('/inspect');
    await cli.waitFor(/inspector: http:\/\/127\.0\.0\.1:\d+\//);
    const url = /inspector: (\S+)/.exec(cli.output())![1]!;
    const snapshot = (await (await fetch(`${url}api/snapshot`)).json()) as {
      mode: string;
      timeline: { event: { kind: string } }[];
    };
    expect(snapshot.mode).toBe('live');
    expect(snapshot.timeline.map((e) => e.event.kind)).toContain('message_delivered');
    cli.type('/quit');
    expect((await cli.child).exitCode).toBe(0);
    await expect(fetch(`${url}api/snapshot`)).rejects.toThrow();
  });

  it('without --scripted or a model it says what is needed and exits 1', async () => {
    const cli = startCli(['chat']);
    running.push(cli);
    const { exitCode, stderr } = await cli.child;
    expect(exitCode).toBe(1);
    expect(stderr).toContain('--scripted');
  });

  it('a bad scenario file is reported with its line', async () => {
    const cli = await chat(['turns:', '  - sya: hi']);
    const { exitCode, stderr } = await cli.child;
    expect(exitCode).toBe(1);
    expect(stderr).toContain('chat.yaml:2: turns[0].sya: unknown key "sya"');
  });
});
