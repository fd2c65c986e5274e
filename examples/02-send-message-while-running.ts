/**
 * 02 · Send a message while running (the seed example of the OpenHands guide).
 *
 * The agent writes line 1 of document.txt, waits 3 seconds in the terminal, writes line 2.
 * Two seconds into the run a second message asks for line 3: the agent reads it at its
 * next step and writes line 3 before it finishes.
 *
 *   npx tsx examples/02-send-message-while-running.ts
 *   LLM_API_KEY=sk-… npx tsx examples/02-send-message-while-running.ts
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import {
  Agent,
  Conversation,
  FileEditorTool,
  type LLMRequest,
  type LanguageModel,
  TerminalTool,
  llmFromEnv,
} from 'steerable';
import { ScriptedLLM, type ScriptedReply } from 'steerable/testing';

export interface SeedOptions {
  llm?: LanguageModel;
  workspace?: string;
  /** How long the agent is asked to wait between lines 1 and 2, in seconds. Default 3. */
  waitSeconds?: number;
  /** When to send the second message. Default: 2 seconds after run() starts. */
  sendWhen?: (conversation: Conversation) => Promise<unknown>;
  visualizer?: boolean;
  print?: (line: string) => void;
}

const now = () => new Date().toTimeString().slice(0, 8);

export async function main(options: SeedOptions = {}) {
  const print = options.print ?? console.log;
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'steerable-seed-')));
  const llm = options.llm ?? llmFromEnv() ?? new ScriptedLLM([], { whenExhausted: offlineModel });
  const waitSeconds = options.waitSeconds ?? 3;
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [TerminalTool, FileEditorTool] }),
    workspace,
    visualizer: options.visualizer ?? true,
  });
  try {
    const sent = now();
    conversation.sendMessage(
      `Create a file called document.txt and write this first sentence: 'Message 1 sent at ${sent}, written at [CURRENT_TIME].' ` +
        `Replace [CURRENT_TIME] with the actual current time when you write the line. ` +
        `Then wait ${waitSeconds} seconds and write 'Message 2 sent at ${sent}, written at [CURRENT_TIME].'`,
    );
    const done = conversation.run();
    await (options.sendWhen ? options.sendWhen(conversation) : sleep(2000));
    conversation.sendMessage(
      `Please also add this second sentence to document.txt: 'Message 3 sent at ${now()}, written at [CURRENT_TIME].' ` +
        `Replace [CURRENT_TIME] with the actual current time when you write this line.`,
    );
    await done;

    const document = await readFile(join(workspace, 'document.txt'), 'utf8');
    print(`\ndocument.txt:\n${document}`);
    const success = [1, 2, 3].every((n) => document.includes(`Message ${n} sent at`));
    print(success ? 'SUCCESS: line 3 was written before the agent finished.' : 'FAILURE');
    return { success, document, workspace };
  } finally {
    await conversation.close();
  }
}

/**
 * The offline model: it does what the user's messages in its request ask, so it writes
 * line 3 only once the second message has reached it.
 */
function offlineModel({ request }: { request: LLMRequest }): ScriptedReply {
  const users = request.messages.flatMap((m) => (m.role === 'user' ? [m.content] : []));
  const calls = request.messages.flatMap((m) =>
    m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.function.name) : [],
  );
  const writes = calls.filter((name) => name === 'file_editor').length;
  const sentence = (n: number) => {
    const quoted = users
      .map((u) => u.match(`'(Message ${n} sent at [^,]+), written at`))
      .find(Boolean);
    return quoted ? `${quoted[1]}, written at ${now()}.\n` : undefined;
  };
  const seconds = users[0]?.match(/wait (\d+) seconds/)?.[1] ?? '3';
  const insert = (line: number, text: string) =>
    ScriptedLLM.call('file_editor', {
      command: 'insert',
      path: 'document.txt',
      insert_line: line,
      new_str: text,
    });
  if (writes === 0) {
    return ScriptedLLM.call('file_editor', {
      command: 'create',
      path: 'document.txt',
      file_text: sentence(1),
    });
  }
  if (!calls.includes('terminal'))
    return ScriptedLLM.call('terminal', { command: `sleep ${seconds}` });
  if (writes === 1) return insert(1, sentence(2)!);
  const third = sentence(3);
  if (writes === 2 && third) return insert(2, third);
  return ScriptedLLM.finish(`document.txt has ${writes} lines.`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
