import { firstValueFrom, filter } from 'rxjs';
import { z } from 'zod';
import {
  Agent,
  Conversation,
  type ConversationEvent,
  type ConversationOptions,
  type AnyToolDefinition,
  defineTool,
} from '../../src/index.js';
import { ScriptedLLM, type ScriptedTurn } from '../../src/testing/index.js';
import { deferred, whenAborted } from './deferred.js';

/** A conversation on a scripted model, console output off. */
export function scripted(
  turns: ScriptedTurn[],
  tools: AnyToolDefinition[] = [echoTool],
  options: Partial<ConversationOptions> = {},
): { conversation: Conversation; llm: ScriptedLLM } {
  const llm = new ScriptedLLM(turns);
  const conversation = new Conversation({
    agent: new Agent({ llm, tools }),
    visualizer: false,
    ...options,
  });
  return { conversation, llm };
}

/** Echoes its text. */
export const echoTool = defineTool({
  name: 'echo',
  description: 'Echoes the text back',
  parameters: z.object({ text: z.string().describe('What to echo') }),
  execute: ({ text }) => `echo: ${text}`,
});

/** A tool that runs until the test releases it (or its call is aborted). */
export function gatedTool(name = 'slow') {
  let started = deferred<AbortSignal>();
  let release = deferred<string>();
  const calls: AbortSignal[] = [];
  const tool = defineTool({
    name,
    description: 'Takes as long as the test wants',
    parameters: z.object({}),
    execute: async (_args, ctx) => {
      calls.push(ctx.signal);
      started.resolve(ctx.signal);
      const result = await Promise.race([
        release.promise,
        whenAborted(ctx.signal).then(() => {
          throw new Error('aborted');
        }),
      ]);
      return result;
    },
  });
  return {
    tool,
    calls,
    /** Resolves with the call's signal once a call starts. */
    started: () => started.promise,
    /** Ends the running call with `output`, and arms the gate for the next call. */
    release: (output = 'slow done') => {
      const current = release;
      started = deferred<AbortSignal>();
      release = deferred<string>();
      current.resolve(output);
    },
  };
}

/** Resolves with the first event (already logged or to come) that matches. */
export function nextEvent(
  conversation: Conversation,
  match: (event: ConversationEvent) => boolean,
  fromSeq = 0,
): Promise<ConversationEvent> {
  const found = conversation.events.slice(fromSeq).find(match);
  if (found) return Promise.resolve(found);
  return firstValueFrom(conversation.events$.pipe(filter(match)));
}

/** Resolves once the machine is in `state` (e.g. 'acting', 'paused'). */
export function inState(conversation: Conversation, state: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => conversation.actor.getSnapshot().matches(state as never);
    if (check()) return resolve();
    const sub = conversation.actor.subscribe(() => {
      if (check()) {
        sub.unsubscribe();
        resolve();
      }
    });
  });
}

/** The kinds of the events, in order. */
export function kinds(events: readonly ConversationEvent[]): string[] {
  return events.map((e) => e.kind);
}

/** Checks seq runs 0, 1, 2... without gap or duplicate. */
export function expectContiguous(events: readonly ConversationEvent[]): void {
  events.forEach((event, i) => {
    if (event.seq !== i) throw new Error(`event ${i} has seq ${event.seq}`);
  });
}

/** The user messages' texts in a request. */
export function userTexts(request: {
  messages: readonly { role: string; content?: unknown }[];
}): string[] {
  return request.messages.filter((m) => m.role === 'user').map((m) => String(m.content));
}

/** The tool results' texts in a request. */
export function toolTexts(request: {
  messages: readonly { role: string; content?: unknown }[];
}): string[] {
  return request.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));
}
