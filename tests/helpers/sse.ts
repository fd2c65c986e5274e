import { type ClientRequest, type IncomingMessage, get } from 'node:http';

/** One server-sent event. */
export interface SseEvent {
  event: string;
  data: string;
}

/** A raw HTTP client of an event stream: every event it received, and a way to wait for one. */
export interface SseClient {
  readonly response: IncomingMessage;
  readonly events: SseEvent[];
  /** Resolves with the first event (received or to come) that matches. */
  waitFor(match: (event: SseEvent) => boolean): Promise<SseEvent>;
  /** Resolves when the server ends the response. */
  readonly ended: Promise<void>;
  /** Drops the connection, as a closed tab does. */
  destroy(): void;
}

/** Opens `url` as an event stream; resolves once the response headers arrived. */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    let request: ClientRequest | undefined = undefined;
    request = get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
      const events: SseEvent[] = [];
      const waiters: Array<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }> =
        [];
      const deliver = (block: string): void => {
        const parsed = parseBlock(block);
        if (!parsed) return;
        events.push(parsed);
        for (const waiter of [...waiters]) {
          if (waiter.match(parsed)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(parsed);
          }
        }
      };
      // A multi-megabyte event arrives in many chunks: keep them as parts, search each
      // chunk only once, and join a block when it ends (a blank line, maybe across chunks).
      let parts: string[] = [];
      let endsWithNewline = false;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        let start = 0;
        if (endsWithNewline && chunk.startsWith('\n')) {
          deliver(parts.join('').slice(0, -1));
          parts = [];
          start = 1;
        }
        let end: number;
        while ((end = chunk.indexOf('\n\n', start)) >= 0) {
          parts.push(chunk.slice(start, end));
          deliver(parts.join(''));
          parts = [];
          start = end + 2;
        }
        const rest = chunk.slice(start);
        if (rest) parts.push(rest);
        endsWithNewline = rest.endsWith('\n');
      });
      const ended = new Promise<void>((done) => {
        response.on('end', done);
        response.on('close', done);
        response.on('error', () => done());
      });
      resolve({
        response,
        events,
        ended,
        waitFor: (match) => {
          const seen = events.find(match);
          if (seen) return Promise.resolve(seen);
          return new Promise((done) => waiters.push({ match, resolve: done }));
        },
        destroy: () => request?.destroy(),
      });
    });
    request.on('error', reject);
  });
}

function parseBlock(block: string): SseEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    if (field === 'data') data.push(value);
  }
  return data.length ? { event, data: data.join('\n') } : undefined;
}
