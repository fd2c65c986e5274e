import { newId } from '../persistence/new-id.js';
import { BehaviorSubject, type Observable, Subject } from 'rxjs';
import {
  type Actor,
  type InspectionEvent,
  type SnapshotFrom,
  type Subscription,
  createActor,
} from 'xstate';
import type { Agent } from '../agent/agent.js';
import { executeTool } from '../actors/execute-tool.js';
import {
  type ConfirmationPolicy,
  isConfirmationPolicy,
  NeverConfirm,
} from '../confirmation/confirmation-policy.js';
import { ConversationClosedError } from '../errors/conversation-closed-error.js';
import { ConversationNotReadyError } from '../errors/conversation-not-ready-error.js';
import { ConversationRunError } from '../errors/conversation-run-error.js';
import { InvalidForkPointError } from '../errors/invalid-fork-point-error.js';
import { InvalidOptionError } from '../errors/invalid-option-error.js';
import { MessageNotPendingError, UnknownMessageError } from '../errors/message-errors.js';
import type { ConversationProjection } from '../events/projection.js';
import {
  type ConversationEvent,
  type ConversationStatus,
  Delivery,
  type EventDraft,
  type MessageEvent,
} from '../events/schema.js';
import type { CondensationResult, ContextView } from '../condenser/condenser.js';
import { CondensationError } from '../errors/condensation-error.js';
import type { LLMDelta, LLMToolCall } from '../llm/types.js';
import { type ConversationMachine, conversationMachine } from '../machines/conversation-machine.js';
import type { ConversationPorts, RunLimitHit, UserMessageInput } from '../machines/ports.js';
import { parseArguments } from '../machines/record.js';
import { type RateContext, inertRisk, rateLater, rateNow } from '../security/rate-action.js';
import { RuleBasedSecurityAnalyzer } from '../security/rule-based-analyzer.js';
import type { ProposedAction, SecurityAnalyzer } from '../security/security-analyzer.js';
import {
  type StuckThresholds,
  detectStuck,
  resolveStuckThresholds,
} from '../stuck/stuck-detector.js';
import { FINISH_TOOL_NAME } from '../tools/finish-tool.js';
import { EventLog } from '../persistence/event-log.js';
import type { EventLogHandle, EventStore, RunnerRequest } from '../persistence/event-store.js';
import { FileEventStore } from '../persistence/file-event-store.js';
import { MemoryEventStore } from '../persistence/memory-event-store.js';
import { type ReadLogOptions, readLogFile } from '../persistence/read-log.js';
import { knownApiKeys } from '../secrets/known-api-keys.js';
import { redactEvent } from '../secrets/redact-event.js';
import { Secrets } from '../secrets/secrets.js';
import { ToolScope } from '../tools/tool-scope.js';
import { ConsoleVisualizer } from '../visualizer/console-visualizer.js';
import type { ConversationOptions, RunResult } from './conversation-options.js';
import { Inbox } from './inbox.js';
import { type MessageHandle, type MessageOutcome, OutcomeTracker } from './message-handle.js';
import { forkEvents } from './fork-events.js';
import { type ConversationReplayStep, replaySteps } from './replay-steps.js';
import { restoreSnapshot } from './restore.js';
import { type QueuedMessage, queuedMessageHandle } from './queued-message.js';
import { type AttachOptions, attachConversation } from './attach.js';
import type { RemoteConversation } from './remote-conversation.js';

type Snapshot = SnapshotFrom<ConversationMachine>;

/** Options of `fork`. */
export interface ForkOptions {
  /** The last event copied into the fork. Default: the last event of the log. */
  atSeq?: number;
}

/** Options of `sendMessage`. */
export interface SendMessageOptions {
  /** How the message reaches the model; default: the conversation's `steering`. */
  delivery?: Delivery;
  /** A message id of your own; sending the same id again is the same message. */
  id?: string;
}

interface Waiter {
  /** The machine event that starts the wait. */
  eventType: 'run' | 'pause' | 'interrupt';
  accepted: boolean;
  settle: (snapshot: Snapshot) => void;
  fail: (error: unknown) => void;
}

