import type { HeaderLine, HeaderList } from './headers';
import type {
  BodyEnd,
  ClientKind,
  CredentialsMode,
  Exchange,
  ExchangeKind,
  OriginProbe,
  ReadyStateTransition,
  StreamEvent,
  StreamRecord,
} from './record';

/**
 * Tiny builders for records, used by tests, benchmarks, fixtures and the what-if editor:
 * `stream({ pageOrigin: 'https://app.test', acao: '*', credentials: 'include' })`.
 */

export function exchange(fields: Partial<Exchange> & { url: string }): Exchange {
  return {
    kind: 'response',
    attempt: 1,
    method: 'GET',
    status: 200,
    statusText: '',
    httpVersion: 'HTTP/1.1',
    requestHeaders: [],
    responseHeaders: [],
    timing: { startedAt: 0, responseAt: 5, firstByteAt: 5, endedAt: null },
    bodyBytes: 0,
    bodyEnd: null,
    error: null,
    ...fields,
  };
}

export interface HopOptions {
  status?: number;
  /** Extra response header lines, after the shorthand ones. */
  headers?: HeaderList;
  acao?: string | readonly string[];
  acac?: string;
}

export interface RedirectOptions extends HopOptions {
  location: string;
}

export interface PreflightOptions extends HopOptions {
  allowMethods?: string;
  allowHeaders?: string;
}

export interface StreamOptions extends HopOptions {
  id?: string;
  url?: string;
  pageOrigin?: string;
  client?: ClientKind;
  /** true means `include` (withCredentials / credentials: 'include'). */
  credentials?: boolean | CredentialsMode;
  method?: string;
  requestHeaders?: HeaderList;
  /** Content-Type of the final response; null leaves it out. Default `text/event-stream`. */
  contentType?: string | null;
  preflight?: PreflightOptions;
  redirects?: readonly RedirectOptions[];
  /** How many times the final response was fetched (reconnects + 1). */
  attempts?: number;
  /** How each final response ended; default: still open (or 'server' when attempts > 1). */
  bodyEnd?: BodyEnd;
  /** Seconds between attempts, for reconnect-loop records. */
  interval?: number;
  httpVersion?: string;
  /** Body bytes of each final response; default: the events' sizes, or 64 for a 200 without events. */
  bodyBytes?: number;
  events?: readonly Partial<StreamEvent>[];
  retryValues?: readonly number[];
  readyStates?: readonly ReadyStateTransition[];
  observedFor?: number | null;
  originProbes?: readonly OriginProbe[];
  /** Replaces every shorthand above with explicit exchanges. */
  exchanges?: readonly Exchange[];
  error?: string | null;
}

function hopHeaders(options: HopOptions, leading: HeaderLine[] = []): HeaderLine[] {
  const lines: HeaderLine[] = [...leading];
  const acao = options.acao;
  if (typeof acao === 'string') lines.push(['Access-Control-Allow-Origin', acao]);
  else if (acao) for (const value of acao) lines.push(['Access-Control-Allow-Origin', value]);
  if (options.acac !== undefined) lines.push(['Access-Control-Allow-Credentials', options.acac]);
  return [...lines, ...(options.headers ?? [])];
}

function credentialsMode(value: StreamOptions['credentials']): CredentialsMode {
  if (value === true) return 'include';
  if (value === false || value === undefined) return 'same-origin';
  return value;
}

/** The events' own bytes when the record has events, else a little for a 200 (it sent something). */
function defaultBodyBytes(options: StreamOptions, attempt: number): number {
  if (options.error || (options.status ?? 200) !== 200) return 0;
  const events = (options.events ?? []).filter((e) => (e.attempt ?? 1) === attempt);
  if (events.length > 0) return events.reduce((sum, e) => sum + (e.size ?? (e.data ?? '').length + 7), 0);
  return 64;
}

export function stream(options: StreamOptions = {}): StreamRecord {
  const url = options.url ?? 'https://api.test/events';
  const kind = options.client ?? 'eventsource';
  const method = options.method ?? 'GET';
  const attempts = options.attempts ?? 1;
  const interval = (options.interval ?? 3) * 1000;
  const exchanges: Exchange[] = options.exchanges ? [...options.exchanges] : [];

  if (!options.exchanges) {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const base = (attempt - 1) * interval;
      const common = { attempt, httpVersion: options.httpVersion ?? 'HTTP/1.1' };
      let current = url;
      if (options.preflight) {
        const p = options.preflight;
        const leading: HeaderLine[] = [];
        if (p.allowMethods !== undefined) leading.push(['Access-Control-Allow-Methods', p.allowMethods]);
        if (p.allowHeaders !== undefined) leading.push(['Access-Control-Allow-Headers', p.allowHeaders]);
        exchanges.push(
          exchange({ ...common, kind: 'preflight', method: 'OPTIONS', url, status: p.status ?? 204, responseHeaders: hopHeaders(p, leading), timing: { startedAt: base, responseAt: base + 2, firstByteAt: base + 2, endedAt: base + 2 }, bodyEnd: 'server' }),
        );
      }
      for (const hop of options.redirects ?? []) {
        exchanges.push(
          exchange({ ...common, kind: 'redirect', method, url: current, status: hop.status ?? 302, responseHeaders: hopHeaders(hop, [['Location', hop.location]]), timing: { startedAt: base + 3, responseAt: base + 4, firstByteAt: base + 4, endedAt: base + 4 }, bodyEnd: 'server' }),
        );
        current = new URL(hop.location, current).href;
      }
      const contentType = options.contentType === undefined ? 'text/event-stream' : options.contentType;
      const leading: HeaderLine[] = contentType === null ? [] : [['Content-Type', contentType]];
      const last = attempt === attempts;
      const bodyEnd: BodyEnd = options.bodyEnd !== undefined ? options.bodyEnd : last ? null : 'server';
      exchanges.push(
        exchange({
          ...common,
          kind: 'response',
          method,
          url: current,
          status: options.error ? null : (options.status ?? 200),
          requestHeaders: options.requestHeaders ?? [],
          responseHeaders: options.error ? [] : hopHeaders(options, leading),
          timing: { startedAt: base + 5, responseAt: base + 10, firstByteAt: base + 10, endedAt: bodyEnd ? base + 1000 : null },
          bodyBytes: options.bodyBytes ?? defaultBodyBytes(options, attempt),
          bodyEnd,
          error: options.error ?? null,
        }),
      );
    }
  }

  const events: StreamEvent[] = (options.events ?? []).map((e, i) => ({
    at: e.at ?? 20 + i,
    attempt: e.attempt ?? 1,
    type: e.type ?? 'message',
    data: e.data ?? '',
    id: e.id ?? null,
    size: e.size ?? (e.data ?? '').length + 7,
  }));

  return {
    id: options.id ?? 'stream-1',
    url,
    pageOrigin: options.pageOrigin ?? 'https://app.test',
    client: {
      kind,
      credentials: credentialsMode(options.credentials),
      method,
      headers: options.requestHeaders ?? [],
    },
    exchanges,
    readyStates: options.readyStates ?? [],
    events,
    droppedEvents: 0,
    retryValues: options.retryValues ?? [],
    observedFor: options.observedFor === undefined ? null : options.observedFor,
    originProbes: options.originProbes ?? [],
  };
}

export type { ExchangeKind };
