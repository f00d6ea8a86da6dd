import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as zlibConstants, createGzip } from 'node:zlib';

/** Header lines in the order they go on the wire; a name may repeat (two lines, not one joined value). */
export type HeaderLines = readonly (readonly [name: string, value: string])[];

export interface EndpointContext {
  readonly pageOrigin: string;
  readonly apiOrigin: string;
  readonly api2Origin: string;
  /** Origin of the server this request reached. */
  readonly origin: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: EndpointContext) => void;

/** Gap between two writes on a live stream. */
export const TICK_MS = 500;
/** Every stream ends by itself after this long, so no test or demo tab holds a socket for ever. */
export const LIFETIME_MS = 20_000;
/** nginx's default proxy buffer (proxy_buffers 8 4k|8k): bytes held back before anything is forwarded. */
export const PROXY_BUFFER_BYTES = 4096;

export const SSE_HEADERS: HeaderLines = [
  ['Content-Type', 'text/event-stream'],
  ['Cache-Control', 'no-cache'],
];

export function dataEvent(seq: number): string {
  return `data: {"seq":${seq}}\n\n`;
}

export function idEvent(seq: number): string {
  return `id: ${seq}\ndata: {"seq":${seq}}\n\n`;
}

/** An event padded to about `bytes` bytes, for cases where the amount of data decides the outcome. */
export function paddedEvent(bytes: number): (seq: number) => string {
  return (seq) => {
    const head = `data: {"seq":${seq},"pad":"`;
    const tail = '"}\n\n';
    return head + '.'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
  };
}

export interface StreamPlan {
  readonly status?: number;
  readonly headers: HeaderLines;
  /** Written once right after the headers: a `retry:` field, a BOM. */
  readonly preamble?: string;
  /** Send the first event right after the headers (default true). */
  readonly firstEvent?: boolean;
  /** What each tick writes (default an event). */
  readonly tick?: 'event' | 'comment' | 'nothing';
  /** End the response once this many events went out (reconnect loops). */
  readonly endAfterEvents?: number;
  readonly lifetimeMs?: number;
  readonly format?: (seq: number) => string;
  readonly firstSeq?: number;
  /** Where the bytes go: straight to the socket unless the case is about compression or proxy buffering. */
  readonly body?: 'plain' | 'gzip' | 'gzip-flushed' | 'proxy-buffered';
  /** How the response stops: a clean end, or a connection torn down mid-body (a network error). */
  readonly ending?: 'end' | 'destroy';
}

interface Sink {
  write(text: string, flushed?: () => void): void;
  end(): void;
}

function live(res: ServerResponse): boolean {
  return !res.writableEnded && !res.destroyed;
}

/** Query parameter a test may add to follow one request across redirect hops; redirects keep it. */
export const TRACE_PARAM = 'sse-case';

function traced(location: string, res: ServerResponse): string {
  const trace = res.req?.url ? new URL(res.req.url, 'http://trace.invalid').searchParams.get(TRACE_PARAM) : null;
  if (trace === null) return location;
  try {
    const absolute = new URL(location, 'http://trace.invalid');
    if (absolute.searchParams.has(TRACE_PARAM)) return location;
    absolute.searchParams.set(TRACE_PARAM, trace);
    return absolute.origin === 'http://trace.invalid' ? `${absolute.pathname}${absolute.search}` : absolute.href;
  } catch {
    return location;
  }
}

export function writeHead(res: ServerResponse, status: number, headers: HeaderLines): void {
  // appendHeader keeps a repeated name as separate lines, which several cases are about.
  for (const [name, value] of headers) res.appendHeader(name, name.toLowerCase() === 'location' ? traced(value, res) : value);
  res.writeHead(status);
}

export function reply(res: ServerResponse, status: number, headers: HeaderLines, body = ''): void {
  writeHead(res, status, headers);
  res.end(body);
}

/** Runs `action` after `ms` unless the response closed first (close() of the playground, client gone). */
export function after(res: ServerResponse, ms: number, action: () => void): void {
  const timer = setTimeout(action, ms);
  res.once('close', () => clearTimeout(timer));
}

