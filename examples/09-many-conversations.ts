/**
 * 09 · Many conversations at once: one agent serves many conversations, each with its own
 * log, inbox and workspace, all running concurrently in one process. Each is steered
 * mid-run by its own message, and each acts on its own message only.
 *
 *   npx tsx examples/09-many-conversations.ts          # offline: 50 conversations
 *   LLM_API_KEY=sk-… npx tsx examples/09-many-conversations.ts   # the real model: 3
 */
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { filter, firstValueFrom } from 'rxjs';
import {
  Agent,
  Conversation,
  FileEditorTool,
  type LLMRequest,
  type LanguageModel,
  llmFromEnv,
} from 'steerable';
import { ScriptedLLM, type ScriptedReply } from 'steerable/testing';

export interface ManyOptions {
  llm?: LanguageModel;
  /** How many conversations. Default 50 offline, 3 on a real model. */
  count?: number;
  workspace?: string;
  print?: (line: string) => void;
}

export async function main(options: ManyOptions = {}) {
  const print = options.print ?? console.log;
  const real = options.llm ? undefined : llmFromEnv();
  const llm = options.llm ?? real ?? new ScriptedLLM([], { whenExhausted: offlineModel });
  const count = options.count ?? (real ? 3 : 50);
  const root = options.workspace ?? (await mkdtemp(join(tmpdir(), 'steerable-many-')));
  const agent = new Agent({ llm, tools: [FileEditorTool] }); // one agent for all

  const conversations = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const workspace = join(root, `c${i}`);
      await mkdir(workspace);
      return new Conversation({ agent, workspace, visualizer: false });
    }),
  );
  const started = performance.now();
  try {
    await Promise.all(
      conversations.map(async (conversation, i) => {
        const firstWrite = firstValueFrom(
          conversation.events$.pipe(
            filter((e) => e.kind === 'action' && e.toolName === 'file_editor'),
          ),
        );
        conversation.sendMessage(`Create number.txt containing just the number ${i}.`);
        const done = conversation.run();
        await firstWrite; // steer this conversation while it works
        conversation.sendMessage(`Also create steered.txt containing "steered ${i}".`);
        return done;
      }),
    );
    const results = await Promise.all(
      conversations.map(async (conversation, i) => {
        const dir = join(root, `c${i}`);
        const number = (await readFile(join(dir, 'number.txt'), 'utf8')).trim();
        const steered = (await readFile(join(dir, 'steered.txt'), 'utf8').catch(() => '')).trim();
        return { status: conversation.status, number, steered };
      }),
    );
    const ok = results.every((r, i) => r.number === String(i) && r.steered === `steered ${i}`);
    print(
      `${count} conversations in ${Math.round(performance.now() - started)} ms: ${ok ? 'each acted on its own message' : 'MISMATCH'}`,
    );
    return { ok, results };
  } finally {
    await Promise.all(conversations.map((c) => c.close()));
  }
}

/** The offline model: a function of each request, so one instance serves every conversation. */
function offlineModel({ request }: { request: LLMRequest }): ScriptedReply {
  const users = request.messages.flatMap((m) => (m.role === 'user' ? [m.content] : []));
  const paths = request.messages.flatMap((m) =>
    m.role === 'assistant'
      ? (m.tool_calls ?? []).map((c) => String(JSON.parse(c.function.arguments).path))
      : [],
  );
  const create = (path: string, text: string) =>
    ScriptedLLM.call('file_editor', { command: 'create', path, file_text: `${text}\n` });
  const number = users[0]?.match(/number (\d+)/)?.[1];
  if (number !== undefined && !paths.includes('number.txt')) return create('number.txt', number);
  const steered = users.map((u) => u.match(/"(steered \d+)"/)?.[1]).find(Boolean);
  if (steered && !paths.includes('steered.txt')) return create('steered.txt', steered);
  return ScriptedLLM.finish('Done.');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
