/** Events: the zod schemas of the log, the projection of a log, replay. */
export * from './schema.js';
export { snapshotProjection, type ProjectionSnapshot } from './projection-snapshot.js';
export {
  ConversationProjection,
  type ConversationMetrics,
  type DerivedState,
  type MessageState,
} from './projection.js';
export { replayEvents, type ReplayStep } from './replay.js';
export { SUMMARY_PREFIX } from './projection.js';