function openSink(res: ServerResponse, kind: NonNullable<StreamPlan['body']>): Sink {
  switch (kind) {
    case 'plain':
      return {
        write: (text, flushed) => {
          if (live(res)) res.write(text, flushed);
        },
        end: () => {
          if (live(res)) res.end();
        },
      };
    case 'gzip':
    case 'gzip-flushed': {
      const gzip = createGzip();
      gzip.pipe(res);
      res.once('close', () => gzip.destroy());
      return {
        write: (text) => {
          if (gzip.destroyed || gzip.writableEnded) return;
          gzip.write(text);
          // Without a sync flush, deflate keeps small writes in its window until about 16 KB pile up.
          if (kind === 'gzip-flushed') gzip.flush(zlibConstants.Z_SYNC_FLUSH);
        },
        end: () => {
          if (!gzip.destroyed && !gzip.writableEnded) gzip.end();
        },
      };
    }
    case 'proxy-buffered': {
      let pending = '';
      return {
        write: (text) => {
          pending += text;
          if (Buffer.byteLength(pending) < PROXY_BUFFER_BYTES || !live(res)) return;
          res.write(pending);
          pending = '';
        },
        end: () => {
          if (live(res)) res.end(pending);
        },
      };
    }
  }
}

/** Sends an event stream: headers now, then one write per tick, ending within the plan's lifetime. */
export function stream(res: ServerResponse, plan: StreamPlan): void {
  writeHead(res, plan.status ?? 200, plan.headers);
  // Node holds headers back until the first body byte; streams that stay silent must still open.
  res.flushHeaders();
  const sink = openSink(res, plan.body ?? 'plain');
  const format = plan.format ?? dataEvent;
  const tick = plan.tick ?? 'event';
  let seq = plan.firstSeq ?? 1;
  let sent = 0;
  const lifetime = setTimeout(finish, plan.lifetimeMs ?? LIFETIME_MS);
  const ticker = tick === 'nothing' ? undefined : setInterval(onTick, TICK_MS);
  res.once('close', stop);
  if (plan.preamble !== undefined) sink.write(plan.preamble);
  if (plan.firstEvent ?? true) sendEvent();

  function sendEvent(): void {
    sent += 1;
    const last = plan.endAfterEvents !== undefined && sent >= plan.endAfterEvents;
    // Tear the connection down only once the last bytes reached the socket, so the event is delivered.
    sink.write(format(seq), last && plan.ending === 'destroy' ? () => res.destroy() : undefined);
    seq += 1;
    if (last) {
      stop();
      if (plan.ending !== 'destroy') sink.end();
    }
  }
  function onTick(): void {
    if (tick === 'event') sendEvent();
    else sink.write(': heartbeat\n');
  }
  function stop(): void {
    clearTimeout(lifetime);
    if (ticker !== undefined) clearInterval(ticker);
  }
  function finish(): void {
    stop();
    if (plan.ending === 'destroy') res.destroy();
    else sink.end();
  }
}

/** The request URL, resolved against the server it reached; a URL that does not parse reads as `/`. */
export function requestUrl(req: IncomingMessage, ctx: EndpointContext): URL {
  try {
    return new URL(req.url ?? '/', ctx.origin);
  } catch {
    return new URL('/', ctx.origin);
  }
}

/** The numeric Last-Event-ID a reconnecting EventSource sends, 0 when absent or not a number. */
export function lastEventId(req: IncomingMessage): number {
  const value = req.headers['last-event-id'];
  const parsed = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : 0;
  return parsed;
}

/**
 * The correct CORS answer: an exact-match allowlist holding only the page origin. Anything else
 * (another origin, `null` after a cross-origin redirect) gets no Access-Control-Allow-Origin.
 */
export function allowPageOrigin(req: IncomingMessage, ctx: EndpointContext, credentials = false): HeaderLines {
  if (req.headers.origin !== ctx.pageOrigin) return [['Vary', 'Origin']];
  const lines: (readonly [string, string])[] = [
    ['Access-Control-Allow-Origin', ctx.pageOrigin],
    ['Vary', 'Origin'],
  ];
  if (credentials) lines.push(['Access-Control-Allow-Credentials', 'true']);
  return lines;
}

/** Rebuilds an origin with one part changed; the result is what a misconfigured server writes. */
export function originVariant(origin: string, change: (url: URL) => string): string {
  try {
    return change(new URL(origin));
  } catch {
    return origin;
  }
}

export function portSuffix(url: URL): string {
  return url.port === '' ? '' : `:${url.port}`;
}

export function otherPort(url: URL): string {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return String(port >= 65535 ? port - 1 : port + 1);
}
