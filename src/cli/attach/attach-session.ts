import { randomUUID } from 'node:crypto';
import type { RemoteConversation } from '../../conversation/remote-conversation.js';
import type { Delivery } from '../../events/schema.js';
import { ChatPrinter } from '../chat/chat-printer.js';
import { type ChatInput, parseChatLine } from '../chat/chat-command-line.js';
import { ChatTerminal } from '../chat/chat-terminal.js';

/** The commands of `steerable attach`, for `/help`. */
export const ATTACH_HELP = [
  'Type a message and press Enter: it is stored, and the runner gives it to the agent at its next step (steer).',
  '  /now <text>     send at once: the runner aborts its model request in flight (interrupt)',
  '  /later <text>   send as a follow-up, read when the agent would finish (queue)',
  '  /retract        withdraw the last message the agent has not read yet',
  '  /pause          pause the runner (its tool call finishes first)',
  '  /interrupt      pause the runner at once (aborts its model request and tool call)',
  '  /status         status and pending messages',
  '  /quit           leave (the conversation goes on in its runner)',
].join('\n');

/** Options of `runAttachSession`. */
export interface AttachSessionOptions {
  remote: RemoteConversation;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  colors?: boolean;
  /** The delivery of plain lines. Default `steer`. */
  steering?: Delivery;
}

/**
 * The chat prompt of `steerable chat`, connected to a conversation that runs in another
 * process: the log so far and every event as the runner appends it are printed; each
 * typed line goes in with `sendMessage` (in order); `/now`, `/later`, `/retract`,
 * `/pause` and `/interrupt` steer the runner. Resolves with the exit code when the user
 * types `/quit` or the input ends (once what was typed is stored). It never closes
 * `remote`: the caller does.
 */
export function runAttachSession(options: AttachSessionOptions): Promise<number> {
  return new AttachSession(options).start();
}

class AttachSession {
  readonly #remote: RemoteConversation;
  readonly #terminal: ChatTerminal;
  readonly #printer: ChatPrinter;
  readonly #steering: Delivery;
  /** Ids of the messages typed here, oldest first. */
  readonly #sent: string[] = [];
  /** Sends, retractions and commands not settled yet. */
  readonly #inFlight = new Set<Promise<unknown>>();
  #ending: Promise<void> | undefined;
  #done!: (code: number) => void;

  constructor(options: AttachSessionOptions) {
    this.#remote = options.remote;
    this.#steering = options.steering ?? 'steer';
    this.#terminal = new ChatTerminal(options.input, options.output, options.colors ?? false);
    this.#printer = new ChatPrinter((text) => this.#terminal.print(text), options.colors ?? false);
  }

  start(): Promise<number> {
    const finished = new Promise<number>((resolve) => (this.#done = resolve));
    const remote = this.#remote;
    this.#terminal.note(
      `steerable attach · conversation ${remote.id} · ${remote.status} · ${remote.events.length} events · /help for commands`,
    );
    for (const event of remote.events) this.#printer.show(event);
    const subscription = remote.events$.subscribe((event) => {
      this.#printer.show(event);
      this.#updatePrompt();
    });
    this.#updatePrompt();
    this.#terminal.listen(
      (line) => this.#onLine(line),
      () => void this.#end(),
    );
    return finished.finally(() => subscription.unsubscribe());
  }

  #onLine(line: string): void {
    if (this.#ending) return;
    if (line.trim() === '/interrupt') {
      this.#track(this.#remote.interrupt(), () => `interrupted (status ${this.#remote.status})`);
      return;
    }
    this.#handle(parseChatLine(line));
  }

  #handle(input: ChatInput): void {
    const remote = this.#remote;
    switch (input.type) {
      case 'empty':
        return;
      case 'send': {
        const delivery = input.delivery === 'steer' ? this.#steering : input.delivery;
        const id = randomUUID();
        this.#sent.push(id);
        this.#track(remote.sendMessage(input.text, { delivery, id }));
        return;
      }
      case 'retract': {
        const pending = new Set(remote.pendingMessages.map((m) => m.id));
        const id = [...this.#sent].reverse().find((sent) => pending.has(sent));
        if (!id) return this.#terminal.say('nothing to retract: the agent has read every message');
        this.#track(remote.retractMessage(id));
        return;
      }
      case 'pause':
        this.#track(remote.pause(), () => `paused (status ${remote.status})`);
        return;
      case 'status': {
        const pending = remote.pendingMessages;
        return this.#terminal.say(
          [
            `status: ${remote.status} · events: ${remote.events.length} · pending: ${pending.length}`,
            ...pending.map((m) => `  ⋯ ${m.content}`),
          ].join('\n'),
        );
      }
      case 'help':
        return this.#terminal.say(ATTACH_HELP);
      case 'quit':
        void this.#end();
        return;
      case 'resume':
      case 'cost':
      case 'inspect':
        return this.#terminal.say(
          `/${input.type} is not available here: the runner's process owns the run`,
        );
      case 'unknown':
        return this.#terminal.say(`unknown command ${input.command}: /help lists the commands`);
    }
  }

  /** Keeps a request until it settles; prints `done` (if given) or its error. */
  #track(request: Promise<unknown>, done?: () => string): void {
    const settled = request.then(
      () => done && this.#terminal.say(done()),
      (error: unknown) => this.#terminal.sayError(error),
    );
    this.#inFlight.add(settled);
    void settled.finally(() => this.#inFlight.delete(settled));
  }

  /** Ends the session once what was typed is stored (and answered). */
  #end(): Promise<void> {
    this.#ending ??= (async () => {
      await Promise.resolve();
      await Promise.all([...this.#inFlight]);
      this.#terminal.close();
      this.#terminal.note('bye (the conversation goes on in its runner)');
      this.#done(0);
    })();
    return this.#ending;
  }

  #updatePrompt(): void {
    this.#terminal.showPending(this.#remote.pendingMessages.length);
  }
}
