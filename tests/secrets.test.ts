import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  Agent,
  ConsoleVisualizer,
  Conversation,
  defineTool,
  FileEventStore,
  LLM,
  InvalidOptionError,
  Secrets,
  TerminalTool,
} from '../src/index.js';
import { ScriptedLLM, type ScriptedTurn, startFakeOpenAIServer } from '../src/testing/index.js';
import { echoTool, toolTexts, userTexts } from './helpers/conversation.js';
import { collectingLogger, tempDirs } from './helpers/persistence.js';
import { knownApiKeys } from '../src/secrets/known-api-keys.js';

const dirs = tempDirs();
let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
  vi.unstubAllEnvs();
  await dirs.cleanup();
});

/** A real `bash -c`, with the conversation's secrets as environment variables. */
const bashTool = defineTool({
  name: 'bash',
  description: 'Runs a bash command',
  parameters: z.object({ command: z.string() }),
  execute: async ({ command }, ctx) => {
    const result = await execa('bash', ['-c', command], {
      env: ctx.secrets,
      cancelSignal: ctx.signal,
      reject: false,
      all: true,
    });
    return {
      content: result.all,
      isError: result.exitCode !== 0,
      data: { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr },
    };
  },
});

const bash = (command: string) => ScriptedLLM.call('bash', { command });

function run(dir: string, turns: ScriptedTurn[], secrets: Record<string, string>) {
  const printed: string[] = [];
  const llm = new ScriptedLLM(turns);
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [bashTool, echoTool] }),
    store: new FileEventStore(dir, { logger: collectingLogger() }),
    secrets,
    visualizer: new ConsoleVisualizer({
      write: (line) => printed.push(line),
      colors: false,
      maxLength: 100_000,
    }),
  });
  open.push(conversation);
  return { conversation, llm, printed };
}

