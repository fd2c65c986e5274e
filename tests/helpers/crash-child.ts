// Runs a conversation with a persistent log on a scripted model and the real terminal,
// reporting on stdout (one JSON object a line) every event once it is durable, when the
// terminal's `sleep` runs and when a model call is in flight, so the parent can SIGKILL it
// at a precise point.
import { createServer } from 'node:net';
import { z } from 'zod';
import { Agent, Conversation, defineTool, FileEventStore, TerminalTool } from '../../src/index.js';
import { ScriptedLLM, type ScriptedTurn } from '../../src/testing/index.js';
import { deferred } from './deferred.js';

/** What the parent asks for. */
export interface CrashChildConfig {
  dir: string;
  conversationId: string;
  /** `tool`: kill while `sleep 30` runs in the terminal; `thinking`: while the second model call hangs. */
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

// The terminal command tells us, over a local TCP connection (bash's /dev/tcp), that
// `sleep` runs, with the shell's pid and the sleep's pid.
const signals = createServer((socket) =>
  socket.on('data', (data) => {
    const [shellPid, sleepPid] = data.toString().trim().split(' ').map(Number);
    emit({ shellPid, sleepPid });
    atKillPoint.resolve();
  }),
);
await new Promise<void>((resolve) => signals.listen(0, '127.0.0.1', resolve));
const port = (signals.address() as { port: number }).port;

const echoTool = defineTool({
  name: 'echo',
  description: 'Echoes',
  parameters: z.object({ text: z.string() }),
  execute: ({ text }) => `echo: ${text}`,
});

const sleepInTerminal = ScriptedLLM.call('terminal', {
  command: `sleep 30 & echo "$$ $!" > /dev/tcp/127.0.0.1/${port}; wait`,
  timeout: 300,
});
const turns: ScriptedTurn[] =
  config.scenario === 'tool'
    ? [ScriptedLLM.call('echo', { text: 'first' }), sleepInTerminal]
    : [
        ScriptedLLM.call('echo', { text: 'first' }),
        ({ index }) => {
          emit({ thinking: index });
          atKillPoint.resolve();
          return new Promise<string>(() => undefined); // never answers
        },
      ];

const conversation = new Conversation({
  agent: new Agent({ llm: new ScriptedLLM(turns), tools: [TerminalTool, echoTool] }),
  store,
  conversationId: config.conversationId,
  workspace: config.dir,
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
