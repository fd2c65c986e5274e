import { InvalidOptionError } from '../errors/invalid-option-error.js';

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Named secret values of a conversation (API keys, tokens). Tools get them as
 * environment variables (`ToolContext.secrets`, which the terminal passes to its
 * commands), and every occurrence of a value is replaced by `<secret:NAME>` in each event
 * before it is stored, emitted, printed or shown to the model.
 *
 * Some values are masked without being handed to tools: the LLM's API key, for one.
 * A bad name or an empty value throws `InvalidOptionError` (option `secrets`).
 *
 * @example
 * ```ts
 * const conversation = new Conversation({ agent, secrets: { GITHUB_TOKEN: process.env.GITHUB_TOKEN! } });
 * conversation.secrets.set('NPM_TOKEN', token); // from now on
 * conversation.secrets.mask(`token ${token}`); // 'token <secret:NPM_TOKEN>'
 * ```
 */
export class Secrets {
  readonly #env = new Map<string, string>();
  readonly #maskOnly = new Map<string, string>();
  #pattern: RegExp | undefined;
  #nameOf = new Map<string, string>();
  #snapshot: Readonly<Record<string, string>> | undefined;

  constructor(initial: Readonly<Record<string, string>> = {}) {
    if (typeof initial !== 'object' || initial === null) {
      throw new InvalidOptionError('secrets', 'secrets must be an object of { NAME: value }');
    }
    for (const [name, value] of Object.entries(initial)) this.set(name, value);
  }

  /** Adds or replaces a secret; it is masked in every event appended from now on. */
  set(name: string, value: string): this {
    check(name, value);
    this.#env.set(name, value);
    this.#changed();
    return this;
  }

  /** Masks `value` as `<secret:NAME>` without handing it to tools (for keys the agent holds itself). */
  maskOnly(name: string, value: string): this {
    check(name, value);
    this.#maskOnly.set(name, value);
    this.#changed();
    return this;
  }

  /** Removes a secret (events already logged keep their masks). */
  delete(name: string): boolean {
    const deleted = this.#env.delete(name);
    if (deleted) this.#changed();
    return deleted;
  }

  /** Whether a secret of that name is set. */
  has(name: string): boolean {
    return this.#env.has(name);
  }

  /** The names of the secrets tools receive. */
  get names(): string[] {
    return [...this.#env.keys()];
  }

  /** Whether nothing at all is masked. */
  get isEmpty(): boolean {
    return this.#pattern === undefined;
  }

  /** The secrets as environment variables for tools (a frozen copy; mask-only values excluded). */
  env(): Readonly<Record<string, string>> {
    this.#snapshot ??= Object.freeze(Object.fromEntries(this.#env));
    return this.#snapshot;
  }

  /** `text` with every occurrence of every secret value replaced by `<secret:NAME>`. */
  mask(text: string): string {
    if (!this.#pattern || text === '') return text;
    return text.replace(this.#pattern, (value) => `<secret:${this.#nameOf.get(value)}>`);
  }

  /** A copy of a JSON-like value with every string (and object key) masked. */
  maskDeep<T>(value: T): T {
    if (!this.#pattern) return value;
    return this.#deep(value) as T;
  }

  /** Copy on write: a value with nothing to mask comes back as the same object. */
  #deep(value: unknown): unknown {
    if (typeof value === 'string') return this.mask(value);
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const masked = this.#deep(item);
        if (masked !== item) (out ??= value.slice())[i] = masked;
      }
      return out ?? value;
    }
    if (value !== null && typeof value === 'object' && isPlain(value)) {
      const entries = Object.entries(value);
      let changed = false;
      const masked = entries.map(([key, item]): [string, unknown] => {
        const k = this.mask(key);
        const v = this.#deep(item);
        if (k !== key || v !== item) changed = true;
        return [k, v];
      });
      return changed ? Object.fromEntries(masked) : value;
    }
    return value;
  }

  #changed(): void {
    this.#snapshot = undefined;
    const nameOf = new Map<string, string>();
    for (const [name, value] of [...this.#env, ...this.#maskOnly]) {
      if (!nameOf.has(value)) nameOf.set(value, name);
    }
    this.#nameOf = nameOf;
    // Longest first, so a secret that contains another is masked whole.
    const values = [...nameOf.keys()].sort((a, b) => b.length - a.length);
    this.#pattern =
      values.length === 0 ? undefined : new RegExp(values.map(escapeRegExp).join('|'), 'g');
  }
}

function check(name: string, value: string): void {
  if (typeof name !== 'string' || !SECRET_NAME.test(name)) {
    throw new InvalidOptionError(
      'secrets',
      `Invalid secret name ${JSON.stringify(name)}: use letters, digits and "_" (an environment variable name)`,
    );
  }
  if (typeof value !== 'string' || value === '') {
    throw new InvalidOptionError('secrets', `Secret ${name} must be a non-empty string`);
  }
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
