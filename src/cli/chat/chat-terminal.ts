import { type Interface, clearLine, createInterface, cursorTo } from 'node:readline';
import pc from 'picocolors';

/**
 * The terminal side of a chat: reads lines with `node:readline`, and prints output above
 * the prompt without disturbing what the user is typing. With piped input (no TTY) it
 * prints plain lines and no prompt.
 */
export class ChatTerminal {
  readonly #rl: Interface;
  readonly #output: NodeJS.WritableStream;
  readonly #tty: boolean;
  readonly #c: ReturnType<typeof pc.createColors>;
  #closed = false;

  constructor(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, colors = false) {
    this.#tty = Boolean((output as { isTTY?: boolean }).isTTY);
    this.#c = pc.createColors(colors);
    this.#output = output;
    this.#rl = createInterface({ input, output, terminal: this.#tty });
  }

  /** Calls `onLine` for each line typed (in order) and `onEnd` when the input ends. */
  listen(onLine: (line: string) => void, onEnd: () => void): void {
    this.#rl.on('line', onLine);
    this.#rl.on('close', onEnd);
    this.prompt();
  }

  /** Sets the prompt text (e.g. with the number of pending messages). */
  setPrompt(prompt: string): void {
    this.#rl.setPrompt(prompt);
    this.prompt();
  }

  /** Shows how many messages wait to be read, in the prompt. */
  showPending(count: number): void {
    this.setPrompt(count > 0 ? `(${count} pending) > ` : '> ');
  }

  /** Prints a reply of the chat itself (not of the agent). */
  say(text: string): void {
    this.print(this.#c.cyan(text));
  }

  /** Prints a quiet line: a banner, a goodbye. */
  note(text: string): void {
    this.print(this.#c.dim(text));
  }

  /** Prints what went wrong with a command. */
  sayError(error: unknown): void {
    this.print(this.#c.red(`error: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** Prints lines above the prompt. */
  print(text: string): void {
    if (!this.#tty) {
      this.#output.write(`${text}\n`);
      return;
    }
    clearLine(this.#output, 0);
    cursorTo(this.#output, 0);
    this.#output.write(`${text}\n`);
    this.prompt();
  }

  /** Redraws the prompt, keeping what the user has typed (only on a terminal, while open). */
  prompt(): void {
    if (this.#tty && !this.#closed) this.#rl.prompt(true);
  }

  /** Stops reading input. */
  close(): void {
    this.#closed = true;
    this.#rl.close();
  }
}
