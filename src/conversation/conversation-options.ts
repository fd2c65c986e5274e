import type { Observable } from 'rxjs';
import type { Agent } from '../agent/agent.js';
import type { ConversationEvent, Delivery } from '../events/schema.js';
import type { EventStore } from '../persistence/event-store.js';
import type { ConfirmationPolicy } from '../confirmation/confirmation-policy.js';
import type { SecurityAnalyzer } from '../security/security-analyzer.js';
import type { StuckThresholds } from '../stuck/stuck-detector.js';

/** Turns the console visualizer on (`true`, the default) or off, or hands in your own. */
export type VisualizerOption =
  boolean | { attach(events$: Observable<ConversationEvent>): () => void };

/** Options of `new Conversation(...)`. */
export interface ConversationOptions {
  agent: Agent;
  /** The directory tools work in. Default: `process.cwd()`. */
  workspace?: string;
  /** Write the log to `<persistenceDir>/<conversationId>/events.jsonl` (and resume from it). */
  persistenceDir?: string;
  /** Where the log lives; overrides `persistenceDir`. Default: in memory. */
  store?: EventStore;
  /** The id; generated when absent. With a store holding this id, the conversation resumes. */
  conversationId?: string;
  /** Model requests one `run()` may make. Default 500. */
  maxIterationsPerRun?: number;
  /** Cost in USD one `run()` may spend before its next model request. Default: no limit. */
  maxCostPerRun?: number;
  /** The default delivery mode of `sendMessage`. Default `'steer'`. */
  steering?: Delivery;
  /** Named secrets: environment variables for tools, masked wherever they would be written. */
  secrets?: Record<string, string>;
  /** Called with every event as it is appended. */
  callbacks?: ReadonlyArray<(event: ConversationEvent) => void>;
  /** The console visualizer: on by default; `false` turns it off. */
  visualizer?: VisualizerOption;
  /**
   * Rates each action's `securityRisk` when the model proposes it (used by `ConfirmRisky`).
   * Default: a `RuleBasedSecurityAnalyzer` (the tool's own rating, then rules).
   */
  securityAnalyzer?: SecurityAnalyzer;
  /**
   * Which actions wait for approval. Default `NeverConfirm`. The policy is code, not data,
   * so it is not in the log: a resumed conversation gets it from here (or from
   * `setConfirmationPolicy`), as it gets its agent.
   */
  confirmationPolicy?: ConfirmationPolicy;
  /**
   * Stops a run that loops (status `stuck`). `true` (default) uses OpenHands' thresholds;
   * an object changes some of them; `false` turns detection off.
   */
  stuckDetection?: boolean | Partial<StuckThresholds>;
}

/** What `run()` resolves with. */
export interface RunResult {
  status: 'idle' | 'paused' | 'waiting_for_confirmation' | 'finished' | 'stuck';
  /** Model requests made by this run. */
  iterations: number;
}
