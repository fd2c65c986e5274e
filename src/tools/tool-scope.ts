/** Something that holds resources (a process, a file handle) and can let them go. */
export interface Disposable {
  dispose(): void | Promise<void>;
}

/**
 * Per-conversation resources of tools: a tool keeps its long-lived state here (the
 * terminal's shell session, say) and the conversation disposes of all of it on `close()`.
 *
 * @example
 * ```ts
 * const session = ctx.scope.get('terminal', () => new ShellSession(ctx.workspace));
 * ```
 */
export class ToolScope {
  readonly #resources = new Map<string, Disposable>();
  #closed = false;

  /** The resource under `key`, created by `create` on first use. */
  get<T extends Disposable>(key: string, create: () => T): T {
    if (this.#closed) throw new Error(`Tool scope is closed: cannot create "${key}"`);
    let resource = this.#resources.get(key);
    if (!resource) {
      resource = create();
      this.#resources.set(key, resource);
    }
    return resource as T;
  }

  /** The resource under `key` if it exists. */
  peek<T extends Disposable>(key: string): T | undefined {
    return this.#resources.get(key) as T | undefined;
  }

  /** Disposes of one resource (the next `get` creates a new one). */
  async delete(key: string): Promise<void> {
    const resource = this.#resources.get(key);
    this.#resources.delete(key);
    await resource?.dispose();
  }

  /** Disposes of every resource; later `get` calls throw. */
  async dispose(): Promise<void> {
    this.#closed = true;
    const resources = [...this.#resources.values()];
    this.#resources.clear();
    const results = await Promise.allSettled(resources.map((r) => r.dispose()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
