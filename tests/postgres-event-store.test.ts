import { postgresSuite } from './helpers/postgres-suite.js';
import { hostname } from 'node:os';
import pg from 'pg';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  Agent,
  AttachNotSupportedError,
  Conversation,
  ConversationClosedError,
  ConversationLockedError,
  InvalidConversationIdError,
  type ConversationEvent,
  MemoryEventStore,
  MessageNotPendingError,
  type MessageEvent,
  UnknownMessageError,
  defineTool,
} from '../src/index.js';
import {
  ConversationLeasedError,
  InvalidConnectionStringError,
  PostgresConnectionError,
  PostgresEventStore,
  PostgresPermissionError,
  SCHEMA_VERSION,
  SchemaVersionError,
} from '../src/postgres/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { gatedTool } from './helpers/conversation.js';
import { deferred } from './helpers/deferred.js';
import { until } from './helpers/remote.js';
import { freePort } from './helpers/embedded-postgres.js';

const db = postgresSuite();

function storeFor(url: string, options: { reconnectTimeoutMs?: number } = {}) {
  const store = new PostgresEventStore({ connectionString: url, ...options });
  db.onCleanup(() => store.close());
  return store;
}

function conversationOn(
  store: PostgresEventStore,
  conversationId: string,
  turns: string[] = ['done'],
) {
  const llm = new ScriptedLLM(turns);
  const conversation = new Conversation({
    agent: new Agent({ llm }),
    store,
    conversationId,
    visualizer: false,
  });
  db.onCleanup(() => conversation.close());
  return { conversation, llm };
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const userTexts = (events: readonly ConversationEvent[]) =>
  events
    .filter((e): e is MessageEvent => e.kind === 'message' && e.role === 'user')
    .map((m) => m.content);

describe('schema', () => {
  it('is created on first use and versioned; concurrent first uses agree', async () => {
    const url = await db.server.createDatabase();
    await Promise.all([storeFor(url).connect(), storeFor(url).connect()]);
    const versions = await sql<{ version: number }>(
      url,
      'SELECT version FROM steerable_migrations',
    );
    expect(versions).toEqual([{ version: SCHEMA_VERSION }]);
    const columns = await sql<{ column_name: string; data_type: string }>(
      url,
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = 'steerable_events' ORDER BY ordinal_position`,
    );
    expect(columns).toContainEqual({ column_name: 'payload', data_type: 'jsonb' });
    const key = await sql<{ column: string }>(
      url,
      `SELECT a.attname AS column FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = 'steerable_events'::regclass AND i.indisprimary ORDER BY a.attnum`,
    );
    expect(key.map((k) => k.column)).toEqual(['conversation_id', 'seq']);
  });

  it('a newer schema version is a SchemaVersionError, for the store and for a conversation on it', async () => {
    const url = await db.server.createDatabase();
    await storeFor(url).connect();
    await sql(url, 'INSERT INTO steerable_migrations (version) VALUES ($1)', [SCHEMA_VERSION + 7]);
    const store = storeFor(url);
    const error = await store.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect(error).toMatchObject({ found: SCHEMA_VERSION + 7, supported: SCHEMA_VERSION });
    const { conversation } = conversationOn(store, 'c');
    await expect(conversation.ready).rejects.toBeInstanceOf(SchemaVersionError);
    await expect(conversation.run()).rejects.toBeInstanceOf(SchemaVersionError);
  });
});

describe('the log in PostgreSQL', () => {
  it('one jsonb row per event keyed by (conversation_id, seq); another store resumes it', async () => {
    const url = await db.server.createDatabase();
    const first = storeFor(url);
    const { conversation } = conversationOn(first, 'c1', ['first answer']);
    conversation.sendMessage('hello');
    expect(await conversation.run()).toMatchObject({ status: 'finished' });
    await conversation.close();
    const rows = await sql<{ seq: string; kind: string; type: string }>(
      url,
      `SELECT seq, kind, jsonb_typeof(payload) AS type FROM steerable_events
       WHERE conversation_id = 'c1' ORDER BY seq`,
    );
    expect(rows.map((r) => r.kind)).toEqual(conversation.events.map((e) => e.kind));
    expect(rows.every((r) => r.type === 'object')).toBe(true);

    const second = storeFor(url);
    expect(await second.read('c1')).toEqual(conversation.events);
    expect(await second.read('c1', 3)).toEqual(conversation.events.slice(3));
    const { conversation: resumed, llm } = conversationOn(second, 'c1', ['second answer']);
    await resumed.ready;
    expect(resumed.events).toEqual(conversation.events);
    resumed.sendMessage('again');
    expect(await resumed.run()).toMatchObject({ status: 'finished' });
    expect(llm.requests[0]!.messages.map((m) => m.content)).toContain('first answer');
    await resumed.close();
    const all = await second.read('c1');
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i));
    expect(userTexts(all)).toEqual(['hello', 'again']);
  });

  it('fork() copies the log into a new conversation of the same store', async () => {
    const url = await db.server.createDatabase();
    const store = storeFor(url);
    const { conversation } = conversationOn(store, 'source', ['one', 'two']);
    conversation.sendMessage('a');
    await conversation.run();
    const atSeq = conversation.events.find(
      (e) => e.kind === 'message' && e.role === 'assistant',
    )!.seq;
    const fork = await conversation.fork({ atSeq });
    db.onCleanup(() => fork.close());
    expect(fork.id).not.toBe('source');
    expect(fork.events.slice(0, atSeq + 1).map((e) => e.kind)).toEqual(
      conversation.events.slice(0, atSeq + 1).map((e) => e.kind),
    );
    fork.sendMessage('b');
    expect(await fork.run()).toMatchObject({ status: 'finished' });
    await fork.close();
    expect(await store.read(fork.id)).toEqual(fork.events);
    expect((await store.read('source')).length).toBe(conversation.events.length);
  });

  it('subscribe from a seq delivers what is stored, then each new event once, in order', async () => {
    const url = await db.server.createDatabase();
    const store = storeFor(url);
    const { conversation } = conversationOn(store, 'c2', ['one', 'two']);
    conversation.sendMessage('a');
    await conversation.run();
    const watcher = storeFor(url);
    const seen: ConversationEvent[] = [];
    let target = conversation.events.length - 1;
    let reached = deferred();
    const stop = watcher.subscribe(
      'c2',
      (event) => {
        seen.push(event);
        if (event.seq === target) reached.resolve();
      },
      0,
    );
    db.onCleanup(async () => stop());
    await reached.promise;
    reached = deferred();
    conversation.sendMessage('b');
    await conversation.run();
    target = conversation.events.length - 1;
    if (seen.at(-1)!.seq >= target) reached.resolve();
    await reached.promise;
    expect(seen).toEqual(conversation.events);
  });

  it('an event holding a NUL character is stored and read back unchanged', async () => {
    const url = await db.server.createDatabase();
    const store = storeFor(url);
    const binary = defineTool({
      name: 'binary',
      description: 'Prints bytes',
      parameters: z.object({}),
      execute: () => 'before\u0000after',
    });
    const llm = new ScriptedLLM([ScriptedLLM.call('binary'), 'done']);
    const conversation = new Conversation({
      agent: new Agent({ llm, tools: [binary] }),
      store,
      conversationId: 'nul',
      visualizer: false,
    });
    db.onCleanup(() => conversation.close());
    conversation.sendMessage('go');
    await conversation.run();
    await conversation.close();
    const stored = await store.read('nul');
    expect(stored).toEqual(conversation.events);
    expect(stored.find((e) => e.kind === 'observation')).toMatchObject({
      content: 'before\u0000after',
    });
  });
});

describe('one runner at a time', () => {
  it('a second runner in the same process gets ConversationLeasedError naming the conversation; after close() it opens', async () => {
    const url = await db.server.createDatabase();
    const store = storeFor(url);
    const { conversation: first } = conversationOn(store, 'leased');
    await first.ready;
    const { conversation: second } = conversationOn(storeFor(url), 'leased');
    const error = await second.ready.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConversationLeasedError);
    expect(error).toBeInstanceOf(ConversationLockedError); // as the file and memory stores
    expect((error as Error).message).toContain('leased');
    expect(error).toMatchObject({
      conversationId: 'leased',
      owner: { pid: process.pid, hostname: hostname() },
    });
    await expect(second.run()).rejects.toBeInstanceOf(ConversationLeasedError);
    const { conversation: again } = conversationOn(store, 'leased');
    await expect(again.ready).rejects.toBeInstanceOf(ConversationLeasedError);

    expect(await store.isRunning('leased')).toBe(true);
    await first.close();
    expect(await store.isRunning('leased')).toBe(false);
    const { conversation: third } = conversationOn(storeFor(url), 'leased');
    await third.ready;
    expect(third.events.length).toBeGreaterThan(0);
  });
});

describe('Conversation.attach with no runner alive', () => {
  it('messages wait in the store, once each; the next runner has them when ready and reads them in order', async () => {
    const url = await db.server.createDatabase();
    const store = storeFor(url);
    const remote = await Conversation.attach({ store, conversationId: 'later' });
    db.onCleanup(() => remote.close());
    const a = await remote.sendMessage('first', { id: 'a' });
    await remote.sendMessage('first again', { id: 'a' });
    const b = await remote.sendMessage('second', { delivery: 'queue' });
    const c = await remote.sendMessage('third');
    await remote.pause(); // nothing runs: resolves at once
    expect(remote.pendingMessages).toEqual([]);
    const retracting = remote.retractMessage(c.id);

    const { conversation, llm } = conversationOn(storeFor(url), 'later', ['done']);
    await conversation.ready;
    expect(conversation.pendingMessages.map((m) => m.content)).toEqual(['first', 'second']);
    expect(conversation.status).toBe('idle');
    await retracting;
    expect(await c.outcome).toEqual({ status: 'retracted' });
    expect(await conversation.run()).toMatchObject({ status: 'finished' });
    expect(llm.requests).toHaveLength(1);
    expect(
      llm.requests[0]!.messages.filter((m) => m.role === 'user').map((m) => m.content),
    ).toEqual(['first', 'second']);
    const delivered = conversation.events.find((e) => e.kind === 'message_delivered')!;
    expect(await a.outcome).toEqual({ status: 'delivered', seq: delivered.seq });
    expect(await b.outcome).toEqual({ status: 'delivered', seq: delivered.seq });
    expect(conversation.events.some((e) => e.kind === 'pause')).toBe(false);
    expect((await a.event).timestamp <= (await b.event).timestamp).toBe(true);
  });

  it('retracting a message already read rejects with MessageNotPendingError; an unknown id with UnknownMessageError', async () => {
    const url = await db.server.createDatabase();
    const store = storeFor(url);
    const { conversation } = conversationOn(store, 'r');
    conversation.sendMessage('hi', { id: 'read' });
    await conversation.run();
    const remote = await Conversation.attach({ store: storeFor(url), conversationId: 'r' });
    db.onCleanup(() => remote.close());
    await expect(remote.retractMessage('read')).rejects.toBeInstanceOf(MessageNotPendingError);
    await expect(remote.retractMessage('nope')).rejects.toBeInstanceOf(UnknownMessageError);
    const resent = await remote.sendMessage('hi again', { id: 'read' });
    expect(await resent.outcome).toMatchObject({ status: 'delivered' });
    expect((await resent.event).content).toBe('hi');
  });

  it('after close(): sends throw ConversationClosedError and unknown outcomes are discarded', async () => {
    const url = await db.server.createDatabase();
    const store = storeFor(url);
    const remote = await Conversation.attach({ store, conversationId: 'closing' });
    const handle = await remote.sendMessage('waits');
    await remote.close();
    expect(await handle.outcome).toEqual({
      status: 'discarded',
      reason: 'the attached handle was closed',
    });
    await expect(remote.sendMessage('too late')).rejects.toBeInstanceOf(ConversationClosedError);
    // The message itself is still in the store for the next runner.
    const { conversation } = conversationOn(store, 'closing');
    await conversation.ready;
    expect(conversation.pendingMessages.map((m) => m.content)).toEqual(['waits']);
  });

  it('a remote pause() still waiting for the runner rejects with ConversationClosedError when the handle closes', async () => {
    const url = await db.server.createDatabase();
    const slow = gatedTool();
    const conversation = new Conversation({
      agent: new Agent({
        llm: new ScriptedLLM([ScriptedLLM.call('slow'), 'done']),
        tools: [slow.tool],
      }),
      store: storeFor(url),
      conversationId: 'p',
      visualizer: false,
    });
    db.onCleanup(() => conversation.close());
    conversation.sendMessage('go');
    const run = conversation.run();
    await slow.started();
    const remote = await Conversation.attach({ store: storeFor(url), conversationId: 'p' });
    const pausing = remote.pause();
    // The runner took the request: it pauses once its tool call returns.
    await until(remote, (events) => events.some((e) => e.kind === 'pause'));
    await remote.close();
    await expect(pausing).rejects.toBeInstanceOf(ConversationClosedError);
    slow.release();
    expect(await run).toMatchObject({ status: 'paused' });
  });

  it('a store without an inbox cannot be attached to', async () => {
    await expect(
      Conversation.attach({ store: new MemoryEventStore(), conversationId: 'x' }),
    ).rejects.toBeInstanceOf(AttachNotSupportedError);
  });
});

describe('operations', () => {
  it('takes DATABASE_URL when no connection string is given; none at all is an InvalidConnectionStringError', async () => {
    const url = await db.server.createDatabase();
    const saved = process.env.DATABASE_URL;
    try {
      process.env.DATABASE_URL = url;
      const store = new PostgresEventStore();
      db.onCleanup(() => store.close());
      await store.connect();
      delete process.env.DATABASE_URL;
      expect(() => new PostgresEventStore()).toThrow(InvalidConnectionStringError);
      expect(() => new PostgresEventStore()).toThrow(/DATABASE_URL/);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  it('a wrong URL is an InvalidConnectionStringError', () => {
    expect(() => new PostgresEventStore({ connectionString: 'not a url' })).toThrow(
      InvalidConnectionStringError,
    );
    expect(() => new PostgresEventStore({ connectionString: 'mysql://u@h/db' })).toThrow(
      /postgres:\/\//,
    );
    expect(() => new PostgresEventStore({ connectionString: 'postgres://h:99999/db' })).toThrow(
      InvalidConnectionStringError,
    );
  });

  it('a refused connection, a wrong password and a missing database are PostgresConnectionErrors without the password', async () => {
    const port = await freePort();
    const refused = storeFor(`postgres://postgres:secret@127.0.0.1:${port}/postgres`);
    const error = await refused.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresConnectionError);
    expect(error).toMatchObject({ reason: 'refused' });
    expect((error as Error).message).not.toContain('secret');
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);

    const wrong = storeFor(db.server.url.replace(/:[^:@/]+@/, ':wrong-password@'));
    await expect(wrong.connect()).rejects.toMatchObject({
      name: 'PostgresConnectionError',
      reason: 'authentication',
    });
    const missing = storeFor(db.server.url.replace(/\/postgres$/, '/no_such_database'));
    await expect(missing.read('c')).rejects.toMatchObject({ reason: 'database_missing' });
  });

  it('a role that may not create the tables gets a PostgresPermissionError', async () => {
    const url = await db.server.createDatabase();
    await sql(url, `CREATE ROLE limited LOGIN PASSWORD 'limited'`).catch(() => undefined);
    const limited = url.replace(/\/\/[^@]+@/, '//limited:limited@');
    const store = storeFor(limited);
    const error = await store.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostgresPermissionError);
    expect((error as Error).message).toMatch(/CREATE/);
  });

  it('a conversation id it cannot use is an InvalidConversationIdError', async () => {
    const store = storeFor(await db.server.createDatabase());
    await expect(store.read('x'.repeat(129))).rejects.toBeInstanceOf(InvalidConversationIdError);
    await expect(store.read('../etc')).rejects.toBeInstanceOf(InvalidConversationIdError);
    expect(() => store.subscribe('', () => undefined)).toThrow(InvalidConversationIdError);
  });
});
