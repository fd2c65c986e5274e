import pc from 'picocolors';
import type { Conversation } from '../../conversation/conversation.js';
import { MessageNotPendingError } from '../../errors/message-errors.js';
import { CHAT_HELP, type ChatInput, parseChatLine } from './chat-command-line.js';
import { ChatPrinter } from './chat-printer.js';
import { ChatTerminal } from './chat-terminal.js';

/** An inspector opened on the conversation (what `startInspector` returns). */
export interface OpenInspector {
  url: string;
  close(): unknown;
}

/** Options of `runChat`. */
export interface ChatOptions {
  conversation: Conversation;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  colors?: boolean;
  /** Opens the inspector for `/inspect`; without it `/inspect` says it is not available. */
  openInspector?: (conversation: Conversation) => Promise<OpenInspector>;
}

/**
 * An interactive session with an agent: each typed line is sent with `sendMessage` at
 * once, while the agent works (steer; `/now` interrupts, `/later` queues), and the
 * agent's events stream above the prompt. Resolves with the exit code when the user
 * types `/quit`, or when the input ends and the agent is done with what it was sent.
 *
 * @example
 * ```ts
 * const code = await runChat({ conversation, input: process.stdin, output: process.stdout });
 * ```
 */
export function runChat(options: ChatOptions): Promise<number> {
  return new ChatSession(options).start();
}

class ChatSession {
  readonly #conversation: Conversation;
  readonly #terminal: ChatTerminal;
  readonly #printer: ChatPrinter;
  readonly #options: ChatOptions;
  readonly #c: ReturnType<typeof pc.createColors>;
  /** Ids of the messages typed here, oldest first. */
  readonly #sent: string[] = [];
  #run: Promise<void> | undefined;
  #resumeWanted = false;
  #inspector: OpenInspector | undefined;
  #ending: Promise<void> | undefined;
  #done!: (code: number) => void;

  constructor(options: ChatOptions) {
    this.#options = options;
    this.#conversation = options.conversation;
    this.#c = pc.createColors(options.colors ?? false);
    this.#terminal = new ChatTerminal(options.input, options.output);
    this.#printer = new ChatPrinter((text) => this.#terminal.print(text), options.colors ?? false);
  }

  start(): Promise<number> {
    const finished = new Promise<number>((resolve) => {
      this.#done = resolve;
    });
    const detach = this.#printer.attach(this.#conversation);
    const subscription = this.#conversation.events$.subscribe(() => this.#updatePrompt());
    this.#terminal.print(
      this.#c.dim(`steerable chat · ${this.#conversation.agent.llm.model} · /help for commands`),
    );
    this.#updatePrompt();
    this.#terminal.listen(
      (line) => this.#onLine(line),
      () => void this.#end(false),
    );
    return finished.finally(() => {
      subscription.unsubscribe();
      detach();
    });
  }

  #onLine(line: string): void {
    if (this.#ending) return;
    this.#handle(parseChatLine(line));
  }

  #handle(input: ChatInput): void {
    const conversation = this.#conversation;
    switch (input.type) {
      case 'empty':
        return;
      case 'send': {
        const { id } = conversation.sendMessage(input.text, { delivery: input.delivery });
        this.#sent.push(id);
        if (
          conversation.status === 'paused' ||
          conversation.status === 'waiting_for_confirmation'
        ) {
          this.#say('the agent is paused: the message waits; /resume to continue');
        } else {
          this.#ensureRun();
        }
        return;
      }
      case 'retract': {
        const pending = new Set(conversation.pendingMessages.map((m) => m.id));
        const id = [...this.#sent].reverse().find((sent) => pending.has(sent));
        if (!id) return this.#say('nothing to retract: the agent has read every message');
        try {
          conversation.retractMessage(id);
        } catch (error) {
          if (!(error instanceof MessageNotPendingError)) throw error;
          this.#say(error.message);
        }
        return;
      }
      case 'pause':
        void conversation.pause().then(
          () => this.#say('paused: /resume to continue'),
          (error: unknown) => this.#sayError(error),
        );
        return;
      case 'resume':
        this.#ensureRun(true);
        return;
      case 'status':
        return this.#status();
      case 'cost':
        return this.#cost();
      case 'inspect':
        void this.#inspect();
        return;
      case 'help':
        return this.#say(CHAT_HELP);
      case 'quit':
        void this.#end(true);
        return;
      case 'unknown':
        return this.#say(`unknown command ${input.command}: /help lists the commands`);
    }
  }

  /**
   * Starts a run unless one is going (or, without `resume`, while paused). A `/resume` typed
   * while the last run is still settling (its pause just took effect) runs once it has.
   */
  #ensureRun(resume = false): void {
    const status = this.#conversation.status;
    const paused = status === 'paused' || status === 'waiting_for_confirmation';
    if (this.#run) {
      if (resume && paused) this.#resumeWanted = true;
      return;
    }
    if (!resume && paused) return;
    this.#run = this.#conversation
      .run()
      .then(
        (result) => this.#say(`■ ${result.status} (${result.iterations} model calls)`),
        (error: unknown) => this.#sayError(error),
      )
      .finally(() => {
        this.#run = undefined;
        const resumeWanted = this.#resumeWanted;
        this.#resumeWanted = false;
        if (this.#ending) return;
        // A message typed as the run ended is read by the next one.
        const now = this.#conversation.status;
        const resting = now === 'idle' || now === 'finished' || now === 'stuck';
        if (resumeWanted || (resting && this.#conversation.pendingMessages.length > 0)) {
          this.#ensureRun(resumeWanted);
        }
      });
  }

  #status(): void {
    const conversation = this.#conversation;
    const state = JSON.stringify(conversation.actor.getSnapshot().value);
    const pending = conversation.pendingMessages;
    const lines = [
      `status: ${conversation.status} · state: ${state} · pending: ${pending.length} · model responses: ${conversation.state.metrics.responses}`,
      ...pending.map((m) => `  ⋯ ${m.delivery !== 'steer' ? `[${m.delivery}] ` : ''}${m.content}`),
    ];
    this.#say(lines.join('\n'));
  }

  #cost(): void {
    const metrics = this.#conversation.state.metrics;
    this.#say(
      `cost: $${metrics.cost.toFixed(4)} · tokens: ${metrics.promptTokens} prompt, ${metrics.completionTokens} completion · model responses: ${metrics.responses}`,
    );
  }

  async #inspect(): Promise<void> {
    if (!this.#options.openInspector) return this.#say('the inspector is not available here');
    try {
      this.#inspector ??= await this.#options.openInspector(this.#conversation);
      this.#say(`inspector: ${this.#inspector.url}`);
    } catch (error) {
      this.#sayError(error);
    }
  }

  /** Ends the session: on `/quit` at once; at the end of input once the agent is done. */
  #end(quit: boolean): Promise<void> {
    this.#ending ??= (async () => {
      await Promise.resolve(); // `#ending` is set before closing the terminal calls back here
      if (!quit) await this.#run;
      this.#terminal.close();
      await this.#inspector?.close();
      await this.#conversation.close();
      this.#terminal.print(this.#c.dim('bye'));
      this.#done(0);
    })();
    return this.#ending;
  }

  #updatePrompt(): void {
    const pending = this.#conversation.pendingMessages.length;
    this.#terminal.setPrompt(pending > 0 ? `(${pending} pending) > ` : '> ');
  }

  #say(text: string): void {
    this.#terminal.print(this.#c.cyan(text));
  }

  #sayError(error: unknown): void {
    this.#terminal.print(
      this.#c.red(`error: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
}
