import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { SteerableError } from '../errors/steerable-error.js';
import { MessageNotPendingError, UnknownMessageError } from '../errors/message-errors.js';
import type { ChartLayout } from './chart-layout.js';
import { EmptyRequest, RetractRequest, SendRequest, describeIssues } from './inspector-api.js';
import { InspectorError } from './inspector-error.js';
import type { InspectorControls, InspectorSource } from './inspector-source.js';

/** The only address the inspector listens on. */
export const INSPECTOR_HOST = '127.0.0.1';

/** Options of `serveInspector`. */
export interface ServeInspectorOptions {
  /** The port; default 0 (a free port the system picks). */
  port?: number;
  /** How often an idle event stream gets a keep-alive comment, in ms. Default 15 000. */
  heartbeatMs?: number;
  /**
   * Unread output past which a page that does not keep up gets no more updates until it
   * has read it all, and then one fresh snapshot instead. Default 1 MB.
   */
  maxBacklogBytes?: number;
}

/** A running inspector. */
export interface Inspector {
  /** The page's address, `http://127.0.0.1:<port>/`. */
  readonly url: string;
  readonly port: number;
  /** Pages connected to the live event stream right now. */
  readonly streams: number;
  /** Ends every event stream, stops listening and resolves once the server is closed. Idempotent. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_000_000;
const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/inspector.js': { file: 'inspector.js', type: 'text/javascript; charset=utf-8' },
  '/inspector.css': { file: 'inspector.css', type: 'text/css; charset=utf-8' },
};
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Stream {
  res: ServerResponse;
  stop: () => void;
}

/**
 * Serves the inspector's page, its chart, a server-sent event stream of the source's
 * updates and a JSON API for the controls, on 127.0.0.1 only.
 */
export async function serveInspector(
  source: InspectorSource,
  layout: ChartLayout,
  options: ServeInspectorOptions = {},
): Promise<Inspector> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InspectorError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  const maxBacklog = options.maxBacklogBytes ?? 1_000_000;
  const page = await loadPage();
  const streams = new Set<Stream>();
  let actualPort = 0;
  let closing: Promise<void> | undefined;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendJson(res, status, { error: message });
      else res.destroy();
    });
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    checkHost(req, actualPort);
    const path = new URL(req.url ?? '/', `http://${INSPECTOR_HOST}`).pathname;
    const asset = PAGE_FILES[path];
    if (req.method === 'GET' && asset) {
      res.writeHead(200, { 'Content-Type': asset.type, ...SECURITY_HEADERS });
      res.end(page.get(asset.file));
      return;
    }
    if (path === '/api/chart' && req.method === 'GET') return sendJson(res, 200, layout);
    if (path === '/api/snapshot' && req.method === 'GET') {
      return sendJson(res, 200, source.snapshot());
    }
    if (path === '/api/stream' && req.method === 'GET') return openStream(req, res);
    if (path.startsWith('/api/') && req.method === 'POST') {
      checkOrigin(req, actualPort);
      const body = await readJson(req);
      const controls = source.controls;
      if (!controls) {
        throw new HttpError(
          409,
          'This inspector shows a log: there is no live conversation to control',
        );
      }
      return control(path, body, controls, res);
    }
    if (PAGE_FILES[path] || path.startsWith('/api/')) {
      throw new HttpError(405, `${req.method ?? '?'} is not allowed on ${path}`);
    }
    throw new HttpError(404, `Nothing at ${path}`);
  };

  const openStream = (req: IncomingMessage, res: ServerResponse): void => {
    if (closing) throw new HttpError(503, 'The inspector is closing');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const snapshotChunk = (): string =>
      `event: snapshot\ndata: ${JSON.stringify(source.snapshot())}\n\n`;
    // A page that does not keep up (a slow link, a frozen tab) is not sent every update:
    // while its backlog is over the limit, updates are skipped, and once it drains it gets
    // one fresh snapshot instead. Memory stays bounded and the page misses nothing.
    let congested = false;
    let missed = false;
    const write = (chunk: string): void => {
      if (res.destroyed || res.writableEnded) return;
      if (congested) {
        missed = true;
        return;
      }
      res.write(chunk);
      if (res.writableLength > maxBacklog) {
        congested = true;
        res.once('drain', () => {
          congested = false;
          if (missed) {
            missed = false;
            write(snapshotChunk());
          }
        });
      }
    };
    write(`retry: 1000\n${snapshotChunk()}`);
    const unsubscribe = source.subscribe((update) => {
      write(`event: update\ndata: ${JSON.stringify(update)}\n\n`);
    });
    const stream: Stream = {
      res,
      stop: () => {
        unsubscribe();
        streams.delete(stream);
      },
    };
    streams.add(stream);
    res.on('close', stream.stop);
    res.on('error', stream.stop);
    req.on('error', stream.stop);
  };

  const heartbeat = setInterval(() => {
    for (const { res } of streams) {
      if (!res.destroyed && res.writableLength === 0) res.write(': keep-alive\n\n');
    }
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      clearInterval(heartbeat);
      reject(
        new InspectorError(
          error.code === 'EADDRINUSE'
            ? `Cannot listen on ${INSPECTOR_HOST}:${port}: the port is in use`
            : `Cannot listen on ${INSPECTOR_HOST}:${port}: ${error.message}`,
          { cause: error },
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, INSPECTOR_HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://${INSPECTOR_HOST}:${actualPort}/`,
    port: actualPort,
    get streams() {
      return streams.size;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const stream of [...streams]) {
          stream.stop();
          stream.res.end();
        }
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function control(
  path: string,
  body: unknown,
  controls: InspectorControls,
  res: ServerResponse,
): Promise<void> {
  switch (path) {
    case '/api/send': {
      const { text, delivery, id } = parse(SendRequest, body);
      const sent = attempt(() =>
        controls.send(text, { ...(delivery ? { delivery } : {}), ...(id ? { id } : {}) }),
      );
      return sendJson(res, 200, sent);
    }
    case '/api/retract': {
      const { id } = parse(RetractRequest, body);
      attempt(() => controls.retract(id));
      return sendJson(res, 200, { retracted: id });
    }
    case '/api/run':
    case '/api/pause':
    case '/api/interrupt': {
      parse(EmptyRequest, body);
      const command = path.slice('/api/'.length) as 'run' | 'pause' | 'interrupt';
      await startCommand(() => controls[command]());
      return sendJson(res, 202, { accepted: command });
    }
    default:
      throw new HttpError(404, `No control at ${path}`);
  }
}

/** Runs a control; a steerable error (closed, unknown or read message) becomes a 4xx. */
function attempt<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    throw toHttpError(error);
  }
}

/**
 * Starts a command that settles later (a run can last minutes): answers once it is under
 * way, or with its error if it fails at once (for example after `close()`).
 */
async function startCommand(command: () => Promise<unknown>): Promise<void> {
  const running = attempt(command);
  running.catch(() => undefined);
  const failure = await Promise.race([
    running.then(
      () => undefined,
      (error: unknown) => error ?? new Error('failed'),
    ),
    new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined))),
  ]);
  if (failure !== undefined) throw toHttpError(failure);
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UnknownMessageError) return new HttpError(404, message);
  if (error instanceof MessageNotPendingError) return new HttpError(409, message);
  if (error instanceof SteerableError) return new HttpError(409, message);
  if (error instanceof TypeError) return new HttpError(400, message);
  return new HttpError(500, message);
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw new HttpError(400, `Invalid request: ${describeIssues(result.error)}`);
  return result.data;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'Send the request body as JSON (Content-Type: application/json)');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'The request body is over 1 MB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON');
  }
}

