/** Event stores (memory, file), the event log and the log format. */
export type {
  EventStore,
  EventLogHandle,
  OpenLogOptions,
  RemoteInbox,
  RequestResult,
  RunnerRequest,
} from './event-store.js';
export { MemoryEventStore } from './memory-event-store.js';
export { EventLog } from './event-log.js';
export {
  parseEventLines,
  serializeEvent,
  skipMarkerLine,
  type ParsedLog,
  type ParseOptions,
  type SkippedLine,
} from './jsonl.js';
export { EventLineParser } from './event-line-parser.js';
export { FileEventStore, type FileEventStoreOptions } from './file-event-store.js';
export { consoleLogger, type PersistenceLogger } from './logger.js';
export {
  conversationPaths,
  EVENTS_FILE,
  METADATA_FILE,
  LOCK_FILE,
  type ConversationPaths,
} from './log-layout.js';
export { LOG_FORMAT_VERSION, type LogMetadata } from './metadata.js';
export { readLogFile, type LogFile, type ReadLogOptions } from './read-log.js';
