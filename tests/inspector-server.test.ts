import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Conversation, CorruptLogError, serializeEvent } from '../src/index.js';
import { ScriptedLLM, type ScriptedTurn } from '../src/testing/index.js';
import {
  type Inspector,
  type InspectorSnapshot,
  type InspectorUpdate,
  type ChartLayout,
  InspectorError,
  startInspector,
} from '../src/visualizer/index.js';
import { deferred } from './helpers/deferred.js';
import { inState, nextEvent, scripted } from './helpers/conversation.js';
import { openStream } from './helpers/sse.js';

let conversations: Conversation[] = [];
let inspectors: Inspector[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(inspectors.map((i) => i.close()));
  await Promise.all(conversations.map((c) => c.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  conversations = [];
  inspectors = [];
  dirs = [];
});

async function live(turns: ScriptedTurn[] = ['hello']) {
  const { conversation, llm } = scripted(turns);
  conversations.push(conversation);
  const inspector = await startInspector({ conversation });
  inspectors.push(inspector);
  return { conversation, llm, inspector };
}

async function post(
  inspector: Inspector,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { error?: string } & Record<string, unknown> }> {
  const response = await fetch(new URL(path, inspector.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** Resolves with the socket error code of a connection attempt (or 'connected'). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

async function logDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'inspector-log-'));
  dirs.push(dir);
  return dir;
}

describe('the server', () => {
  it('listens on 127.0.0.1 only, on a free port by default', async () => {
    const { inspector } = await live();
    const url = new URL(inspector.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBe(inspector.port);
    expect(inspector.port).toBeGreaterThan(0);
    expect(await tryConnect('127.0.0.1', inspector.port)).toBe('connected');
    // Another loopback address and IPv6 loopback reach nothing: not bound to 0.0.0.0 or ::.
    expect(await tryConnect('127.0.0.2', inspector.port)).toBe('ECONNREFUSED');
    expect(await tryConnect('::1', inspector.port)).toMatch(
      /ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH|EAFNOSUPPORT/,
    );
  });

  it('serves the page, its script and style, and the laid-out chart', async () => {
    const { inspector } = await live();
    const page = await fetch(inspector.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/inspector.js">');
    expect(html).not.toMatch(/https?:\/\//);
    expect((await fetch(new URL('/inspector.js', inspector.url))).status).toBe(200);
    expect((await fetch(new URL('/inspector.css', inspector.url))).status).toBe(200);

    const chart = (await (await fetch(new URL('/api/chart', inspector.url))).json()) as ChartLayout;
    const top = chart.states.filter((s) => s.parent === 'conversation').map((s) => s.key);
    expect(top).toEqual(['idle', 'thinking', 'acting', 'paused']);
    const thinking = chart.states.find((s) => s.id === 'conversation.thinking')!;
    const gate = chart.states.find((s) => s.id === 'conversation.thinking.gate')!;
    // A nested state lies inside its parent.
    expect(gate.x).toBeGreaterThan(thinking.x);
    expect(gate.y).toBeGreaterThan(thinking.y);
    expect(gate.x + gate.width).toBeLessThan(thinking.x + thinking.width);
    expect(gate.y + gate.height).toBeLessThan(thinking.y + thinking.height);
    const run = chart.transitions.find(
      (t) => t.source === 'conversation.idle' && t.target === 'conversation.thinking',
    )!;
    expect(run.lines).toEqual(['run [hasWork]']);
    expect(run.points.length).toBeGreaterThanOrEqual(2);

    expect((await fetch(new URL('/nothing', inspector.url))).status).toBe(404);
  });

  it('answers 403 to a request for another host name (DNS rebinding)', async () => {
    const { inspector } = await live();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: inspector.port,
          path: '/api/snapshot',
          headers: { Host: 'evil.example:80' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('rejects a port in use with an InspectorError', async () => {
    const { inspector, conversation } = await live();
    await expect(startInspector({ conversation }, { port: inspector.port })).rejects.toThrow(
      InspectorError,
    );
    await expect(startInspector({ conversation }, { port: inspector.port })).rejects.toThrow(
      /port is in use/,
    );
    await expect(startInspector({ conversation }, { port: -1 })).rejects.toThrow(/port/);
  });

  it('close() ends every open stream, stops listening, and is idempotent', async () => {
    const { inspector } = await live();
    const a = await openStream(new URL('/api/stream', inspector.url).href);
    const b = await openStream(new URL('/api/stream', inspector.url).href);
    await a.waitFor((e) => e.event === 'snapshot');
    await b.waitFor((e) => e.event === 'snapshot');
    expect(inspector.streams).toBe(2);
    await Promise.all([inspector.close(), inspector.close()]);
    await a.ended;
    await b.ended;
    expect(inspector.streams).toBe(0);
    expect(await tryConnect('127.0.0.1', inspector.port)).toBe('ECONNREFUSED');
  });
});

describe('the event stream', () => {
  it('starts with a snapshot, then sends each change as an update', async () => {
    const { conversation, inspector } = await live(['hi there']);
    const stream = await openStream(new URL('/api/stream', inspector.url).href);
    expect(stream.response.headers['content-type']).toMatch(/text\/event-stream/);
    const first = JSON.parse(
      (await stream.waitFor((e) => e.event === 'snapshot')).data,
    ) as InspectorSnapshot;
    expect(first.mode).toBe('live');
    expect(first.controls).toBe(true);
    expect(first.summary.active).toEqual(['conversation.idle', 'conversation.idle.ready']);
    expect(first.timeline.map((t) => t.event.kind)).toEqual(['system_prompt']);

    const { id } = conversation.sendMessage('hello', { delivery: 'queue' });
    const update = JSON.parse(
      (await stream.waitFor((e) => e.event === 'update' && e.data.includes(id))).data,
    ) as InspectorUpdate;
    expect(update.timeline.map((t) => t.event.kind)).toEqual(['message']);
    expect(update.summary.pending).toEqual([id]);
    expect(update.messages).toEqual([{ id, content: 'hello', delivery: 'queue', seq: 1 }]);

    await conversation.run();
    const finished = JSON.parse(
      (
        await stream.waitFor(
          (e) =>
            e.event === 'update' &&
            (JSON.parse(e.data) as InspectorUpdate).summary.status === 'finished',
        )
      ).data,
    ) as InspectorUpdate;
    expect(finished.summary.active).toEqual(['conversation.idle', 'conversation.idle.finished']);
    expect(finished.summary.pending).toEqual([]);
    const delivered = conversation.events.find((e) => e.kind === 'message_delivered')!;
    const read = stream.events
      .filter((e) => e.event === 'update')
      .map((e) => JSON.parse(e.data) as InspectorUpdate)
      .find((u) => u.timeline.some((t) => t.event.seq === delivered.seq))!;
    expect(read.messages).toEqual([
      { id, content: 'hello', delivery: 'queue', seq: 1, readSeq: delivered.seq },
    ]);
    // Every event reached the stream exactly once, in order.
    const seqs = stream.events
      .filter((e) => e.event === 'update')
      .flatMap((e) => (JSON.parse(e.data) as InspectorUpdate).timeline.map((t) => t.event.seq));
    expect(seqs).toEqual(conversation.events.slice(1).map((e) => e.seq));
  });

  it('survives a client that disconnects mid-stream; the others keep getting updates', async () => {
    const gate = deferred();
    const { conversation, inspector } = await live([{ content: 'done', delay: gate.promise }]);
    const leaving = await openStream(new URL('/api/stream', inspector.url).href);
    const staying = await openStream(new URL('/api/stream', inspector.url).href);
    await leaving.waitFor((e) => e.event === 'snapshot');
    conversation.sendMessage('one');
    await leaving.waitFor((e) => e.event === 'update');
    // Drop the connection while big updates are being written to it.
    leaving.destroy();
    const big = 'x'.repeat(50_000);
    for (let i = 0; i < 20; i++) conversation.sendMessage(`${i} ${big}`);
    const done = conversation.run();
    await inState(conversation, 'thinking');
    gate.resolve();
    await done;
    // The page that stayed sees the end (as updates, or a snapshot once it caught up).
    await staying.waitFor(
      (e) =>
        e.event !== 'message' &&
        (JSON.parse(e.data) as InspectorUpdate).summary.status === 'finished',
    );
    // A new page still gets the whole story.
    const later = await openStream(new URL('/api/stream', inspector.url).href);
    const snapshot = JSON.parse(
      (await later.waitFor((e) => e.event === 'snapshot')).data,
    ) as InspectorSnapshot;
    expect(snapshot.timeline).toHaveLength(conversation.events.length);
    await inspector.close();
    await staying.ended;
    await later.ended;
    expect(inspector.streams).toBe(0);
  });
});

describe('a page that does not keep up', () => {
  it('gets no updates while its backlog is full, then one snapshot with everything', async () => {
    const { conversation } = scripted([]);
    conversations.push(conversation);
    const inspector = await startInspector({ conversation }, { maxBacklogBytes: 100_000 });
    inspectors.push(inspector);
    const slow = await openStream(new URL('/api/stream', inspector.url).href);
    await slow.waitFor((e) => e.event === 'snapshot');
    slow.response.pause();
    // 100 updates of 200 KB each: far more than the socket buffers hold.
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 100; i++) {
      conversation.sendMessage(`${i} ${big}`);
      await new Promise((resolve) => setImmediate(resolve)); // one update per message
    }
    slow.response.resume();
    const caughtUp = await slow.waitFor(
      (e) =>
        e.event === 'snapshot' &&
        (JSON.parse(e.data) as InspectorSnapshot).timeline.length === conversation.events.length,
    );
    expect(caughtUp).toBeDefined();
    const updates = slow.events.filter((e) => e.event === 'update').length;
    expect(updates).toBeLessThan(100);
    expect(slow.events.filter((e) => e.event === 'snapshot')).toHaveLength(2);
  });
});

describe('the controls', () => {
  it('send: appends the message with its delivery mode', async () => {
    const { conversation, inspector } = await live();
    const reply = await post(inspector, '/api/send', { text: 'from the page', delivery: 'queue' });
    expect(reply.status).toBe(200);
    const event = conversation.events.find((e) => e.kind === 'message' && e.role === 'user')!;
    expect(reply.body).toEqual({ id: event.id, seq: event.seq });
    expect(event).toMatchObject({ content: 'from the page', delivery: 'queue' });
    expect(conversation.pendingMessages.map((m) => m.id)).toEqual([event.id]);
  });

  it('answers 400 naming what is wrong with a bad body', async () => {
    const { conversation, inspector } = await live();
    const empty = await post(inspector, '/api/send', { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatch(/^Invalid request: text: text must not be empty/);
    const mode = await post(inspector, '/api/send', { text: 'x', delivery: 'shout' });
    expect(mode.status).toBe(400);
    expect(mode.body.error).toMatch(/delivery/);
    const extra = await post(inspector, '/api/send', { text: 'x', colour: 'red' });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatch(/colour/);
    const notJson = await post(inspector, '/api/send', '{"text": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toBe('The request body is not valid JSON');
    const noId = await post(inspector, '/api/retract', {});
    expect(noId.status).toBe(400);
    expect(noId.body.error).toMatch(/id/);
    const args = await post(inspector, '/api/pause', { now: true });
    expect(args.status).toBe(400);
    const form = await fetch(new URL('/api/send', inspector.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'text=x',
    });
    expect(form.status).toBe(415);
    // Nothing reached the conversation.
    expect(conversation.events.filter((e) => e.kind === 'message')).toHaveLength(0);
  });

  it('refuses controls from another origin', async () => {
    const { conversation, inspector } = await live();
    const reply = await post(
      inspector,
      '/api/send',
      { text: 'x' },
      { Origin: 'http://evil.example' },
    );
    expect(reply.status).toBe(403);
    expect(conversation.events.filter((e) => e.kind === 'message')).toHaveLength(0);
  });

  it('retract: withdraws a pending message; 404 for an unknown id, 409 once read', async () => {
    const { conversation, inspector } = await live(['ok']);
    const { id } = conversation.sendMessage('take me back');
    expect((await post(inspector, '/api/retract', { id })).status).toBe(200);
    expect(conversation.events.at(-1)).toMatchObject({ kind: 'message_retracted', messageId: id });
    const unknown = await post(inspector, '/api/retract', { id: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/nope/);
    const read = conversation.sendMessage('keep me');
    await conversation.run();
    const late = await post(inspector, '/api/retract', { id: read.id });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatch(/already read/);
  });

  it('run, pause and interrupt steer the conversation', async () => {
    const never = deferred();
    const { conversation, llm, inspector } = await live([
      { content: 'lost', delay: never.promise },
      { content: 'lost too', delay: never.promise },
      'finally',
    ]);
    conversation.sendMessage('go');
    expect((await post(inspector, '/api/run', {})).status).toBe(202);
    await inState(conversation, 'thinking');
    expect((await post(inspector, '/api/pause', {})).status).toBe(202);
    await inState(conversation, 'paused');
    expect(llm.calls[0]!.signal!.aborted).toBe(true);

    expect((await post(inspector, '/api/run', {})).status).toBe(202);
    await inState(conversation, 'thinking');
    expect((await post(inspector, '/api/interrupt', {})).status).toBe(202);
    await nextEvent(conversation, (e) => e.kind === 'pause' && e.interrupt === true);
    expect(conversation.status).toBe('paused');

    // An empty body is fine too.
    const response = await fetch(new URL('/api/run', inspector.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(202);
    await nextEvent(conversation, (e) => e.kind === 'state_update' && e.status === 'finished');
  });

  it('answers 409 once the conversation is closed', async () => {
    const { conversation, inspector } = await live();
    await conversation.close();
    const send = await post(inspector, '/api/send', { text: 'x' });
    expect(send.status).toBe(409);
    expect(send.body.error).toMatch(/closed/);
    expect((await post(inspector, '/api/run', {})).status).toBe(409);
    expect((await post(inspector, '/api/pause', {})).status).toBe(409);
  });
});

describe('a log', () => {
  async function writeLog(): Promise<{ dir: string; events: Conversation['events'] }> {
    const { conversation } = scripted([ScriptedLLM.call('echo', { text: 'hi' }), 'done']);
    conversations.push(conversation);
    conversation.sendMessage('echo hi');
    await conversation.run();
    const dir = join(await logDir(), conversation.id);
    await mkdir(dir);
    await writeFile(
      join(dir, 'events.jsonl'),
      conversation.events.map((e) => `${serializeEvent(e)}\n`).join(''),
    );
    return { dir, events: conversation.events };
  }

  it('is replayed: the state after each event, no controls', async () => {
    const { dir, events } = await writeLog();
    const inspector = await startInspector({ logPath: dir });
    inspectors.push(inspector);
    const snapshot = (await (
      await fetch(new URL('/api/snapshot', inspector.url))
    ).json()) as InspectorSnapshot;
    expect(snapshot.mode).toBe('log');
    expect(snapshot.controls).toBe(false);
    expect(snapshot.title).toBe(join(dir, 'events.jsonl'));
    expect(snapshot.timeline).toHaveLength(events.length);
    const steps = snapshot.steps!;
    expect(steps.map((s) => s.seq)).toEqual(events.map((e) => e.seq));
    const action = events.find((e) => e.kind === 'action')!;
    const delivered = events.find((e) => e.kind === 'message_delivered')!;
    expect(steps[0]!.active).toEqual(['conversation.idle', 'conversation.idle.ready']);
    expect(steps[delivered.seq]!.active).toEqual(['conversation.thinking']);
    expect(steps[action.seq]!.active).toEqual(['conversation.acting']);
    expect(steps.at(-1)!.active).toEqual(['conversation.idle', 'conversation.idle.finished']);
    // The message waits until the model reads it.
    expect(steps[delivered.seq - 1]!.pending).toHaveLength(1);
    expect(steps[delivered.seq]!.pending).toHaveLength(0);

    const reply = await post(inspector, '/api/send', { text: 'x' });
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatch(/log/);
  });

  it('accepts the events.jsonl path itself, and reports a torn last line as a warning', async () => {
    const { dir, events } = await writeLog();
    const file = join(dir, 'events.jsonl');
    await writeFile(file, `${events.map((e) => serializeEvent(e)).join('\n')}\n{"kind":"mess`);
    const inspector = await startInspector({ logPath: file });
    inspectors.push(inspector);
    const snapshot = (await (
      await fetch(new URL('/api/snapshot', inspector.url))
    ).json()) as InspectorSnapshot;
    expect(snapshot.timeline).toHaveLength(events.length);
    expect(snapshot.warnings[0]).toMatch(/torn/);
  });

  it('a missing path, a directory without a log, or a corrupt log is a clear error', async () => {
    const dir = await logDir();
    await expect(startInspector({ logPath: join(dir, 'nope') })).rejects.toThrow(
      new InspectorError(`No events log at ${join(dir, 'nope')}: the path does not exist`),
    );
    await expect(startInspector({ logPath: dir })).rejects.toThrow(/without an events.jsonl/);
    await writeFile(join(dir, 'events.jsonl'), 'not json\n{}\n');
    await expect(startInspector({ logPath: dir })).rejects.toThrow(CorruptLogError);
    await expect(startInspector({} as never)).rejects.toThrow(InspectorError);
  });
});
