import type { ClippedText } from './truncate.js';

/**
 * Collects a command's output with bounded memory: the first `limit` characters and the
 * last `limit` characters are kept, everything in between is only counted. A command
 * that prints gigabytes costs at most `2 * limit` characters.
 *
 * @example
 * ```ts
 * const buffer = new OutputBuffer(30_000);
 * buffer.append(chunk);
 * const { head, tail, omitted } = buffer.drain();
 * ```
 */
export class OutputBuffer {
  readonly limit: number;
  #head = '';
  #tail = '';
  #omitted = 0;

  constructor(limit: number) {
    if (!(limit > 0)) throw new RangeError('OutputBuffer limit must be positive');
    this.limit = limit;
  }

  /** Whether nothing was appended since the last `drain()`. */
  get isEmpty(): boolean {
    return this.#head === '' && this.#tail === '' && this.#omitted === 0;
  }

  append(text: string): void {
    if (text === '') return;
    if (this.#tail === '' && this.#head.length < this.limit) {
      const room = this.limit - this.#head.length;
      this.#head += text.slice(0, room);
      text = text.slice(room);
      if (text === '') return;
    }
    this.#tail += text;
    // Trim lazily (at twice the limit) so a stream of small chunks is not quadratic.
    if (this.#tail.length > 2 * this.limit) this.#trimTail();
  }

  /** Everything collected since the last drain, and resets the buffer. */
  drain(): ClippedText {
    this.#trimTail();
    const result = { head: this.#head, tail: this.#tail, omitted: this.#omitted };
    this.#head = '';
    this.#tail = '';
    this.#omitted = 0;
    return result;
  }

  #trimTail(): void {
    const excess = this.#tail.length - this.limit;
    if (excess <= 0) return;
    this.#omitted += excess;
    this.#tail = this.#tail.slice(excess);
  }
}
