import type { UsageRecord } from '../events/schema.js';
import type { ChatMessage } from '../llm/types.js';

/** The model's context as a condenser sees it. */
export interface ContextView {
  /** The messages the model would get next, oldest first. */
  readonly messages: readonly ChatMessage[];
  /** For each message, the id of the log event it came from (a summary: its `condensation` event). */
  readonly eventIds: readonly string[];
}

/** What a condensation replaces: the events whose messages leave the context, and the summary that stands for them. */
export interface CondensationResult {
  summary: string;
  /** Ids from `ContextView.eventIds`. The events stay in the log. */
  forgottenEventIds: string[];
  /** Tokens and cost of the summarising call, counted in the conversation's metrics and budget. */
  usage?: UsageRecord;
}

/** Options of one `condense` call. */
export interface CondenseOptions {
  /** Condense even below the size limit: the provider said the context is too long. */
  force?: boolean;
  /** Aborts the summarising call (pause, interrupt, close). */
  signal?: AbortSignal;
}

/**
 * Keeps the model's context small on long runs. Before each model request the
 * conversation asks `shouldCondense`; when it says yes (or the provider rejected the
 * context as too long) it calls `condense` in the `thinking.condensing` state and logs
 * the result as a `condensation` event: the projection then shows the model the summary
 * in place of the forgotten messages. The log itself keeps every event.
 *
 * Give it to the agent: `new Agent({ llm, tools, condenser })`.
 */
export interface Condenser {
  /** Whether the context is past the size at which this condenser acts. Called before every request: keep it cheap. */
  shouldCondense(view: ContextView): boolean;
  /** The condensation to apply, or `undefined` when nothing can be condensed. */
  condense(view: ContextView, options?: CondenseOptions): Promise<CondensationResult | undefined>;
}
