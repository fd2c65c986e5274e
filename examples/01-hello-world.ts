/**
 * 01 · Hello world: an agent with the file editor writes a file.
 *
 *   npx tsx examples/01-hello-world.ts                   # offline: a scripted model
 *   LLM_API_KEY=sk-… npx tsx examples/01-hello-world.ts  # the real model (LLM_MODEL, LLM_BASE_URL)
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  Agent,
  Conversation,
  FileEditorTool,
  type LanguageModel,
  type RunResult,
  llmFromEnv,
} from 'steerable';
import { ScriptedLLM } from 'steerable/testing';

export interface HelloOptions {
  /** The model; default: the real one when LLM_API_KEY is set, else a scripted one. */
  llm?: LanguageModel;
  /** Where the agent works; default: a new temporary directory. */
  workspace?: string;
  /** Print each event as it happens. Default true. */
  visualizer?: boolean;
  print?: (line: string) => void;
}

/** What the scripted model answers: create the file, then finish. */
function offlineModel(): LanguageModel {
  return new ScriptedLLM([
    ScriptedLLM.call('file_editor', {
      command: 'create',
      path: 'hello.txt',
      file_text: 'Hello, world!\n',
    }),
    ScriptedLLM.finish('I created hello.txt with "Hello, world!".'),
  ]);
}

export async function main(
  options: HelloOptions = {},
): Promise<RunResult & { text: string; workspace: string }> {
  const print = options.print ?? console.log;
  const workspace = options.workspace ?? (await mkdtemp(join(tmpdir(), 'steerable-hello-')));
  const llm = options.llm ?? llmFromEnv() ?? offlineModel();
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [FileEditorTool] }),
    workspace,
    visualizer: options.visualizer ?? true,
  });
  try {
    conversation.sendMessage('Create a file hello.txt that says "Hello, world!".');
    const result = await conversation.run();
    const text = await readFile(join(workspace, 'hello.txt'), 'utf8');
    print(`\nstatus: ${result.status} after ${result.iterations} model calls`);
    print(`${join(workspace, 'hello.txt')}: ${text.trim()}`);
    return { ...result, text, workspace };
  } finally {
    await conversation.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