/** Only the addresses the server listens on: a page from another site (DNS rebinding) gets nothing. */
function checkHost(req: IncomingMessage, port: number): void {
  const host = req.headers.host;
  if (host !== `${INSPECTOR_HOST}:${port}` && host !== `localhost:${port}`) {
    throw new HttpError(403, `Unexpected Host header: ${String(host)}`);
  }
}

/** Controls only from the inspector's own page. */
function checkOrigin(req: IncomingMessage, port: number): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  if (origin !== `http://${INSPECTOR_HOST}:${port}` && origin !== `http://localhost:${port}`) {
    throw new HttpError(403, `Requests from ${origin} may not control this conversation`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...SECURITY_HEADERS });
  res.end(JSON.stringify(body));
}

let pageCache: Promise<Map<string, string>> | undefined;

/** The page's files, next to this module (`src/visualizer/page`, or `dist/visualizer/page` once built). */
function loadPage(): Promise<Map<string, string>> {
  pageCache ??= (async () => {
    const files = new Map<string, string>();
    for (const name of ['index.html', 'inspector.js', 'inspector.css']) {
      const url = new URL(`./page/${name}`, import.meta.url);
      files.set(name, await readFile(url, 'utf8'));
    }
    return files;
  })();
  pageCache.catch(() => {
    pageCache = undefined;
  });
  return pageCache;
}