/** Every byte the conversation wrote under `dir`. */
function everythingWritten(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('secrets', () => {
  it('a secret a command uses never appears in the events file, whatever the command prints', async () => {
    const dir = await dirs.make();
    const token = `tok_${randomBytes(16).toString('hex')}`;
    const { conversation, llm, printed } = run(
      dir,
      [
        bash(`[ "\${#API_TOKEN}" -eq ${token.length} ] && echo "the token is set"`),
        bash('echo "$API_TOKEN"'),
        bash(`printf 'Authorization: Bearer %s\\n' "$API_TOKEN" >&2; exit 3`),
        bash('echo "{\\"token\\":\\"$API_TOKEN\\",\\"again\\":\\"$API_TOKEN\\"}"'),
        bash('printf "x%sy" "$API_TOKEN"'),
        bash('env | grep API_TOKEN'),
        ScriptedLLM.call('echo', { text: `the model repeats ${token}` }),
        ScriptedLLM.finish(`Finished with ${token}`),
      ],
      { API_TOKEN: token },
    );
    conversation.sendMessage(`My token is ${token}, keep it safe.`);
    expect(await conversation.run()).toMatchObject({ status: 'finished' });
    await conversation.close();

    const observations = conversation.events.filter((e) => e.kind === 'observation');
    expect(observations.map((o) => o.content.trim())).toEqual([
      'the token is set',
      '<secret:API_TOKEN>',
      'Authorization: Bearer <secret:API_TOKEN>',
      '{"token":"<secret:API_TOKEN>","again":"<secret:API_TOKEN>"}',
      'x<secret:API_TOKEN>y',
      'API_TOKEN=<secret:API_TOKEN>',
      'echo: the model repeats <secret:API_TOKEN>',
      'Finished with <secret:API_TOKEN>',
    ]);
    expect(observations[2]).toMatchObject({ isError: true, data: { exitCode: 3 } });
    // Nowhere on disk, in the events, in the console output, or in what the model read.
    expect(everythingWritten(dir)).not.toContain(token);
    expect(JSON.stringify(conversation.events)).not.toContain(token);
    expect(printed.join('\n')).not.toContain(token);
    expect(printed.join('\n')).toContain('<secret:API_TOKEN>');
    expect(JSON.stringify(llm.requests)).not.toContain(token);
    expect(userTexts(llm.requests[0]!)).toEqual(['My token is <secret:API_TOKEN>, keep it safe.']);
    expect(JSON.parse(readFileSync(join(dir, conversation.id, 'meta.json'), 'utf8'))).toMatchObject(
      {
        secretNames: ['API_TOKEN'],
      },
    );
  });

  it('with the real terminal: the secret is in the shell’s environment and nowhere on disk', async () => {
    const dir = await dirs.make();
    const token = `tok_${randomBytes(16).toString('hex')}`;
    const llm = new ScriptedLLM([
      ScriptedLLM.call('terminal', {
        command: 'echo "token=$API_TOKEN"; echo "length=${#API_TOKEN}"; env | grep API_TOKEN',
      }),
      'done',
    ]);
    const conversation = new Conversation({
      agent: new Agent({ llm, tools: [TerminalTool] }),
      store: new FileEventStore(dir, { logger: collectingLogger() }),
      workspace: dir,
      secrets: { API_TOKEN: token },
      visualizer: false,
    });
    open.push(conversation);
    conversation.sendMessage('show the token');
    await conversation.run();
    await conversation.close();
    const observation = toolTexts(llm.requests[1]!)[0]!;
    expect(observation).toContain(`length=${token.length}`);
    expect(observation).not.toContain(token);
    expect(everythingWritten(dir)).not.toContain(token);
  });

  it('secrets added with conversation.secrets.set reach later commands and are masked from then on', async () => {
    const dir = await dirs.make();
    const late = `late-${randomBytes(12).toString('hex')}`;
    const { conversation, llm } = run(dir, [bash('echo "[$LATE]"'), 'done'], {});
    expect(conversation.secrets.names).toEqual([]);
    conversation.secrets.set('LATE', late);
    conversation.sendMessage('print it');
    await conversation.run();
    await conversation.close();
    expect(toolTexts(llm.requests[1]!)).toEqual(['[<secret:LATE>]']);
    expect(everythingWritten(dir)).not.toContain(late);
  });

  it('the LLM API key from the environment is masked even when a command prints the environment, and is not handed to tools', async () => {
    const dir = await dirs.make();
    const key = `sk-${randomBytes(20).toString('hex')}`;
    vi.stubEnv('LLM_API_KEY', key);
    const seen: Record<string, string>[] = [];
    const envTool = defineTool({
      name: 'printenv',
      description: 'Prints the environment',
      parameters: z.object({}),
      execute: async (_args, ctx) => {
        seen.push({ ...ctx.secrets });
        return (await execa('env')).stdout;
      },
    });
    const llm = new ScriptedLLM([ScriptedLLM.call('printenv'), 'done']);
    const conversation = new Conversation({
      agent: new Agent({ llm, tools: [envTool] }),
      store: new FileEventStore(dir, { logger: collectingLogger() }),
      secrets: { OTHER: 'other-secret-value' },
      visualizer: false,
    });
    open.push(conversation);
    conversation.sendMessage('show env');
    await conversation.run();
    await conversation.close();
    expect(seen).toEqual([{ OTHER: 'other-secret-value' }]);
    const observation = conversation.events.find((e) => e.kind === 'observation')!;
    expect(observation.kind === 'observation' && observation.content).toContain(
      'LLM_API_KEY=<secret:LLM_API_KEY>',
    );
    expect(everythingWritten(dir)).not.toContain(key);
  });

  it('a key handed to new LLM({ apiKey }) is masked like one from the environment', async () => {
    const dir = await dirs.make();
    vi.stubEnv('LLM_API_KEY', '');
    const key = `sk-own-${randomBytes(20).toString('hex')}`;
    const server = await startFakeOpenAIServer({
      script: [{ toolCalls: [{ name: 'echo', arguments: { text: `the key is ${key}` } }] }, 'done'],
    });
    const llm = new LLM({ model: 'openai/gpt-4o-mini', apiKey: key, baseUrl: server.baseUrl });
    expect(llm.secretValues()).toEqual([key]);
    const conversation = new Conversation({
      agent: new Agent({ llm, tools: [echoTool] }),
      store: new FileEventStore(dir, { logger: collectingLogger() }),
      visualizer: false,
    });
    open.push(conversation);
    conversation.sendMessage('echo the key');
    await conversation.run();
    await conversation.close();
    await server.close();
    const observation = conversation.events.find((e) => e.kind === 'observation');
    expect(observation).toMatchObject({ content: 'echo: the key is <secret:LLM_API_KEY>' });
    expect(everythingWritten(dir)).not.toContain(key);
  });

  it("takes the model's key and *_API_KEY variables of 8 characters or more, never a short stand-in", () => {
    const long = 'sk-0123456789abcdef';
    const model = (apiKey: string) =>
      new LLM({ model: 'openai/gpt-4o-mini', apiKey, baseUrl: 'http://127.0.0.1:9/v1' });
    expect(knownApiKeys(model(long), {})).toEqual([['LLM_API_KEY', long]]);
    expect(knownApiKeys(model('k'), {})).toEqual([]);
    expect(knownApiKeys(model('k'), { OPENAI_API_KEY: 'short', GROQ_API_KEY: long })).toEqual([
      ['GROQ_API_KEY', long],
    ]);
  });

  it('rejects bad secret names and empty values with a clear error', () => {
    expect(() => new Secrets({ 'NOT-A-NAME': 'x' })).toThrow(InvalidOptionError);
    expect(() => new Secrets({ 'NOT-A-NAME': 'x' })).toThrow(/Invalid secret name "NOT-A-NAME"/);
    expect(() => new Secrets({ EMPTY: '' })).toThrow(/EMPTY must be a non-empty string/);
  });

  it('masks the longest secret first when one contains another', () => {
    const secrets = new Secrets({ SHORT: 'abc123', LONG: 'xxabc123yy' });
    expect(secrets.mask('a xxabc123yy and abc123')).toBe('a <secret:LONG> and <secret:SHORT>');
    expect(secrets.maskDeep({ list: ['abc123'], nested: { abc123: 1 } })).toEqual({
      list: ['<secret:SHORT>'],
      nested: { '<secret:SHORT>': 1 },
    });
  });

  it('maskDeep copies only what it masks: the input is never changed, and clean parts are the same objects', () => {
    const secrets = new Secrets({ TOKEN: 'tok-123456' });
    const clean = { a: ['x', { b: 'y' }], c: 1 };
    expect(secrets.maskDeep(clean)).toBe(clean);
    const input = { keep: { b: 'y' }, list: ['ok', 'see tok-123456'], n: null };
    const masked = secrets.maskDeep(input);
    expect(masked).toEqual({ keep: { b: 'y' }, list: ['ok', 'see <secret:TOKEN>'], n: null });
    expect(masked.keep).toBe(input.keep);
    expect(input.list).toEqual(['ok', 'see tok-123456']);
  });
});
