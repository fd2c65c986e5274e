import pc from 'picocolors';
import type { Observable } from 'rxjs';
import type { ConversationEvent, EventSource, UsageRecord } from '../events/schema.js';
import { formatArguments, formatCost, formatTokens, shorten } from './event-text.js';

/** Options of the console visualizer. */
export interface ConsoleVisualizerOptions {
  /** Where lines go. Default: `process.stdout`. */
  write?: (line: string) => void;
  /**
   * Colours on or off. Default: on when standard output is a terminal, unless `NO_COLOR`
   * is set (and not empty); `FORCE_COLOR` (other than `0`) turns them on anyway.
   */
  colors?: boolean;
  /** Longest message, argument list or observation line shown, in characters. Default 400. */
  maxLength?: number;
  /** Lines of an observation shown before `… (n more lines)`. Default 3. */
  observationLines?: number;
}

type Colors = ReturnType<typeof pc.createColors>;

const SOURCE_LABEL: Record<EventSource, string> = {
  user: 'user',
  agent: 'agent',
  environment: 'env',
};
/** Width of `  #12 agent  observation  `: the column where an event's text starts. */
const SEQ_WIDTH = 5;
const SOURCE_WIDTH = 6;
const LABEL_WIDTH = 12;
const INDENT = ' '.repeat(SEQ_WIDTH + 1 + SOURCE_WIDTH + 1 + LABEL_WIDTH + 1);

/**
 * Prints each event of a conversation as it happens, aligned in columns and coloured by
 * source (user cyan, agent green, environment magenta, errors red): the tool and its
 * arguments, the observation shortened to a few lines, and after each model response the
 * tokens and cost so far. The default visualizer of `Conversation`; `visualizer: false`
 * turns it off. Respects `NO_COLOR`, and prints no colours when output is not a terminal.
 *
 * ```text
 *    #1 user   message     Write hello.txt
 *    #4 agent  action      terminal(command="echo hi > hello.txt")  ↑1.2K ↓35 tokens · $0.0031
 *    #5 env    observation terminal: (no output)
 * ```
 *
 * @example
 * ```ts
 * const visualizer = new ConsoleVisualizer({ colors: false });
 * const detach = visualizer.attach(conversation.events$);
 * ```
 */
export class ConsoleVisualizer {
  readonly #write: (line: string) => void;
  readonly #c: Colors;
  readonly #maxLength: number;
  readonly #observationLines: number;
  readonly #userMessages = new Map<string, string>();
  readonly #totals = { cost: 0, promptTokens: 0, completionTokens: 0 };

  constructor(options: ConsoleVisualizerOptions = {}) {
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.#c = pc.createColors(options.colors ?? colorsByDefault());
    this.#maxLength = options.maxLength ?? 400;
    this.#observationLines = options.observationLines ?? 3;
  }

  /** Starts printing the events of `events$`; returns a function that stops. */
  attach(events$: Observable<ConversationEvent>): () => void {
    const subscription = events$.subscribe((event) => this.print(event));
    return () => subscription.unsubscribe();
  }

  /** Prints one event. */
  print(event: ConversationEvent): void {
    const text = this.format(event);
    if (text !== undefined) this.#write(text);
  }

