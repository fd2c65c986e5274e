/**
 * 08 · Streaming: with `stream: true` the model's answer arrives in pieces on
 * `conversation.deltas$` while the request runs (the log gets the whole answer once).
 * Offline it streams from a local fake OpenAI server through the real `openai` client.
 *
 *   npx tsx examples/08-streaming.ts
 *   LLM_API_KEY=sk-… npx tsx examples/08-streaming.ts
 */
import { pathToFileURL } from 'node:url';
import { Agent, Conversation, LLM, type LanguageModel, llmFromEnv } from 'steerable';
import { type FakeOpenAIServer, startFakeOpenAIServer } from 'steerable/testing';

export interface StreamingOptions {
  llm?: LanguageModel;
  visualizer?: boolean;
  /** Where the streamed text goes. Default: stdout, as it arrives. */
  write?: (text: string) => void;
}

const ANSWER =
  'Streaming shows the answer while it is being written: each piece is printed as soon as it arrives.';

export async function main(options: StreamingOptions = {}) {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  let server: FakeOpenAIServer | undefined;
  let llm = options.llm ?? llmFromEnv({ stream: true });
  if (!llm) {
    server = await startFakeOpenAIServer({ script: [{ content: ANSWER, chunkSize: 6 }] });
    llm = new LLM({
      model: 'openai/gpt-4o-mini',
      apiKey: 'offline',
      baseUrl: server.baseUrl,
      stream: true,
    });
  }
  const conversation = new Conversation({
    agent: new Agent({ llm }),
    visualizer: options.visualizer ?? false,
  });
  let streamed = '';
  let pieces = 0;
  const subscription = conversation.deltas$.subscribe((delta) => {
    if (delta.reset) streamed = ''; // a retried request starts over
    if (!delta.content) return;
    pieces += 1;
    streamed += delta.content;
    write(delta.content);
  });
  try {
    conversation.sendMessage('In one sentence: what does streaming an answer change for the user?');
    const result = await conversation.run();
    write('\n');
    const logged = conversation.events.findLast(
      (e) => e.kind === 'message' && e.role === 'assistant',
    );
    return {
      status: result.status,
      streamed,
      pieces,
      logged: logged?.kind === 'message' ? logged.content : '',
    };
  } finally {
    subscription.unsubscribe();
    await conversation.close();
    await server?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
