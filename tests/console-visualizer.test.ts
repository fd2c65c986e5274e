import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Agent, Conversation, ConsoleVisualizer, defineTool } from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { echoTool } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const listTool = defineTool({
  name: 'list',
  description: 'Lists files',
  parameters: z.object({ path: z.string() }),
  execute: () => ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'].join('\n'),
});

describe('ConsoleVisualizer', () => {
  it('prints a known scenario readably (colours off)', async () => {
    const lines: string[] = [];
    const visualizer = new ConsoleVisualizer({
      colors: false,
      maxLength: 80,
      write: (l) => lines.push(l),
    });
    const llm = new ScriptedLLM(
      [
        {
          content: 'I will look around first.',
          toolCalls: [{ name: 'list', arguments: { path: '.' } }],
          usage: { promptTokens: 1200, completionTokens: 35 },
        },
        {
          toolCalls: [
            { name: 'echo', arguments: { text: 'x'.repeat(300) } },
            { name: 'nope', arguments: {} },
          ],
          usage: { promptTokens: 1400, completionTokens: 60 },
        },
        {
          content: 'Five files.\nAll listed.',
          usage: { promptTokens: 1600, completionTokens: 12 },
        },
      ],
      { costPerCall: 0.0021 },
    );
    const conversation = new Conversation({
      agent: new Agent({ llm, tools: [echoTool, listTool] }),
      visualizer,
    });
    open.push(conversation);
    conversation.sendMessage('What files are here?');
    const retracted = conversation.sendMessage('Ignore that', { delivery: 'queue' });
    conversation.retractMessage(retracted.id);
    await conversation.run();

    expect(lines.join('\n')).toMatchInlineSnapshot(`
      "   #0 agent  system       system prompt, tools: echo, list, finish
         #1 user   message      What files are here?
         #2 user   message      [queue] Ignore that
         #3 user   retracted    "Ignore that"
         #4 env    status       idle → running
         #5 agent  read         the model read "What files are here?"
         #6 agent  thought      I will look around first.
                   action       list(path=".")  ↑1.2K ↓35 tokens · $0.0021
         #7 env    observation  list: a.txt
                                b.txt
                                c.txt
                                … (2 more lines)
         #8 agent  action       echo(text="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…)  ↑2.6K ↓95 tokens · $0.0042
         #9 agent  action       nope()
        #10 env    observation  echo: echo: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
        #11 env    observation  nope failed: Unknown tool "nope". The tools that exist are: echo, list, finish.
        #12 agent  message      Five files. All listed.  ↑4.2K ↓107 tokens · $0.0063
        #13 env    status       running → finished"
    `);
  });

  it('colours by source when colours are on', () => {
    const visualizer = new ConsoleVisualizer({ colors: true, write: () => undefined });
    const text = visualizer.format({
      kind: 'message',
      id: 'm1',
      seq: 1,
      timestamp: '2025-01-01T00:00:00.000Z',
      source: 'user',
      role: 'user',
      content: 'hello',
      delivery: 'steer',
    })!;
    expect(text).toContain('\u001b[36muser'); // cyan
    expect(text).toContain('hello');
  });

  it('respects NO_COLOR, FORCE_COLOR and output that is not a terminal', () => {
    const event = {
      kind: 'pause' as const,
      id: 'p',
      seq: 3,
      timestamp: '2025-01-01T00:00:00.000Z',
      source: 'user' as const,
    };
    const escape = String.fromCharCode(27);
    const ansi = new RegExp(`${escape}\\[`);
    const stdout = process.stdout as { isTTY?: boolean };
    const wasTTY = stdout.isTTY;
    try {
      vi.stubEnv('FORCE_COLOR', undefined);
      vi.stubEnv('TERM', 'xterm-256color');
      vi.stubEnv('NO_COLOR', '1');
      stdout.isTTY = true;
      expect(new ConsoleVisualizer().format(event)).not.toMatch(ansi);
      vi.stubEnv('NO_COLOR', '');
      expect(new ConsoleVisualizer().format(event)).toMatch(ansi);
      stdout.isTTY = false;
      expect(new ConsoleVisualizer().format(event)).not.toMatch(ansi);
      vi.stubEnv('FORCE_COLOR', '1');
      const forced = new ConsoleVisualizer().format(event)!;
      expect(forced).toMatch(ansi);
      expect(forced.replace(new RegExp(`${escape}\\[\\d+m`, 'g'), '')).toBe(
        '   #3 user   pause        pause requested',
      );
    } finally {
      stdout.isTTY = wasTTY;
    }
  });

  it('is on by default for a Conversation, and off with visualizer: false', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const agent = () => new Agent({ llm: new ScriptedLLM(['Hi!']), tools: [] });
    const loud = new Conversation({ agent: agent() });
    open.push(loud);
    loud.sendMessage('hello there');
    await loud.run();
    const printed = write.mock.calls.map(([chunk]) => String(chunk)).join('');
    expect(printed).toContain('hello there');
    expect(printed).toContain('Hi!');

    write.mockClear();
    const quiet = new Conversation({ agent: agent(), visualizer: false });
    open.push(quiet);
    quiet.sendMessage('shh');
    await quiet.run();
    expect(write).not.toHaveBeenCalled();
  });
});
