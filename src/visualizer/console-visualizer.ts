import pc from 'picocolors';
import type { Observable } from 'rxjs';
import type { ConversationEvent } from '../events/schema.js';

/** Options of the console visualizer. */
export interface ConsoleVisualizerOptions {
  /** Where lines go. Default: `process.stdout`. */
  write?: (line: string) => void;
  /** Colours on or off. Default: on for a TTY unless `NO_COLOR` is set. */
  colors?: boolean;
  /** Longest observation or message shown, in characters. Default 400. */
  maxLength?: number;
}

/**
 * Prints each event of a conversation as it happens, one readable line (or a few) per
 * event, coloured by source. The default visualizer of `Conversation`.
 *
 * @example
 * ```ts
 * const visualizer = new ConsoleVisualizer({ colors: false });
 * const detach = visualizer.attach(conversation.events$);
 * ```
 */
export class ConsoleVisualizer {
  readonly #write: (line: string) => void;
  readonly #c: ReturnType<typeof pc.createColors>;
  readonly #maxLength: number;
  #cost = 0;

  constructor(options: ConsoleVisualizerOptions = {}) {
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    const colors =
      options.colors ?? (Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env));
    this.#c = pc.createColors(colors);
    this.#maxLength = options.maxLength ?? 400;
  }

  /** Starts printing the events of `events$`; returns a function that stops. */
  attach(events$: Observable<ConversationEvent>): () => void {
    const subscription = events$.subscribe((event) => this.print(event));
    return () => subscription.unsubscribe();
  }

  /** Prints one event. */
  print(event: ConversationEvent): void {
    const line = this.format(event);
    if (line !== undefined) this.#write(line);
  }

  /** The text printed for one event (undefined for events not worth a line). */
  format(event: ConversationEvent): string | undefined {
    const c = this.#c;
    const head = c.dim(`#${event.seq}`);
    switch (event.kind) {
      case 'system_prompt':
        return `${head} ${c.dim(`system prompt (${event.tools.map((t) => t.name).join(', ')})`)}`;
      case 'message':
        if (event.role === 'user') {
          const mode =
            event.delivery && event.delivery !== 'steer' ? c.dim(` [${event.delivery}]`) : '';
          return `${head} ${c.bold(c.cyan('user'))}${mode}: ${this.#cut(event.content)}`;
        }
        this.#addCost(event.usage?.cost);
        return `${head} ${c.bold(c.green('agent'))}: ${this.#cut(event.content)}${this.#costSuffix()}`;
      case 'action':
        this.#addCost(event.usage?.cost);
        return [
          event.thought ? `${head} ${c.green('thought')}: ${this.#cut(event.thought)}` : undefined,
          `${head} ${c.bold(c.yellow(`→ ${event.toolName}`))} ${this.#cut(JSON.stringify(event.arguments))}${this.#costSuffix()}`,
        ]
          .filter(Boolean)
          .join('\n');
      case 'observation': {
        const label = event.isError
          ? c.red(`✗ ${event.toolName}`)
          : c.magenta(`← ${event.toolName}`);
        return `${head} ${label}: ${this.#cut(event.content)}`;
      }
      case 'message_delivered':
        return `${head} ${c.dim(`model read ${event.messageIds.length} message(s)`)}`;
      case 'message_retracted':
        return `${head} ${c.dim(`message ${event.messageId} retracted`)}`;
      case 'agent_error':
        return `${head} ${c.red(c.bold(`error [${event.code}]`))}: ${event.message}`;
      case 'user_reject':
        return `${head} ${c.red(`rejected ${event.toolName}`)}: ${event.reason}`;
      case 'pause':
        return `${head} ${c.blue(event.interrupt ? 'interrupted' : 'pause requested')}`;
      case 'state_update':
        return `${head} ${c.blue(`status: ${event.status}`)}`;
      case 'condensation':
        return `${head} ${c.dim(`context condensed (${event.forgottenEventIds.length} events summarised)`)}`;
    }
  }

  #addCost(cost: number | undefined): void {
    if (cost) this.#cost += cost;
  }

  #costSuffix(): string {
    return this.#cost > 0 ? this.#c.dim(` ($${this.#cost.toFixed(4)})`) : '';
  }

  #cut(text: string): string {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > this.#maxLength ? `${flat.slice(0, this.#maxLength - 1)}…` : flat;
  }
}
