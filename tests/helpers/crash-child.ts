// Runs a conversation with a persistent log on a scripted model, reporting on stdout (one
// JSON object a line) every event once it is durable, when the sleep command starts and
// when a model call is in flight, so the parent can SIGKILL it at a precise point.
import { execa } from 'execa';
import { z } from 'zod';
import { Agent, Conversation, defineTool, FileEventStore } from '../../src/index.js';
import { ScriptedLLM, type ScriptedTurn } from '../../src/testing/index.js';
import { deferred } from './deferred.js';

/** What the parent asks for. */
export interface CrashChildConfig {
  dir: string;
  conversationId: string;
  /** `tool`: kill while `sleep 30` runs; `thinking`: while the second model call hangs. */
  scenario: 'tool' | 'thinking';
  /** Messages to send once that point is reached (before the parent kills). */
  messagesAtKillPoint?: string[];
}

const config = JSON.parse(process.argv[2]!) as CrashChildConfig;
const emit = (message: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify(message)}\n`);

const store = new FileEventStore(config.dir, {
  logger: { warn: (m) => emit({ warn: m }), error: (m) => emit({ error: m }) },
});
store.subscribe(config.conversationId, (event) =>
  emit({
    durable: event.seq,
    kind: event.kind,
    id: event.id,
    ...(event.kind === 'action' ? { toolName: event.toolName } : {}),
  }),
);

const atKillPoint = deferred();

const sleepTool = defineTool({
  name: 'sleep',
  description: 'Sleeps in the terminal',
  parameters: z.object({ seconds: z.number() }),
  execute: async ({ seconds }, ctx) => {
    const command = execa('sleep', [String(seconds)], { cancelSignal: ctx.signal });
    emit({ sleepPid: command.pid });
    atKillPoint.resolve();
    await command;
    return `slept ${seconds}s`;
  },
});
const echoTool = defineTool({
  name: 'echo',
  description: 'Echoes',
  parameters: z.object({ text: z.string() }),
  execute: ({ text }) => `echo: ${text}`,
});

const turns: ScriptedTurn[] =
  config.scenario === 'tool'
    ? [ScriptedLLM.call('echo', { text: 'first' }), ScriptedLLM.call('sleep', { seconds: 30 })]
    : [
        ScriptedLLM.call('echo', { text: 'first' }),
        ({ index }) => {
          emit({ thinking: index });
          atKillPoint.resolve();
          return new Promise<string>(() => undefined); // never answers
        },
      ];

const conversation = new Conversation({
  agent: new Agent({ llm: new ScriptedLLM(turns), tools: [sleepTool, echoTool] }),
  store,
  conversationId: config.conversationId,
  visualizer: false,
});
conversation.sendMessage('Echo something, then take your time.');
void conversation.run();
await atKillPoint.promise;
for (const text of config.messagesAtKillPoint ?? []) {
  const { id } = conversation.sendMessage(text);
  emit({ sent: id, text });
}
emit({ atKillPoint: true });
