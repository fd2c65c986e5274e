import { type Interface, clearLine, createInterface, cursorTo } from 'node:readline';

/**
 * The terminal side of a chat: reads lines with `node:readline`, and prints output above
 * the prompt without disturbing what the user is typing. With piped input (no TTY) it
 * prints plain lines and no prompt.
 */
export class ChatTerminal {
  readonly #rl: Interface;
  readonly #output: NodeJS.WritableStream;
  readonly #tty: boolean;
  #closed = false;

  constructor(input: NodeJS.ReadableStream, output: NodeJS.WritableStream) {
    this.#tty = Boolean((output as { isTTY?: boolean }).isTTY);
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
