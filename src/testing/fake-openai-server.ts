import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  completionBody,
  completionChunks,
  type FakeChunks,
  type FakeFault,
  type FakeJson,
  type FakeRaw,
  type FakeReply,
  type FakeRequest,
  type FakeScriptEntry,
  type FakeTurn,
  faultBody,
} from './fake-openai-replies.js';

export type {
  FakeChunks,
  FakeFault,
  FakeJson,
  FakeRaw,
  FakeReply,
  FakeRequest,
  FakeScriptEntry,
  FakeToolCall,
  FakeTurn,
  FakeTurnTiming,
} from './fake-openai-replies.js';

/** Options of `startFakeOpenAIServer(...)`. */
export interface FakeOpenAIServerOptions {
  /**
   * The answers, in order: one entry per chat completion request. A function as the
   * whole script answers every request.
   */
  script?:
    | readonly FakeScriptEntry[]
    | ((request: FakeRequest, turnIndex: number) => FakeTurn | Promise<FakeTurn>);
  /** Port on 127.0.0.1. Default: a free one. */
  port?: number;
}

/** A running fake server. */
export interface FakeOpenAIServer {
  /** `http://127.0.0.1:<port>/v1`: the `baseUrl` to give an `LLM`. */
  readonly baseUrl: string;
  readonly port: number;
  /** Every request received, oldest first. */
  readonly requests: readonly FakeRequest[];
  /** Resolves with request number `index` (0-based) once it has arrived. */
  waitForRequest(index: number): Promise<FakeRequest>;
  /** Adds turns to the end of the script. */
  push(...entries: FakeScriptEntry[]): void;
  /** Ends every connection and stops the server. */
  close(): Promise<void>;
}

type Outcome = 'completed' | 'disconnected' | 'dropped';

interface Exchange {
  record: FakeRequest;
  res: ServerResponse;
  /** Resolves when the client leaves or the server closes: ends every wait. */
  gone: Promise<void>;
  finish(outcome: Outcome): void;
}

/**
 * Starts an HTTP server on 127.0.0.1 that speaks the OpenAI Chat Completions API
 * (`POST /v1/chat/completions`, JSON and SSE streaming ending with `data: [DONE]`) and
 * answers from a script: text, tool calls, functions of the request, and faults (error
 * statuses with headers such as `Retry-After`, delays, connections dropped before or in
 * the middle of a response, malformed bodies). It records every request it receives and
 * whether the client left early, so tests drive the real `openai` client end to end.
 *
 * @example
 * ```ts
 * const server = await startFakeOpenAIServer({
 *   script: [
 *     { toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] },
 *     { status: 429, headers: { 'retry-after': '1' } },
 *     'The sum is 3.',
 *   ],
 * });
 * const llm = new LLM({ model: 'openai/gpt-4o', apiKey: 'test', baseUrl: server.baseUrl });
 * // ...
 * await server.close();
 * ```
 */
export async function startFakeOpenAIServer(
  options: FakeOpenAIServerOptions = {},
): Promise<FakeOpenAIServer> {
  const script = options.script ?? [];
  const entries: FakeScriptEntry[] = typeof script === 'function' ? [] : [...script];
  const requests: FakeRequest[] = [];
  const waiters = new Map<number, Array<(request: FakeRequest) => void>>();
  const sockets = new Set<Socket>();
  const shutdown = new AbortController();
  let turns = 0;

  const nextTurn = async (record: FakeRequest, turnIndex: number): Promise<FakeTurn> => {
    if (typeof script === 'function') return script(record, turnIndex);
    const entry = entries[turnIndex];
    if (entry === undefined) {
      return {
        status: 400,
        code: 'fake_script_exhausted',
        message: `Fake OpenAI server: no scripted turn for chat completion request ${turnIndex + 1} (the script has ${entries.length})`,
      };
    }
    return typeof entry === 'function' ? entry(record, turnIndex) : entry;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const text = await readBody(req);
    const exchange = startExchange(req, res, text, requests.length, shutdown.signal);
    requests.push(exchange.record);
    for (const resolve of waiters.get(exchange.record.index) ?? []) resolve(exchange.record);
    waiters.delete(exchange.record.index);

    const path = exchange.record.path;
    if (req.method !== 'POST' || !/\/chat\/completions\/?$/.test(path)) {
      sendJson(exchange, 404, {
        error: {
          message: `Fake OpenAI server: no route ${req.method} ${path}`,
          type: 'invalid_request_error',
        },
      });
      return;
    }
    const turnIndex = turns++;
    let turn: FakeTurn;
    try {
      turn = await nextTurn(exchange.record, turnIndex);
    } catch (error) {
      sendJson(exchange, 400, {
        error: {
          message: `Fake OpenAI server: the script failed: ${error instanceof Error ? error.message : String(error)}`,
          type: 'invalid_request_error',
          code: 'fake_script_error',
        },
      });
      return;
    }
    await answer(exchange, typeof turn === 'string' ? { content: turn } : turn, turnIndex);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: { message: `Fake OpenAI server failed: ${String(error)}` } }),
        );
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    waitForRequest(index) {
      const request = requests[index];
      if (request) return Promise.resolve(request);
      return new Promise((resolve) => {
        waiters.set(index, [...(waiters.get(index) ?? []), resolve]);
      });
    },
    push(...more) {
      if (typeof script === 'function') {
        throw new TypeError('Fake OpenAI server: cannot push turns onto a function script');
      }
      entries.push(...more);
    },
    close() {
      shutdown.abort();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

function startExchange(
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
  index: number,
  shutdown: AbortSignal,
): Exchange {
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Kept as text: the test can see what was sent.
  }
  let settle!: (outcome: Outcome) => void;
  const settled = new Promise<Outcome>((resolve) => (settle = resolve));
  let outcome: Outcome | undefined;
  const record: FakeRequest = {
    index,
    method: req.method ?? 'GET',
    path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname,
    headers: { ...req.headers },
    body,
    stream: (body as { stream?: unknown } | undefined)?.stream === true,
    clientDisconnected: false,
    settled,
  };
  const finish = (value: Outcome) => {
    if (outcome !== undefined) return;
    outcome = value;
    if (value === 'disconnected') record.clientDisconnected = true;
    settle(value);
  };
  const gone = new Promise<void>((resolve) => {
    const onShutdown = () => resolve();
    res.on('close', () => {
      // One listener per exchange would otherwise pile up on the server's signal.
      shutdown.removeEventListener('abort', onShutdown);
      finish(res.writableFinished ? 'completed' : 'disconnected');
      resolve();
    });
    if (shutdown.aborted) resolve();
    shutdown.addEventListener('abort', onShutdown, { once: true });
  });
  return { record, res, gone, finish };
}