const DEFAULT_MAX_ITERATIONS = 500;

/**
 * A conversation: an agent, its event log and the XState actor that runs it. Send it
 * messages at any time, from anywhere, in any state; `run()` works through them.
 *
 * @example
 * ```ts
 * const conversation = new Conversation({ agent, workspace: process.cwd() });
 * conversation.sendMessage('Write hello.txt');
 * const done = conversation.run();
 * conversation.sendMessage('Also add a second line'); // read before the agent finishes
 * await done;
 * ```
 */
export class Conversation {
  /** The conversation id. */
  readonly id: string;
  readonly agent: Agent;
  /** The directory tools work in. */
  readonly workspace: string;
  /**
   * Settles once the log is open: at once for local stores; for a networked store, once
   * the events are read and the lease is held. Rejects with the store's error (for
   * example `ConversationLeasedError`); `run()` then rejects with it too.
   */
  readonly ready: Promise<void>;
  /**
   * Named secrets: environment variables for tools, masked as `<secret:NAME>` in every
   * event before it is stored, emitted or printed. `secrets.set(name, value)` adds one.
   */
  readonly secrets: Secrets;

  readonly #log: EventLog;
  readonly #inbox = new Inbox();
  readonly #scope = new ToolScope();
  readonly #outcomes = new OutcomeTracker();
  readonly #status$: BehaviorSubject<ConversationStatus>;
  readonly #deltas$ = new Subject<LLMDelta>();
  readonly #steering: Delivery;
  readonly #maxIterations: number;
  readonly #maxCost: number | undefined;
  readonly #options: ConversationOptions;
  readonly #store: EventStore;
  readonly #detach: Array<() => void> = [];
  readonly #stuckThresholds: StuckThresholds | undefined;
  #policy: ConfirmationPolicy = NeverConfirm;
  #analyzer: SecurityAnalyzer = new RuleBasedSecurityAnalyzer();
  #waiters: Waiter[] = [];
  /** Watches the machine's events while a waiter's command has not been handled yet. */
  #inspection: Subscription | undefined;
  #run: Promise<RunResult> | undefined;
  #closing: Promise<void> | undefined;
  #actor: Actor<ConversationMachine> | undefined;
  /** Messages sent before an asynchronously opened log was ready, in call order. */
  #queued: QueuedMessage[] | undefined;
  #storeFailed = false;

  /**
   * A handle on a conversation that runs in another process (stores with an inbox, such
   * as `PostgresEventStore`): send messages, pause, interrupt, watch; it never runs the
   * agent. See DESIGN.md section 6.
   *
   * @example
   * ```ts
   * const remote = await Conversation.attach({ store, conversationId: 'c1' });
   * const { outcome } = await remote.sendMessage('also do X');
   * console.log(await outcome); // { status: 'delivered', seq: 42 }
   * ```
   */
  static attach(options: AttachOptions): Promise<RemoteConversation> {
    return attachConversation(options);
  }

  constructor(options: ConversationOptions) {
    if (!options?.agent) throw new TypeError('Conversation needs an `agent`');
    this.agent = options.agent;
    this.id = options.conversationId ?? newId();
    this.workspace = options.workspace ?? process.cwd();
    this.#steering = Delivery.parse(options.steering ?? 'steer');
    this.#maxIterations = positiveInteger(
      options.maxIterationsPerRun ?? DEFAULT_MAX_ITERATIONS,
      'maxIterationsPerRun',
    );
    this.#maxCost = options.maxCostPerRun;
    if (this.#maxCost !== undefined && !(this.#maxCost >= 0)) {
      throw new TypeError(`maxCostPerRun must be a number >= 0, got ${String(this.#maxCost)}`);
    }
    this.secrets = new Secrets(options.secrets ?? {});
    for (const [name, value] of knownApiKeys(this.agent.llm)) this.secrets.maskOnly(name, value);
    this.#options = options;
    if (options.securityAnalyzer !== undefined) this.setSecurityAnalyzer(options.securityAnalyzer);
    if (options.confirmationPolicy !== undefined) {
      if (!isConfirmationPolicy(options.confirmationPolicy)) {
        throw new InvalidOptionError(
          'confirmationPolicy',
          'confirmationPolicy: expected AlwaysConfirm, NeverConfirm, ConfirmRisky or an object with needsConfirmation(action)',
        );
      }
      this.#policy = options.confirmationPolicy;
    }
    const stuck = options.stuckDetection ?? true;
    this.#stuckThresholds =
      stuck === false ? undefined : resolveStuckThresholds(stuck === true ? {} : stuck);

