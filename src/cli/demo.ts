import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { Agent } from '../agent/agent.js';
import { Conversation } from '../conversation/conversation.js';
import type { LLMRequest, LanguageModel } from '../llm/types.js';
import { ScriptedLLM, type ScriptedReply } from '../testing/scripted-llm.js';
import { defineTool } from '../tools/define-tool.js';

/** Options of the seed demo. */
export interface SeedDemoOptions {
  /** Where document.txt is written. Default: a new temporary directory. */
  workspace?: string;
  /** The model. Default: the embedded scripted model. */
  llm?: LanguageModel;
  /** When to send the second message, in ms after `run()` starts. Default 2000. */
  sendAfterMs?: number;
  /** Seconds the agent waits between line 1 and line 2. Default 3. */
  waitSeconds?: number;
  /**
   * Decides when to send the second message. Default: \`sendAfterMs\` after \`run()\`
   * starts. Tests pass a function that waits for an event instead of a clock.
   */
  sendWhen?: (conversation: Conversation) => Promise<unknown>;
  /** Where the demo prints. Default: stdout. */
  print?: (line: string) => void;
  /** Print the conversation's events as they happen. Default true. */
  visualizer?: boolean;
}

/** What the demo found. */
export interface SeedDemoResult {
  success: boolean;
  document: string;
  cost: number;
  workspace: string;
}

const time = () => new Date().toTimeString().slice(0, 8);

/**
 * The seed example of the OpenHands guide "send message while running", for real: the
 * agent writes line 1, waits, writes line 2; two seconds into the run a second message
 * asks for line 3, and the agent writes it before it finishes.
 */
export async function runSeedDemo(options: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'steerable-demo-')));
  const documentPath = join(workspace, 'document.txt');
  const llm = options.llm ?? new ScriptedLLM([], { whenExhausted: seedModel });
  const waitSeconds = options.waitSeconds ?? 3;

  const writeLine = defineTool({
    name: 'write_line',
    description: 'Appends one line to document.txt in the workspace',
    parameters: z.object({ line: z.string().describe('The line to append') }),
    execute: async ({ line }) => {
      await appendFile(documentPath, `${line}\n`);
      return `Appended to document.txt: ${line}`;
    },
  });
  const wait = defineTool({
    name: 'wait',
    description: 'Waits a number of seconds',
    parameters: z.object({ seconds: z.number().min(0).max(60) }),
    execute: async ({ seconds }, ctx) => {
      await sleep(seconds * 1000, undefined, { signal: ctx.signal });
      return `Waited ${seconds} s`;
    },
  });

  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [writeLine, wait] }),
    workspace,
    visualizer: options.visualizer ?? true,
  });
  print('=== Send Message While Running ===');
  print(`workspace: ${workspace}`);
  const startTime = time();
  conversation.sendMessage(
    `Create a file called document.txt and write this first sentence: 'Message 1 sent at ${startTime}, written at [CURRENT_TIME].' ` +
      `Replace [CURRENT_TIME] with the actual current time when you write the line. ` +
      `Then wait ${waitSeconds} seconds and write 'Message 2 sent at ${startTime}, written at [CURRENT_TIME].'`,
  );
  const done = conversation.run();
  await (options.sendWhen ? options.sendWhen(conversation) : sleep(options.sendAfterMs ?? 2000));
  const secondTime = time();
  conversation.sendMessage(
    `Please also add this second sentence to document.txt: 'Message 3 sent at ${secondTime}, written at [CURRENT_TIME].' ` +
      `Replace [CURRENT_TIME] with the actual current time when you write this line.`,
  );
  await done;
  await conversation.close();

  const document = await readFile(documentPath, 'utf8').catch(() => '');
  print('\nDocument contents:\n─────────────────────');
  print(document.trimEnd());
  print('─────────────────────');
  const success = [1, 2, 3].every((n) => document.includes(`Message ${n} sent at`));
  const cost = conversation.state.metrics.cost;
  print(
    success
      ? '\nSUCCESS: the agent acted on the message sent while it was running.'
      : '\nFAILURE: a line is missing.',
  );
  print(`EXAMPLE_COST: ${cost}`);
  return { success, document, cost, workspace };
}

/**
 * The embedded model of the demo: it follows the user's instructions as written in its
 * request. It writes line 3 only if a user message asking for it is in the request.
 */
export function seedModel({ request }: { request: LLMRequest }): ScriptedReply {
  const users = request.messages.filter((m) => m.role === 'user').map((m) => m.content);
  const written = request.messages.flatMap((m) =>
    m.role === 'assistant'
      ? (m.tool_calls ?? []).filter((c) => c.function.name === 'write_line')
      : [],
  ).length;
  const waited = request.messages.some(
    (m) => m.role === 'assistant' && m.tool_calls?.some((c) => c.function.name === 'wait'),
  );
  const sentence = (n: number) => {
    const quoted = users
      .map((u) => u.match(new RegExp(`'(Message ${n} sent at [^,]+), written at`)))
      .find(Boolean);
    return quoted ? `${quoted[1]}, written at ${time()}.` : undefined;
  };
  const seconds = Number(users[0]?.match(/wait (\d+) seconds/)?.[1] ?? 3);
  if (written === 0) return ScriptedLLM.call('write_line', { line: sentence(1) });
  if (!waited) return ScriptedLLM.call('wait', { seconds }, 'Line 1 written; now waiting.');
  if (written === 1) return ScriptedLLM.call('write_line', { line: sentence(2) });
  const third = sentence(3);
  if (written === 2 && third)
    return ScriptedLLM.call('write_line', { line: third }, 'I saw the new message: adding line 3.');
  return ScriptedLLM.finish(`document.txt has ${written} lines.`);
}
