import { afterAll, afterEach, beforeAll } from 'vitest';
import { Conversation, type RemoteConversation } from '../../src/index.js';
import { PostgresEventStore } from '../../src/postgres/index.js';
import { type TestPostgres, startPostgres } from './embedded-postgres.js';
import { Children } from './json-child.js';
import type { RunnerConfig } from './pg-runner.js';

/** What `postgresSuite()` gives a test file. */
export interface PostgresSuite {
  /** The file's throwaway PostgreSQL server (started before its first test). */
  readonly server: TestPostgres;
  /** Child processes of the test; all killed after it. */
  readonly children: Children;
  /** Runs each step after the current test (the last registered runs first). */
  onCleanup(...steps: Array<() => Promise<void> | void>): void;
  /** A fresh database, and a store on it that is closed after the test. */
  fresh(): Promise<{ url: string; store: PostgresEventStore }>;
  /** `Conversation.attach`, closed after the test. */
  attach(store: PostgresEventStore, conversationId: string): Promise<RemoteConversation>;
  /** A runner process (`tests/helpers/pg-runner.ts`). */
  runner(config: RunnerConfig): ReturnType<Children['start']>;
}

/**
 * Registers the hooks of a PostgreSQL test file: one server for the file (removed after
 * it), and after each test its child processes killed and what it opened closed, newest
 * first (a handle before its store).
 */
export function postgresSuite(): PostgresSuite {
  let server: TestPostgres | undefined;
  const children = new Children();
  let cleanup: Array<() => Promise<void> | void> = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterEach(async () => {
    await children.killAll();
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });
  afterAll(async () => {
    await server?.remove();
  });
  const suite: PostgresSuite = {
    get server() {
      if (!server) throw new Error('postgresSuite: the server starts in beforeAll');
      return server;
    },
    children,
    onCleanup: (...steps) => void cleanup.push(...steps),
    async fresh() {
      const url = await suite.server.createDatabase();
      const store = new PostgresEventStore({ connectionString: url });
      cleanup.push(() => store.close());
      return { url, store };
    },
    async attach(store, conversationId) {
      const remote = await Conversation.attach({ store, conversationId });
      cleanup.push(() => remote.close());
      return remote;
    },
    runner: (config) => children.start('pg-runner.ts', config),
  };
  return suite;
}
