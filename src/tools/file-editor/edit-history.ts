import type { Disposable } from '../tool-scope.js';

/**
 * The undo history of the file editor, per file: the bytes each file had before each
 * edit (`null` when the edit created it). Lives in the conversation's `ToolScope`, so
 * each conversation has its own and it ends with the conversation.
 *
 * @example
 * ```ts
 * const history = ctx.scope.get('file_editor.history', () => new EditHistory());
 * ```
 */
export class EditHistory implements Disposable {
  readonly maxStepsPerFile: number;
  readonly #entries = new Map<string, (Buffer | null)[]>();

  constructor(maxStepsPerFile = 10) {
    this.maxStepsPerFile = maxStepsPerFile;
  }

  /** Records the content a file had before an edit (`null`: it did not exist). */
  push(file: string, previous: Buffer | null): void {
    const stack = this.#entries.get(file) ?? [];
    stack.push(previous);
    if (stack.length > this.maxStepsPerFile) stack.shift();
    this.#entries.set(file, stack);
  }

  /** Takes the content before the last edit; `undefined` when there is no history. */
  pop(file: string): Buffer | null | undefined {
    const stack = this.#entries.get(file);
    const previous = stack?.pop();
    if (stack?.length === 0) this.#entries.delete(file);
    return previous;
  }

  /** Whether a file has edits to undo. */
  has(file: string): boolean {
    return this.#entries.has(file);
  }

  dispose(): void {
    this.#entries.clear();
  }
}