    this.#store =
      options.store ??
      (options.persistenceDir !== undefined
        ? new FileEventStore(options.persistenceDir)
        : new MemoryEventStore());
    const opened = this.#store.open(this.id, { metadata: this.#metadata() });
    const redact = (event: ConversationEvent) => redactEvent(event, this.secrets);
    if (isPromiseLike(opened)) {
      // A networked store: the rest waits for the log (see `ready`).
      this.#log = new EventLog(undefined, redact);
      this.#status$ = new BehaviorSubject(this.#log.projection.status);
      this.#detach.push(this.#watchLog(options));
      this.#queued = [];
      this.ready = Promise.resolve(opened).then(
        (handle) => this.#startOrClose(handle),
        (error: unknown) => this.#failOpen(error),
      );
      this.ready.catch(() => undefined);
      return;
    }
    try {
      this.#log = new EventLog(opened, redact);
      this.#status$ = new BehaviorSubject(this.#log.projection.status);
      this.#detach.push(this.#watchLog(options));
      this.#start(opened);
    } catch (error) {
      for (const detach of this.#detach) detach();
      void opened.close().catch(() => undefined);
      throw error;
    }
    this.ready = Promise.resolve();
  }

  /** The rest of the construction, once the log is open. */
  #start(handle: EventLogHandle): void {
    if (this.#queued) this.#log.load(handle);
    for (const message of this.#log.projection.pendingMessages()) this.#inbox.push(message);
    if (this.#log.length === 0) {
      this.#log.append({
        kind: 'system_prompt',
        source: 'agent',
        content: this.agent.systemPrompt,
        tools: [...this.agent.toolSpecs],
      });
    }

