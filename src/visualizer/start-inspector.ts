import type { AnyStateMachine } from 'xstate';
import { type ChartLayout, layoutChart } from './chart-layout.js';
import { ConversationSource, type InspectableConversation } from './conversation-source.js';
import { InspectorError } from './inspector-error.js';
import { type Inspector, type ServeInspectorOptions, serveInspector } from './inspector-server.js';
import type { InspectorSource } from './inspector-source.js';
import { FollowingLogSource } from './following-log-source.js';
import { LogSource } from './log-source.js';
import { RemoteSource } from './remote-source.js';
import type { EventStore } from '../persistence/event-store.js';
import { describeMachine } from './machine-chart.js';

/**
 * What the inspector shows: a live conversation in this process, a persisted log
 * (`events.jsonl`, or the conversation directory that holds it; followed as a writer
 * appends to it, unless `follow: false`), a conversation that runs
 * in another process (`{ store, conversationId }`, a store with an inbox such as
 * `PostgresEventStore`), or any other source.
 */
export type InspectorTarget =
  | { conversation: InspectableConversation }
  | { logPath: string; follow?: boolean }
  | { store: EventStore; conversationId: string }
  | { source: InspectorSource };

/** Options of `startInspector`. */
export type StartInspectorOptions = ServeInspectorOptions;

/**
 * Starts the inspector: a local web page (on 127.0.0.1 only, nothing from the internet)
 * with the conversation machine's state chart and the active state lit live, the event
 * timeline, the inbox, tokens and cost, controls to steer a live conversation, and for a
 * log a slider that replays it event by event. A log is followed while a process writes
 * it (new events appear as they are written); `{ logPath, follow: false }` reads it once.
 *
 * @example
 * ```ts
 * import { startInspector } from 'steerable/visualizer';
 * const inspector = await startInspector({ conversation });
 * console.log(`Inspector at ${inspector.url}`);
 * await conversation.run();
 * await inspector.close();
 *
 * // a conversation a worker runs in another process (steerable/postgres):
 * const remote = await startInspector({ store, conversationId: 'c1' });
 * ```
 *
 * @throws InspectorError for a bad target, a missing log, or a port in use;
 *   CorruptLogError for a log with a bad line.
 */
export async function startInspector(
  target: InspectorTarget,
  options: StartInspectorOptions = {},
): Promise<Inspector> {
  const source = await toSource(target);
  try {
    const layout = await machineLayout(source.machine);
    return await serveInspector(source, layout, options);
  } catch (error) {
    await source.close?.();
    throw error;
  }
}

async function toSource(target: InspectorTarget): Promise<InspectorSource> {
  if (typeof target !== 'object' || target === null) {
    throw new InspectorError('startInspector needs { conversation } or { logPath }');
  }
  if ('conversation' in target && target.conversation) {
    return new ConversationSource(target.conversation);
  }
  if ('logPath' in target) {
    if (typeof target.logPath !== 'string' || target.logPath === '') {
      throw new InspectorError('startInspector: logPath must be a non-empty string');
    }
    return target.follow === false
      ? LogSource.fromFile(target.logPath)
      : FollowingLogSource.open(target.logPath);
  }
  if ('store' in target && target.store) {
    return RemoteSource.attach(target.store, target.conversationId);
  }
  if ('source' in target && target.source) return target.source;
  throw new InspectorError('startInspector needs { conversation } or { logPath }');
}

const layouts = new WeakMap<AnyStateMachine, Promise<ChartLayout>>();

/** The laid-out chart of a machine, computed once per machine. */
export function machineLayout(machine: AnyStateMachine): Promise<ChartLayout> {
  let layout = layouts.get(machine);
  if (!layout) {
    layout = layoutChart(describeMachine(machine));
    layouts.set(machine, layout);
    layout.catch(() => layouts.delete(machine));
  }
  return layout;
}
