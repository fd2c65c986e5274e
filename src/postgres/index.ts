export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.js';
export { PostgresLogHandle } from './postgres-log-handle.js';
export {
  PostgresStoreError,
  InvalidConnectionStringError,
  PostgresConnectionError,
  PostgresPermissionError,
  SchemaVersionError,
  ConversationLeasedError,
  LeaseLostError,
  StoreUnavailableError,
  LogConflictError,
  type ConnectionFailure,
} from './errors.js';
export { SCHEMA_VERSION, MIGRATIONS } from './schema.js';