async function answer(exchange: Exchange, turn: Exclude<FakeTurn, string>, turnIndex: number) {
  if (turn.delay !== undefined) {
    const delay = turn.delay;
    const wait =
      typeof delay === 'number'
        ? new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delay);
            void exchange.gone.then(() => clearTimeout(timer));
          })
        : Promise.resolve(delay).then(
            () => undefined,
            () => undefined,
          );
    await Promise.race([wait, exchange.gone]);
  }
  if (isClosed(exchange)) return;
  const { record } = exchange;

  if ('status' in turn) return sendFault(exchange, turn);
  if ('raw' in turn) return sendRaw(exchange, turn);
  if ('json' in turn) return sendJson(exchange, 200, (turn as FakeJson).json);
  if ('chunks' in turn) return sendChunks(exchange, turn as FakeChunks);

  const reply = turn as FakeReply;
  if (reply.dropConnection === 'before') return drop(exchange);
  if (!record.stream) {
    const json = JSON.stringify(completionBody(reply, record, turnIndex));
    if (reply.dropConnection === 'midStream') {
      exchange.res.writeHead(200, { 'content-type': 'application/json' });
      exchange.res.write(json.slice(0, Math.floor(json.length / 2)));
      return drop(exchange);
    }
    return sendJson(exchange, 200, JSON.parse(json));
  }

  const chunks = completionChunks(reply, record, turnIndex);
  startSse(exchange);
  const dropAt =
    reply.dropConnection === 'midStream' ? Math.max(1, Math.floor(chunks.length / 2)) : -1;
  for (const [i, chunk] of chunks.entries()) {
    if (i === dropAt) return drop(exchange);
    if (i === reply.pauseAfterChunks) {
      await Promise.race([reply.resume ?? new Promise(() => {}), exchange.gone]);
      if (isClosed(exchange)) return;
    }
    exchange.res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }
  exchange.res.end('data: [DONE]\n\n');
}

function sendFault(exchange: Exchange, fault: FakeFault): void {
  exchange.res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
  exchange.res.end(JSON.stringify(faultBody(fault)));
}

function sendRaw(exchange: Exchange, turn: FakeRaw): void {
  const type =
    turn.contentType ?? (exchange.record.stream ? 'text/event-stream' : 'application/json');
  exchange.res.writeHead(200, { 'content-type': type });
  exchange.res.end(turn.raw);
}

function sendChunks(exchange: Exchange, turn: FakeChunks): void {
  startSse(exchange);
  for (const chunk of turn.chunks) exchange.res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  exchange.res.end(turn.done === false ? '' : 'data: [DONE]\n\n');
}

function sendJson(exchange: Exchange, status: number, body: unknown): void {
  exchange.res.writeHead(status, { 'content-type': 'application/json' });
  exchange.res.end(JSON.stringify(body));
}

function startSse(exchange: Exchange): void {
  exchange.res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  exchange.res.flushHeaders();
}

/** Closes the connection; what was written so far still reaches the client. */
function drop(exchange: Exchange): void {
  exchange.finish('dropped');
  const socket = exchange.res.socket;
  if (socket) socket.destroySoon();
  else exchange.res.destroy();
}

function isClosed(exchange: Exchange): boolean {
  return exchange.res.destroyed || exchange.res.writableEnded || exchange.record.clientDisconnected;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
