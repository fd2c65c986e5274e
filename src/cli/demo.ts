import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from '../agent/agent.js';
import { Conversation } from '../conversation/conversation.js';
import type { ChatToolCall, LLMRequest, LanguageModel } from '../llm/types.js';
import { ScriptedLLM, type ScriptedReply } from '../testing/scripted-llm.js';
import { FileEditorTool } from '../tools/file-editor/file-editor-tool.js';
import { TerminalTool } from '../tools/terminal/terminal-tool.js';

/** Options of the seed demo. */
export interface SeedDemoOptions {
  /** Where document.txt is written. Default: a new temporary directory. */
  workspace?: string;
  /** The model. Default: the embedded scripted model. */
  llm?: LanguageModel;
  /** When to send the second message, in ms after `run()` starts. Default 2000. */
  sendAfterMs?: number;
  /** Seconds the agent waits (a real `sleep` in the terminal) between line 1 and line 2. Default 3. */
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
 * The seed example of the OpenHands guide "send message while running", for real: with
 * the real terminal and file editor, the agent writes line 1 of document.txt, runs
 * `sleep 3` in the terminal, writes line 2; two seconds into the run a second message
 * asks for line 3, and the agent writes it before it finishes.
 *
 * @example
 * ```ts
 * const { success, document, cost } = await runSeedDemo({ visualizer: false });
 * ```
 */
export async function runSeedDemo(options: SeedDemoOptions = {}): Promise<SeedDemoResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'steerable-demo-')));
  const documentPath = join(workspace, 'document.txt');
  const llm = options.llm ?? new ScriptedLLM([], { whenExhausted: seedModel });
  const waitSeconds = options.waitSeconds ?? 3;

  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [TerminalTool, FileEditorTool] }),
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

/** The tool calls the model made so far, from its request. */
function callsIn(request: LLMRequest): { name: string; args: Record<string, unknown> }[] {
  return request.messages
    .flatMap((m): ChatToolCall[] => (m.role === 'assistant' ? (m.tool_calls ?? []) : []))
    .map((call) => ({
      name: call.function.name,
      args: JSON.parse(call.function.arguments) as Record<string, unknown>,
    }));
}

/**
 * The embedded model of the demo: it follows the user's instructions as written in its
 * request, with the real tools. It creates document.txt with line 1 (file editor), runs
 * `sleep` in the terminal, inserts line 2, and inserts line 3 only if a user message
 * asking for it is in the request; then it finishes.
 */
export function seedModel({ request }: { request: LLMRequest }): ScriptedReply {
  const users = request.messages.filter((m) => m.role === 'user').map((m) => m.content);
  const calls = callsIn(request);
  const written = calls.filter(
    (c) => c.name === 'file_editor' && (c.args.command === 'create' || c.args.command === 'insert'),
  ).length;
  const slept = calls.some((c) => c.name === 'terminal' && /^sleep /.test(String(c.args.command)));
  const sentence = (n: number) => {
    const quoted = users
      .map((u) => u.match(new RegExp(`'(Message ${n} sent at [^,]+), written at`)))
      .find(Boolean);
    return quoted ? `${quoted[1]}, written at ${time()}.` : undefined;
  };
  const seconds = Number(users[0]?.match(/wait (\d+) seconds/)?.[1] ?? 3);
  const insertLine = (n: number, line: string, thought: string) =>
    ScriptedLLM.call(
      'file_editor',
      { command: 'insert', path: 'document.txt', insert_line: n - 1, new_str: line },
      thought,
    );

  if (written === 0) {
    return ScriptedLLM.call(
      'file_editor',
      { command: 'create', path: 'document.txt', file_text: `${sentence(1)}\n` },
      'Creating document.txt with the first sentence.',
    );
  }
  if (!slept) {
    return ScriptedLLM.call(
      'terminal',
      { command: `sleep ${seconds}`, timeout: seconds + 30 },
      `Line 1 written; waiting ${seconds} seconds.`,
    );
  }
  if (written === 1) return insertLine(2, sentence(2) ?? '', 'Writing the second sentence.');
  const third = sentence(3);
  if (written === 2 && third) {
    return insertLine(3, third, 'A new message asks for another sentence: adding it as line 3.');
  }
  return ScriptedLLM.finish(`document.txt has ${written} lines.`);
}
