import pc from 'picocolors';
import type { Conversation } from '../../conversation/conversation.js';
import type { ConversationEvent } from '../../events/schema.js';
import { ConsoleVisualizer } from '../../visualizer/console-visualizer.js';

/**
 * How a chat shows a conversation's events: the agent's steps as the console visualizer
 * prints them, and the user's messages as pending (when sent), read (when the model's
 * next request includes them) or retracted.
 */
export class ChatPrinter {
  readonly #print: (text: string) => void;
  readonly #c: ReturnType<typeof pc.createColors>;
  readonly #visualizer: ConsoleVisualizer;
  readonly #texts = new Map<string, string>();

  constructor(print: (text: string) => void, colors: boolean) {
    this.#print = print;
    this.#c = pc.createColors(colors);
    this.#visualizer = new ConsoleVisualizer({ colors, write: print });
  }

  /** Prints the events of a conversation as they are logged; returns a function that stops. */
  attach(conversation: Conversation): () => void {
    const subscription = conversation.events$.subscribe((event) => this.show(event));
    return () => subscription.unsubscribe();
  }

  /** Prints one event. */
  show(event: ConversationEvent): void {
    const c = this.#c;
    switch (event.kind) {
      case 'system_prompt':
        return;
      case 'message':
        if (event.role !== 'user') break;
        this.#texts.set(event.id, event.content);
        this.#print(
          `${c.dim('⋯ pending')}${event.delivery && event.delivery !== 'steer' ? c.dim(` [${event.delivery}]`) : ''}: ${event.content}`,
        );
        return;
      case 'message_delivered':
        for (const id of event.messageIds) {
          this.#print(`${c.green('✓ read')}: ${this.#texts.get(id) ?? id}`);
        }
        return;
      case 'message_retracted':
        this.#print(
          `${c.yellow('↶ retracted')}: ${this.#texts.get(event.messageId) ?? event.messageId}`,
        );
        return;
      default:
        break;
    }
    this.#visualizer.print(event);
  }
}