    const ports = this.#ports();
    const snapshot = restoreSnapshot(conversationMachine, ports);
    const actor = createActor(conversationMachine, {
      input: { ports },
      ...(snapshot ? { snapshot } : {}),
    });
    this.#actor = actor;
    actor.subscribe({
      next: (snapshot) => this.#settleWaiters(snapshot),
      error: (error) => this.#failWaiters(error),
    });
    actor.start();
    if (this.#status$.value !== this.status) this.#status$.next(this.status);
    const queued = this.#queued;
    this.#queued = undefined;
    for (const message of queued ?? []) message.accept(this.#send(message.input));
    if (handle.listen) this.#detach.push(handle.listen((request) => this.#onRequest(request)));
    handle.onFailure?.((error) => this.#failStore(error));
  }

  /** `#start` for a log opened asynchronously; on failure the log is given up and `ready` rejects. */
  #startOrClose(handle: EventLogHandle): void {
    try {
      this.#start(handle);
    } catch (error) {
      this.#actor?.stop();
      this.#actor = undefined;
      for (const detach of this.#detach) detach();
      void handle.close().catch(() => undefined);
      this.#failOpen(error);
    }
  }

  /** The underlying XState actor (for inspection and tests). */
  get actor(): Actor<ConversationMachine> {
    if (!this.#actor) throw new ConversationNotReadyError(this.id, 'use the actor');
    return this.#actor;
  }

  /**
   * The state after each event of a log on disk (`events.jsonl` or its directory): the
   * event, the machine state and status it implies, and copies of the model's context,
   * pending messages, metrics and tool data. Reads only; takes no lock. A torn last line
   * is skipped with a warning.
   *
   * @example
   * ```ts
   * const steps = await Conversation.replay('./conversations/c1/events.jsonl');
   * for (const step of steps) console.log(step.seq, step.event.kind, step.state);
   * ```
   * @throws CorruptLogError, ConversationMismatchError, UnsupportedLogVersionError for a bad log.
   */
  static async replay(
    logPath: string,
    options: ReadLogOptions = {},
  ): Promise<ConversationReplayStep[]> {
    const { events } = await readLogFile(logPath, options);
    return replaySteps(events);
  }

  /** The event log so far, oldest first. */
  get events(): readonly ConversationEvent[] {
    return this.#log.events;
  }

  /** Events as they are appended. */
  get events$(): Observable<ConversationEvent> {
    return this.#log.events$.asObservable();
  }

  /** The current status. */
  get status(): ConversationStatus {
    return this.#log.projection.status;
  }

  /** The status, now and as it changes. */
  get status$(): Observable<ConversationStatus> {
    return this.#status$.asObservable();
  }

  /** Streamed pieces of the model's answers (only from models that stream). Not logged. */
  get deltas$(): Observable<LLMDelta> {
    return this.#deltas$.asObservable();
  }

  /** User messages the model has not read yet, oldest first. */
  get pendingMessages(): readonly MessageEvent[] {
    return this.#inbox.pending;
  }

  /** Everything derived from the log: the model's context, metrics, message states. */
  get state(): ConversationProjection {
    return this.#log.projection;
  }

  /** The confirmation policy in force. */
  get confirmationPolicy(): ConfirmationPolicy {
    return this.#policy;
  }

  /**
   * Appends a user message. Accepted in every state, at any time; the `message` event
   * is in the log when this returns. See DESIGN.md section 3 for when the model reads it.
   *
   * @throws ConversationClosedError after `close()`.
   */
  sendMessage(text: string, options: SendMessageOptions = {}): MessageHandle {
    this.#assertOpen('send a message');
    if (typeof text !== 'string') throw new TypeError('sendMessage: text must be a string');
    const delivery = Delivery.parse(options.delivery ?? this.#steering);
    if (options.id !== undefined && (typeof options.id !== 'string' || options.id === '')) {
      throw new TypeError('sendMessage: id must be a non-empty string');
    }
    const message = { id: options.id ?? newId(), content: text, delivery };
    if (this.#queued) return this.#queue(message);
    return this.#send(message);
  }

  /** Logs a user message, puts it in the inbox and tells the machine (once per id). */
  #send(message: UserMessageInput & { id: string }): MessageHandle {
    const known = this.#log.projection.userMessages.get(message.id);
    if (known) return { id: known.id, event: known, outcome: this.#outcomeOf(known.id) };
    const event = this.#acceptMessage(message);
    this.actor.send({ type: 'user.message', message });
    return { id: event.id, event, outcome: this.#outcomes.get(event.id) };
  }

  /** Before the log is ready: keeps the message (with its send time) for `#start`. */
  #queue(input: UserMessageInput & { id: string }): MessageHandle {
    const queued = this.#queued!;
    const known = queued.find((m) => m.input.id === input.id);
    if (known) return known.handle;
    const message = queuedMessageHandle(
      this.id,
      { ...input, timestamp: new Date().toISOString() },
      this.#outcomes.get(input.id),
    );
    queued.push(message);
    return message.handle;
  }

  /** Carries out a request another process stored for this conversation's runner. */
  #onRequest(request: RunnerRequest): void | Promise<void> {
    if (this.#closing) return;
    switch (request.kind) {
      case 'message':
        this.#send({
          id: request.id,
          content: request.content,
          delivery: request.delivery ?? this.#steering,
          timestamp: request.timestamp,
        });
        return;
      case 'retract':
        // Already read or retracted: the sender learns it from the log.
        if (this.#log.projection.messageStates.get(request.messageId)?.status === 'pending') {
          this.retractMessage(request.messageId);
        }
        return;
      case 'pause':
        return this.pause().catch(() => undefined);
      case 'interrupt':
        return this.interrupt().catch(() => undefined);
    }
  }

  /** The log could not be opened: queued messages are discarded, `ready` rejects. */
  #failOpen(error: unknown): never {
    const reason = `the log could not be opened: ${error instanceof Error ? error.message : String(error)}`;
    for (const message of this.#queued ?? []) {
      this.#outcomes.settle(message.input.id, { status: 'discarded', reason });
    }
    throw error;
  }

  /** The store is lost for good: log why, fail the run and close. */
  #failStore(error: Error): void {
    if (this.#closing) return;
    this.#storeFailed = true;
    this.#log.append({
      kind: 'agent_error',
      source: 'environment',
      code: 'store_unavailable',
      message: `The event store failed and the conversation stopped: ${error.message}`,
    });
    this.#log.append({
      kind: 'state_update',
      source: 'environment',
      status: 'error',
      previous: this.status,
    });
    this.#failWaiters(new ConversationRunError(this.id, error));
    void this.close();
  }

  /**
   * Withdraws a message the model has not read yet (logs `message_retracted`).
   *
   * @throws UnknownMessageError for an id never sent; MessageNotPendingError when it was read or retracted.
   */
  retractMessage(id: string): void {
    this.#assertOpen('retract a message');
    this.#assertReady('retract a message');
    const state = this.#log.projection.messageStates.get(id);
    if (!state) throw new UnknownMessageError(id);
    if (state.status !== 'pending') throw new MessageNotPendingError(id, state.status);
    this.#inbox.remove(id);
    this.#log.append({ kind: 'message_retracted', source: 'user', messageId: id });
  }

  /**
   * Processes until the run stops (finished, paused, waiting for confirmation, stuck,
   * or a limit); resolves with `{ status, iterations }`. Resumes after a pause, approves
   * pending actions. A second call while running returns the same promise.
   *
   * @throws ConversationRunError when the status becomes `error`.
   */
  run(): Promise<RunResult> {
    if (this.#closing) return Promise.reject(new ConversationClosedError(this.id, 'run'));
    this.#run ??= this.#wait('run', (snapshot) => {
      const status = this.status;
      if (status === 'error') {
        throw new ConversationRunError(this.id, snapshot.context.lastError ?? 'unknown error');
      }
      return {
        status: status === 'running' ? 'idle' : status,
        iterations: snapshot.context.iterations,
      };
    }).finally(() => {
      this.#run = undefined;
    });
    return this.#run;
  }

  /**
   * Pauses: resolves once the machine is in `paused`. An LLM request in flight is
   * aborted; a running tool call finishes first and its observation is logged. Nothing
   * starts after this resolves.
   */
  async pause(): Promise<void> {
    this.#assertOpen('pause');
    await this.#wait('pause', () => undefined);
  }

  /**
   * Pauses at once: aborts the LLM request and the running tool call (its action gets an
   * error observation saying it was interrupted). Does nothing when no run is in progress.
   */
  async interrupt(): Promise<void> {
    this.#assertOpen('interrupt');
    await this.#wait('interrupt', () => undefined);
  }

  /**
   * A new conversation (new `id`, status `idle`) whose log is a copy of this one's up to
   * `atSeq` (default: all of it), in the same store, with the same agent and options.
   * Actions still without a result at the fork point get an error observation in the
   * fork; messages not yet read stay pending there. This conversation is not changed
   * (it may be running, or already closed).
   *
   * @example
   * ```ts
   * const alternative = await conversation.fork({ atSeq: 12 });
   * alternative.sendMessage('Try the other approach instead');
   * await alternative.run();
   * ```
   * @throws InvalidForkPointError when `atSeq` is not the `seq` of an event of the log.
   */
  async fork(options: ForkOptions = {}): Promise<Conversation> {
    const lastSeq = this.#log.length - 1;
    const atSeq = options.atSeq ?? lastSeq;
    if (!Number.isInteger(atSeq) || atSeq < 0 || atSeq > lastSeq) {
      throw new InvalidForkPointError(this.id, options.atSeq, lastSeq);
    }
    const id = newId();
    const handle = await this.#store.open(id, {
      metadata: { ...this.#metadata(), forkedFrom: { conversationId: this.id, atSeq } },
      initialEvents: forkEvents(this.#log.events.slice(0, atSeq + 1)),
    });
    await handle.close();
    const forked = new Conversation({
      ...this.#options,
      store: this.#store,
      conversationId: id,
      secrets: this.secrets.env(),
    });
    await forked.ready;
    return forked;
  }

  /** The security analyzer that rates each proposed action's `securityRisk`. */
  get securityAnalyzer(): SecurityAnalyzer {
    return this.#analyzer;
  }

  /**
   * Replaces the security analyzer; actions proposed from now on are rated by it (a
   * `RuleBasedSecurityAnalyzer` until then). `ConfirmRisky` asks for approval by its ratings.
   *
   * @example
   * ```ts
   * conversation.setSecurityAnalyzer(new LLMSecurityAnalyzer({ llm: cheapLlm }));
   * conversation.setConfirmationPolicy(new ConfirmRisky({ threshold: 'medium' }));
   * ```
   */
  setSecurityAnalyzer(analyzer: SecurityAnalyzer): void {
    if (typeof analyzer?.analyze !== 'function') {
      throw new TypeError(
        'setSecurityAnalyzer: expected an object with analyze(action, context), e.g. a RuleBasedSecurityAnalyzer',
      );
    }
    this.#analyzer = analyzer;
  }

  /** Sets which actions wait for approval. */
  setConfirmationPolicy(policy: ConfirmationPolicy): void {
    if (!isConfirmationPolicy(policy)) {
      throw new TypeError(
        'setConfirmationPolicy: expected AlwaysConfirm, NeverConfirm or ConfirmRisky',
      );
    }
    this.#policy = policy;
  }

  /** Rejects the actions waiting for approval; the model sees `reason`. Does nothing when none wait. */
  rejectPendingActions(reason = 'The user rejected this action.'): void {
    this.#assertOpen('reject actions');
    this.#assertReady('reject actions');
    this.actor.send({ type: 'reject', reason });
  }

  /**
   * Stops the actor (aborting a request or tool call in flight), ends tool processes,
   * settles pending messages as `discarded` and flushes the log. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#actor
      ? this.#close()
      : this.ready.catch(() => undefined).then(() => this.#close());
    return this.#closing;
  }

  async #close(): Promise<void> {
    const snapshot = this.#actor?.getSnapshot();
    this.#actor?.stop();
    if (snapshot?.matches('acting')) {
      const { batch, batchIndex } = snapshot.context;
      for (const action of batch.slice(batchIndex)) {
        this.#log.append({
          kind: 'observation',
          source: 'environment',
          toolName: action.toolName,
          toolCallId: action.toolCallId,
          actionId: action.id,
          content: 'Interrupted: the conversation was closed before this tool call finished.',
          isError: true,
        });
      }
    }
    this.#failWaiters(new ConversationClosedError(this.id, 'finish the run'));
    for (const message of this.#inbox.close()) {
      this.#outcomes.settle(message.id, { status: 'discarded', reason: 'conversation closed' });
    }
    try {
      await this.#scope.dispose();
    } finally {
      for (const detach of this.#detach) detach();
      this.#deltas$.complete();
      try {
        await this.#log.close().catch((error: unknown) => {
          // A lost store was already reported (agent_error, run() rejected).
          if (!this.#storeFailed) throw error;
        });
      } finally {
        this.#status$.complete();
      }
    }
  }

  /** The outcome promise of a message, settled at once when the log already says it. */
  #outcomeOf(id: string): Promise<MessageOutcome> {
    const state = this.#log.projection.messageStates.get(id);
    if (state?.status === 'delivered')
      this.#outcomes.settle(id, { status: 'delivered', seq: state.seq });
    if (state?.status === 'retracted') this.#outcomes.settle(id, { status: 'retracted' });
    return this.#outcomes.get(id);
  }

  #assertOpen(operation: string): void {
    if (this.#closing) throw new ConversationClosedError(this.id, operation);
  }

  #assertReady(operation: string): void {
    if (!this.#actor) throw new ConversationNotReadyError(this.id, operation);
  }

  /** Sends a command to the machine and resolves once it was handled and nothing runs. */
  #wait<T>(eventType: Waiter['eventType'], result: (snapshot: Snapshot) => T): Promise<T> {
    if (!this.#actor) {
      return this.ready.then(() => {
        if (this.#closing) throw new ConversationClosedError(this.id, eventType);
        return this.#wait(eventType, result);
      });
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        eventType,
        accepted: false,
        settle: (snapshot) => {
          try {
            resolve(result(snapshot));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
        fail: reject,
      };
      this.#waiters.push(waiter);
      this.#inspection ??= this.actor.system.inspect((event) => this.#inspect(event));
      this.actor.send({ type: eventType });
    });
  }

  /**
   * Marks the waiters whose command the machine just handled, and settles them when it
   * is not busy. Inspection (which makes XState describe every action and microstep) is
   * on only until every waiter's command was handled; `#settleWaiters` does the rest.
   */
  #inspect(event: InspectionEvent): void {
    if (event.type !== '@xstate.snapshot' || event.actorRef !== this.actor) return;
    for (const waiter of this.#waiters) {
      if (event.event.type === waiter.eventType) waiter.accepted = true;
    }
    this.#settleWaiters(event.snapshot as Snapshot);
    if (this.#waiters.every((waiter) => waiter.accepted)) this.#stopInspecting();
  }

  /** Settles the waiters whose command was handled, once nothing runs. */
  #settleWaiters(snapshot: Snapshot): void {
    if (this.#waiters.length === 0) return;
    if (snapshot.matches('thinking') || snapshot.matches('acting')) return;
    const remaining: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.accepted) waiter.settle(snapshot);
      else remaining.push(waiter);
    }
    this.#waiters = remaining;
  }

  #stopInspecting(): void {
    this.#inspection?.unsubscribe();
    this.#inspection = undefined;
  }

  #failWaiters(error: unknown): void {
    this.#stopInspecting();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.fail(error);
  }

  #watchLog(options: ConversationOptions): () => void {
    const callbacks = options.callbacks ?? [];
    const subscription = this.#log.events$.subscribe((event) => {
      this.#outcomes.settleFrom(event);
      if (event.kind === 'state_update') this.#status$.next(event.status);
      for (const callback of callbacks) {
        try {
          callback(event);
        } catch (error) {
          // A broken callback must not break the conversation (or crash the process later).
          process.emitWarning(
            `A conversation callback threw on event #${event.seq} (${event.kind}): ${String(error)}`,
            'SteerableCallbackWarning',
          );
        }
      }
    });
    const visualizer = options.visualizer ?? true;
    const detachVisualizer =
      visualizer === false
        ? undefined
        : (visualizer === true ? new ConsoleVisualizer() : visualizer).attach(this.#log.events$);
    return () => {
      subscription.unsubscribe();
      detachVisualizer?.();
    };
  }

  #acceptMessage(input: UserMessageInput): MessageEvent {
    const known =
      input.id === undefined ? undefined : this.#log.projection.userMessages.get(input.id);
    if (known) return known;
    const event = this.#log.append({
      kind: 'message',
      source: 'user',
      role: 'user',
      content: input.content,
      delivery: input.delivery ?? this.#steering,
      ...(input.id !== undefined ? { id: input.id } : {}),
      ...(input.timestamp !== undefined ? { timestamp: input.timestamp } : {}),
    }) as MessageEvent;
    this.#inbox.push(event);
    return event;
  }

  #ports(): ConversationPorts {
    const log = this.#log;
    return {
      conversationId: this.id,
      agent: this.agent,
      state: log.projection,
      inbox: this.#inbox,
      append: (draft: EventDraft) => log.append(draft),
      acceptMessage: (input) => this.#acceptMessage(input),
      buildRequest: () => ({
        messages: log.projection.messages.slice(),
        tools: this.agent.toolSpecs,
      }),
      complete: (request, signal) =>
        this.agent.llm.complete(request, {
          signal,
          onDelta: (delta) => this.#deltas$.next(delta),
        }),
      executeTool: (action, signal) =>
        executeTool(action, this.agent.tools, {
          signal,
          workspace: this.workspace,
          conversationId: this.id,
          scope: this.#scope,
          events: log.events,
          secrets: this.secrets.env(),
        }),
      needsConfirmation: (actions) =>
        actions.some((a) => a.toolName !== FINISH_TOOL_NAME && this.#policy.needsConfirmation(a)),
      runLimit: (run) => this.#runLimit(run),
      detectStuck: () =>
        this.#stuckThresholds ? detectStuck(log.events, this.#stuckThresholds) : undefined,
      rateAction: (call, thought) =>
        rateNow(this.#analyzer, proposedAction(call, thought), this.#rateContext()),
      assessesAsync: (calls) =>
        this.#analyzer.async === true &&
        calls.some((call) => inertRisk(proposedAction(call), this.agent.tools) === undefined),
      assessRisk: (calls, signal, thought) =>
        Promise.all(
          calls.map((call, i) =>
            rateLater(
              this.#analyzer,
              proposedAction(call, i === 0 ? thought : undefined),
              this.#rateContext(signal),
            ),
          ),
        ),
      shouldCondense: () => {
        try {
          return this.agent.condenser?.shouldCondense(this.#contextView(false)) ?? false;
        } catch {
          return false;
        }
      },
      canCondense: () => this.agent.condenser !== undefined,
      condense: (force, signal) => this.#condense(force, signal),
    };
  }

  /** What a new log records about this conversation: settings, never keys or secret values. */
  #metadata(): Record<string, unknown> {
    return this.secrets.maskDeep({
      agent: {
        model: this.agent.llm.model,
        tools: [...this.agent.tools.keys()],
        ...llmSettings(this.agent.llm),
      },
      settings: {
        workspace: this.workspace,
        steering: this.#steering,
        maxIterationsPerRun: this.#maxIterations,
        ...(this.#maxCost !== undefined ? { maxCostPerRun: this.#maxCost } : {}),
      },
      secretNames: this.secrets.names,
    });
  }

  #rateContext(signal?: AbortSignal): RateContext {
    return { workspace: this.workspace, tools: this.agent.tools, ...(signal ? { signal } : {}) };
  }

  /** The model's context for a condenser: live arrays for a quick check, or a copy. */
  #contextView(copy: boolean): ContextView {
    const { messages, messageSources } = this.#log.projection;
    return copy
      ? { messages: messages.slice(), eventIds: messageSources.slice() }
      : { messages, eventIds: messageSources };
  }

  async #condense(force: boolean, signal: AbortSignal): Promise<CondensationResult | undefined> {
    const condenser = this.agent.condenser;
    if (!condenser) return undefined;
    const result = await condenser.condense(this.#contextView(true), { force, signal });
    if (result === undefined) return undefined;
    const valid =
      typeof result?.summary === 'string' &&
      Array.isArray(result.forgottenEventIds) &&
      result.forgottenEventIds.every((id) => typeof id === 'string');
    if (!valid) {
      throw new CondensationError(
        'The condenser returned an invalid result: expected { summary: string, forgottenEventIds: string[] }',
      );
    }
    return result;
  }

  #runLimit(run: { iterations: number; costAtStart: number }): RunLimitHit | undefined {
    if (run.iterations >= this.#maxIterations) {
      return {
        code: 'max_iterations',
        message: `The run reached maxIterationsPerRun (${this.#maxIterations} model requests) and paused. Call run() to continue.`,
      };
    }
    const spent = this.#log.projection.metrics.cost - run.costAtStart;
    if (this.#maxCost !== undefined && spent >= this.#maxCost) {
      return {
        code: 'budget_exceeded',
        message: `The run spent $${spent.toFixed(4)}, reaching maxCostPerRun ($${this.#maxCost}), and paused. Call run() to continue.`,
      };
    }
    return undefined;
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

/** The model's settings without its key, when it can describe them (`LLM.describe()`). */
function llmSettings(llm: object): { llm?: unknown } {
  const describe = (llm as { describe?: unknown }).describe;
  return typeof describe === 'function' ? { llm: describe.call(llm) as unknown } : {};
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function proposedAction(call: LLMToolCall, thought?: string): ProposedAction {
  return {
    toolName: call.name,
    toolCallId: call.id,
    arguments: parseArguments(call.arguments),
    rawArguments: call.arguments,
    ...(thought ? { thought } : {}),
  };
}