  /** The text printed for one event (one line, or a few for thoughts and observations). */
  format(event: ConversationEvent): string | undefined {
    const c = this.#c;
    const line = (label: string, text: string, paint = (s: string) => s): string =>
      `${c.dim(`#${event.seq}`.padStart(SEQ_WIDTH))} ${this.#source(event.source)} ${paint(label.padEnd(LABEL_WIDTH))} ${text}`;
    const more = (label: string, text: string, paint = (s: string) => s): string =>
      `${' '.repeat(SEQ_WIDTH + 1 + SOURCE_WIDTH)} ${paint(label.padEnd(LABEL_WIDTH))} ${text}`;

    switch (event.kind) {
      case 'system_prompt':
        return line(
          'system',
          c.dim(`system prompt, tools: ${event.tools.map((t) => t.name).join(', ') || 'none'}`),
          c.dim,
        );
      case 'message': {
        if (event.role === 'user') {
          this.#userMessages.set(event.id, event.content);
          const mode =
            event.delivery && event.delivery !== 'steer' ? c.yellow(`[${event.delivery}] `) : '';
          return line('message', `${mode}${c.bold(this.#cut(event.content))}`, c.bold);
        }
        return line('message', `${this.#cut(event.content)}${this.#usage(event.usage)}`, c.bold);
      }
      case 'action': {
        const args = this.#cut(formatArguments(event.arguments, Math.min(120, this.#maxLength)));
        const thought = event.thought ? line('thought', c.italic(this.#cut(event.thought))) : '';
        const action = `${c.bold(c.yellow(event.toolName))}(${args})${this.#usage(event.usage)}`;
        return thought
          ? `${thought}\n${more('action', action, c.bold)}`
          : line('action', action, c.bold);
      }
      case 'observation': {
        const paint = event.isError ? (s: string) => c.red(c.bold(s)) : c.bold;
        const head = event.isError
          ? c.red(`${event.toolName} failed:`)
          : c.magenta(`${event.toolName}:`);
        const [first = '', ...rest] = this.#lines(event.content);
        return [
          line('observation', `${head} ${first}`, paint),
          ...rest.map((l) => `${INDENT}${l}`),
        ].join('\n');
      }
      case 'message_delivered': {
        const texts = event.messageIds.map((id) => this.#userMessages.get(id));
        const what = texts.every((t) => t !== undefined)
          ? texts.map((t) => `"${shorten(t, 60)}"`).join(', ')
          : `${event.messageIds.length} message${event.messageIds.length === 1 ? '' : 's'}`;
        return line('read', c.dim(`the model read ${what}`), c.dim);
      }
      case 'message_retracted': {
        const text = this.#userMessages.get(event.messageId);
        return line(
          'retracted',
          c.dim(text === undefined ? `message ${event.messageId}` : `"${shorten(text, 60)}"`),
          c.dim,
        );
      }
      case 'agent_error':
        return line('error', c.red(`[${event.code}] ${this.#cut(event.message)}`), (s) =>
          c.red(c.bold(s)),
        );
      case 'user_reject':
        return line('rejected', c.red(`${event.toolName}: ${this.#cut(event.reason)}`), (s) =>
          c.red(c.bold(s)),
        );
      case 'pause':
        return line(
          event.interrupt ? 'interrupt' : 'pause',
          c.blue(event.interrupt ? 'interrupted' : 'pause requested'),
          c.blue,
        );
      case 'state_update':
        return line(
          'status',
          c.blue(event.previous ? `${event.previous} → ${event.status}` : event.status),
          c.blue,
        );
      case 'condensation':
        return line(
          'condensed',
          c.dim(`${event.forgottenEventIds.length} events summarised: ${this.#cut(event.summary)}`),
          c.dim,
        );
    }
  }

  #source(source: EventSource): string {
    const label = SOURCE_LABEL[source].padEnd(SOURCE_WIDTH);
    if (source === 'user') return this.#c.cyan(label);
    if (source === 'agent') return this.#c.green(label);
    return this.#c.magenta(label);
  }

  /** `  ↑1.2K ↓80 tokens · $0.0123`: the conversation's totals after a model response. */
  #usage(usage: UsageRecord | undefined): string {
    if (!usage) return '';
    this.#totals.cost += usage.cost;
    this.#totals.promptTokens += usage.promptTokens;
    this.#totals.completionTokens += usage.completionTokens;
    const { promptTokens, completionTokens, cost } = this.#totals;
    if (promptTokens === 0 && completionTokens === 0 && cost === 0) return ''; // nothing known
    return this.#c.dim(
      `  ↑${formatTokens(promptTokens)} ↓${formatTokens(completionTokens)} tokens · ${formatCost(cost)}`,
    );
  }

  #cut(text: string): string {
    return shorten(text, this.#maxLength);
  }

  /** An observation's first lines, each cut, and a note of how many more there are. */
  #lines(content: string): string[] {
    const lines = content.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
    if (lines.length === 1 && lines[0] === '') return [this.#c.dim('(no output)')];
    const shown = lines
      .slice(0, this.#observationLines)
      .map((l) => (l.length > this.#maxLength ? `${l.slice(0, this.#maxLength - 1)}…` : l));
    const hidden = lines.length - shown.length;
    if (hidden > 0) shown.push(this.#c.dim(`… (${hidden} more line${hidden === 1 ? '' : 's'})`));
    return shown;
  }
}

/** Colours when standard output is a terminal; `NO_COLOR` turns them off, `FORCE_COLOR` on. */
function colorsByDefault(): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY) && env.TERM !== 'dumb';
}
