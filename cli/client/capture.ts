import { performance } from 'node:perf_hooks';
import { createEventStreamCollector, type EventStreamCollector } from '../../lib/capture/event-stream';
import { chromiumAccessCheck } from '../../lib/cors/access-check';
import { isRedirectStatus } from '../../lib/cors/facts';
import { chromiumPreflightCheck, firefoxPreflightCheck } from '../../lib/cors/preflight-check';
import { eventSourceRefusal } from '../../lib/cors/verdict';
import { normalizeMethod, preflightRequirement, type PreflightRequirement } from '../../lib/cors/request-headers';
import { headerMapOf, type HeaderLine, type HeaderList } from '../../lib/model/headers';
import { isSameOrigin, resolveLocation } from '../../lib/model/origin';
import type {
  BodyEnd,
  ClientKind,
  CredentialsMode,
  Exchange,
  ExchangeKind,
  ReadyState,
  ReadyStateTransition,
  StreamRecord,
} from '../../lib/model/record';
import { INVALID_REDIRECT, TOO_MANY_REDIRECTS, type NetError } from './errors';
import { sendRequest, type BodyResult, type Clock, type HttpResponse } from './http';
import { probeSecurity } from './probe';

/**
 * The CLI's browser emulation: it connects the way an EventSource (or a fetch()-based client)
 * in Chromium would, and records every exchange into a StreamRecord for the engine.
 *
 * Faithful where the engine looks: the preflight is decided with the engine's own
 * preflightRequirement and sent like Chromium sends it; redirects are followed by hand (at
 * most 20) with the Fetch standard's Origin rules; the reconnect loop follows the HTML
 * standard. Where the browser itself decides whether to go on (a preflight or CORS check that
 * fails, a wrong status or MIME type), the capture asks Chromium's checks from lib/cors and
 * stops exactly where Chromium would, so the record never contains requests a browser would
 * not have sent. The engine then judges the record for both browsers.
 */

export interface CaptureLimits {
  /** Decoded body bytes read per attempt before observation stops. */
  readonly maxBodyBytes: number;
  readonly maxEventBytes: number;
  readonly maxEvents: number;
  readonly connectTimeout: number;
  /** Browsers follow at most 20 redirects (Fetch standard "HTTP-redirect fetch"). */
  readonly maxRedirects: number;
  /** How long a preflight or redirect body is drained before it is dropped. */
  readonly drainTimeout: number;
  readonly probeTimeout: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxEventBytes: 1024 * 1024,
  maxEvents: 10_000,
  connectTimeout: 10_000,
  maxRedirects: 20,
  drainTimeout: 500,
  probeTimeout: 3_000,
};

export interface CaptureOptions {
  /** An http: or https: URL without user:password. */
  readonly url: string;
  /** Serialized origin of the emulated page, or `null`. */
  readonly pageOrigin: string;
  readonly client: ClientKind;
  /** withCredentials / credentials: 'include'. */
  readonly credentials: boolean;
  /** fetch only; EventSource always sends GET. */
  readonly method: string;
  /** Headers the page's code sets (fetch only). */
  readonly headers: HeaderList;
  readonly durationMs: number;
  readonly probeSecurity: boolean;
  readonly userAgent: string;
  readonly limits?: Partial<CaptureLimits>;
  /** Stop at the first network error when nothing has answered yet, instead of reconnecting. */
  readonly stopWhenUnreachable?: boolean;
}

export interface CaptureResult {
  readonly record: StreamRecord;
  /** Things the user should know that the record cannot say (caps reached). */
  readonly notes: readonly string[];
  /**
   * One line saying why the server could not be reached when no HTTP response at all arrived
   * (refused, DNS, timeout, TLS...); null when anything answered. The record still holds the
   * attempts, as a browser would have made them.
   */
  readonly unreachable: string | null;
}

// Chromium's EventSource reconnection time when the server sent no `retry:`.
const DEFAULT_RECONNECTION_TIME = 3000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type ExchangeDraft = Mutable<Omit<Exchange, 'timing'>> & { timing: Mutable<Exchange['timing']> };

/** One browser's preflight check (lib/cors/preflight-check.ts). */
type PreflightCheck = (...args: Parameters<typeof chromiumPreflightCheck>) => object | null;

/** How one connection attempt ended. */
type AttemptEnd =
  /** No usable response: DNS, refused, timeout, headers too large, redirect loop. */
  | { readonly kind: 'network'; readonly error: NetError; readonly url: string; readonly connected: boolean }
  /** The browser fails the connection (CORS, preflight, status, MIME): no reconnect. */
  | { readonly kind: 'failed' }
  /** An open response ended (by the server or a broken connection): EventSource reconnects. */
  | { readonly kind: 'ended' }
  /** Observation stopped with the attempt still going (duration over, or a cap reached). */
  | { readonly kind: 'observed' };

function credentialsMode(options: CaptureOptions): CredentialsMode {
  return options.credentials ? 'include' : 'same-origin';
}

/** The URL as sent: user:password never goes on the wire (Node would turn it into Authorization). */
function requestUrl(url: URL): URL {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy;
}

function bodyEndOf(result: BodyResult): BodyEnd {
  if (result.stop === 'server') return 'server';
  if (result.stop === 'network') return 'network';
  return null;
}

/** Fetch standard "HTTP-redirect fetch", step 12: which redirects turn the request into a GET. */
function methodAfterRedirect(status: number, method: string): string {
  if ((status === 301 || status === 302) && method === 'POST') return 'GET';
  if (status === 303 && method !== 'GET' && method !== 'HEAD') return 'GET';
  return method;
}

class Capture {
  private readonly t0 = performance.now();
  readonly clock: Clock = () => Math.round(performance.now() - this.t0);
  private readonly limits: CaptureLimits;
  private readonly deadline: number;
  private readonly credentials: CredentialsMode;
  private readonly exchanges: ExchangeDraft[] = [];
  private readonly readyStates: ReadyStateTransition[] = [];
  private readonly collector: EventStreamCollector;
  private readonly notes: string[] = [];

  constructor(private readonly options: CaptureOptions) {
    this.limits = { ...DEFAULT_CAPTURE_LIMITS, ...options.limits };
    this.deadline = options.durationMs;
    this.credentials = credentialsMode(options);
    this.collector = createEventStreamCollector({ maxEventBytes: this.limits.maxEventBytes, maxEvents: this.limits.maxEvents });
  }

  async run(): Promise<CaptureResult> {
    const isEventSource = this.options.client === 'eventsource';
    if (isEventSource) this.readyState(0, 1);
    let firstNetworkError: string | null = null;
    for (let attempt = 1; ; attempt++) {
      const end = await this.attempt(attempt);
      if (end.kind === 'network') {
        firstNetworkError ??= this.unreachable(end);
        // The CLI user gets one line at once rather than a loop of refused connections.
        if (this.options.stopWhenUnreachable && !this.exchanges.some((exchange) => exchange.status !== null)) break;
      }
      if (end.kind === 'failed') {
        if (isEventSource) this.readyState(2, attempt);
        break;
      }
      if (end.kind === 'observed' || !isEventSource) break;
      // HTML standard "reestablish the connection": readyState back to CONNECTING, wait, retry.
      if (end.kind === 'ended') this.readyState(0, attempt);
      const delay = this.collector.reconnectionTime ?? DEFAULT_RECONNECTION_TIME;
      if (this.clock() + delay >= this.deadline) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    const observedFor = this.clock();
    const originProbes = this.options.probeSecurity
      ? await probeSecurity({
          url: requestUrl(new URL(this.options.url)),
          pageOrigin: this.options.pageOrigin,
          headers: this.fixedHeaders(),
          client: this.options.client,
          userAgent: this.options.userAgent,
          clock: this.clock,
          timeout: this.limits.probeTimeout,
        })
      : [];
    if (this.collector.truncatedEvents > 0) {
      this.notes.push(`${this.collector.truncatedEvents} event(s) larger than ${this.limits.maxEventBytes} bytes were cut`);
    }
    if (this.collector.droppedEvents > 0) this.notes.push(`${this.collector.droppedEvents} event(s) beyond the first ${this.limits.maxEvents} were not kept`);
    const { url, pageOrigin, client, method } = this.options;
    const record: StreamRecord = {
      id: 'cli-1',
      url,
      pageOrigin,
      client: { kind: client, credentials: this.credentials, method: client === 'eventsource' ? 'GET' : normalizeMethod(method), headers: this.options.headers },
      exchanges: this.exchanges,
      readyStates: this.readyStates,
      events: this.collector.events,
      droppedEvents: this.collector.droppedEvents,
      retryValues: this.collector.retryValues,
      observedFor,
      originProbes,
    };
    const answered = this.exchanges.some((exchange) => exchange.status !== null);
    return { record, notes: this.notes, unreachable: answered ? null : firstNetworkError };
  }

  private unreachable(end: Extract<AttemptEnd, { kind: 'network' }>): string {
    return end.connected ? `${end.url}: ${end.error.reason}` : `cannot connect to ${end.url}: ${end.error.reason}`;
  }

  private readyState(state: ReadyState, attempt: number): void {
    this.readyStates.push({ at: this.clock(), state, attempt });
  }

  /** The page's own headers: none for EventSource, which cannot set any. */
  private fixedHeaders(): HeaderList {
    return this.options.client === 'eventsource' ? [] : this.options.headers;
  }

  private async attempt(attempt: number): Promise<AttemptEnd> {
    const pageOrigin = this.options.pageOrigin;
    const isEventSource = this.options.client === 'eventsource';
    let url = new URL(this.options.url);
    let method = isEventSource ? 'GET' : normalizeMethod(this.options.method);
    let pageHeaders = this.fixedHeaders();
    let cors = !isSameOrigin(url.origin, pageOrigin);
    // Fetch standard: after a redirect between two origins that are not the page's, Origin is `null`.
    let tainted = false;
    let redirects = 0;

    for (;;) {
      const origin = tainted ? 'null' : pageOrigin;
      const requirement = preflightRequirement(this.options.client, method, pageHeaders);
      if (cors && requirement.needed) {
        const chromium = await this.preflight(attempt, url, origin, requirement, chromiumPreflightCheck);
        if (chromium !== null && (chromium.kind !== 'failed' || !tainted)) return chromium;
        if (tainted) {
          // After an origin-tainting hop Firefox sends its preflight with the page's origin where
          // Chromium sends `null` (observed): both are recorded, and the request goes on while
          // either browser would send it (the engine's walk stops each where it fails).
          const firefox = await this.preflight(attempt, url, pageOrigin, requirement, firefoxPreflightCheck);
          if (chromium !== null && firefox !== null) return firefox.kind === 'failed' ? chromium : firefox;
        }
      }

      const headers = this.requestHeaders(url, method, origin, cors, pageHeaders);
      const sent = await this.send(attempt, 'response', url, method, headers);
      if ('end' in sent) return sent.end;
      const { draft, response } = sent;
      const responseHeaders = headerMapOf(response.headers);
      const location = responseHeaders.get('location');

      if (isRedirectStatus(response.status) && location !== null) {
        draft.kind = 'redirect';
        // A cross-origin request's redirect is CORS-checked before it is followed.
        if (cors && chromiumAccessCheck(responseHeaders, origin, this.credentials)) {
          this.close(draft, response);
          return { kind: 'failed' };
        }
        await this.drain(draft, response);
        if (redirects === this.limits.maxRedirects) return this.networkError(draft, TOO_MANY_REDIRECTS, this.options.url, true);
        redirects++;
        const next = resolveLocation(location, url.href);
        const nextUrl = next === null ? null : new URL(next);
        if (nextUrl === null || (nextUrl.protocol !== 'http:' && nextUrl.protocol !== 'https:')) {
          return this.networkError(draft, INVALID_REDIRECT, url.href, true);
        }
        // Chromium: RedirectContainsCredentials.
        if (cors && (nextUrl.username || nextUrl.password)) return { kind: 'failed' };
        const from = url.origin;
        const to = nextUrl.origin;
        if (!isSameOrigin(from, to) && !isSameOrigin(pageOrigin, from)) tainted = true;
        if (!isSameOrigin(to, pageOrigin)) cors = true;
        // Fetch standard: a cross-origin redirect drops the Authorization header.
        if (!isSameOrigin(from, to)) pageHeaders = pageHeaders.filter(([name]) => name.toLowerCase() !== 'authorization');
        method = methodAfterRedirect(response.status, method);
        url = nextUrl;
        continue;
      }

      if (cors && chromiumAccessCheck(responseHeaders, origin, this.credentials)) {
        this.close(draft, response);
        return { kind: 'failed' };
      }
      // Stop where Chromium fails the connection: the engine's own EventSource rule decides.
      if (isEventSource && eventSourceRefusal(response.status, responseHeaders.get('content-type'), 'chromium') !== null) {
        this.close(draft, response);
        return { kind: 'failed' };
      }
      if (isEventSource) this.readyState(1, attempt);
      return this.stream(attempt, draft, response);
    }
  }

  /** Sends the CORS preflight; null when it passed `check` (one browser's) and the request may go on. */
  private async preflight(attempt: number, url: URL, origin: string, requirement: PreflightRequirement, check: PreflightCheck): Promise<AttemptEnd | null> {
    const headers: HeaderLine[] = [
      ['Host', url.host],
      ['Accept', '*/*'],
      ['Access-Control-Request-Method', requirement.method],
    ];
    // Lower-case, sorted, comma-joined without spaces: how Chromium and Firefox send it.
    if (requirement.headers.length > 0) headers.push(['Access-Control-Request-Headers', requirement.headers.join(',')]);
    headers.push(['Origin', origin], ['User-Agent', this.options.userAgent], ['Accept-Encoding', 'gzip, deflate, br']);
    const sent = await this.send(attempt, 'preflight', url, 'OPTIONS', headers);
    if ('end' in sent) return sent.end;
    await this.drain(sent.draft, sent.response);
    const failure = check(
      { status: sent.response.status, headers: headerMapOf(sent.response.headers) },
      origin,
      this.credentials,
      requirement,
    );
    return failure ? { kind: 'failed' } : null;
  }

  private requestHeaders(url: URL, method: string, origin: string, cors: boolean, pageHeaders: HeaderList): HeaderLine[] {
    const headers: HeaderLine[] = [['Host', url.host]];
    if (this.options.client === 'eventsource') {
      headers.push(['Accept', 'text/event-stream'], ['Cache-Control', 'no-cache']);
      // Sent on reconnects once the server has given an id (HTML standard).
      const lastEventId = this.collector.lastEventId;
      if (lastEventId !== '') headers.push(['Last-Event-ID', lastEventId]);
    } else {
      if (!headerMapOf(pageHeaders).has('accept')) headers.push(['Accept', '*/*']);
      headers.push(...pageHeaders);
      // fetch() without a body still declares an empty one for methods that carry a body.
      if (method !== 'GET' && method !== 'HEAD') headers.push(['Content-Length', '0']);
    }
    // Fetch standard "append a request Origin header": every CORS request, and same-origin
    // requests whose method is not GET or HEAD.
    if (cors || (method !== 'GET' && method !== 'HEAD')) headers.push(['Origin', origin]);
    headers.push(['User-Agent', this.options.userAgent], ['Accept-Encoding', 'gzip, deflate, br']);
    return headers;
  }

  private async send(
    attempt: number,
    kind: ExchangeKind,
    url: URL,
    method: string,
    requestHeaders: HeaderList,
  ): Promise<{ end: AttemptEnd } | { draft: ExchangeDraft; response: HttpResponse }> {
    // Node opens one connection per request here (no pooling); saying so keeps the record honest.
    const headers: HeaderList = [...requestHeaders, ['Connection', 'close']];
    const outcome = await sendRequest({
      url: requestUrl(url),
      method,
      headers,
      clock: this.clock,
      deadline: this.deadline,
      connectTimeout: this.limits.connectTimeout,
    });
    const draft: ExchangeDraft = {
      kind,
      attempt,
      method,
      url: url.href,
      status: null,
      statusText: '',
      httpVersion: null,
      requestHeaders: headers,
      responseHeaders: [],
      timing: { startedAt: outcome.startedAt, responseAt: null, firstByteAt: null, endedAt: null },
      bodyBytes: 0,
      bodyEnd: null,
      error: null,
    };
    this.exchanges.push(draft);
    if (outcome.kind === 'pending') return { end: { kind: 'observed' } };
    if (outcome.kind === 'error') {
      draft.error = outcome.error.code;
      draft.timing.endedAt = outcome.at;
      return { end: { kind: 'network', error: outcome.error, url: url.href, connected: outcome.connected } };
    }
    const { response } = outcome;
    draft.status = response.status;
    draft.statusText = response.statusText;
    draft.httpVersion = response.httpVersion;
    draft.responseHeaders = response.headers;
    draft.timing.responseAt = response.responseAt;
    return { draft, response };
  }

  /** A redirect that could not be followed: the exchange stays, the attempt is a network error. */
  private networkError(draft: ExchangeDraft, error: NetError, url: string, connected: boolean): AttemptEnd {
    draft.error = error.code;
    return { kind: 'network', error, url, connected };
  }

  /** The browser gives up on this response without reading it. */
  private close(draft: ExchangeDraft, response: HttpResponse): void {
    response.abort();
    draft.bodyEnd = 'client';
    draft.timing.endedAt = this.clock();
  }

  /** Reads a small body (preflight, redirect) to its end, within a short bound. */
  private async drain(draft: ExchangeDraft, response: HttpResponse): Promise<void> {
    const until = Math.min(this.clock() + this.limits.drainTimeout, this.deadline);
    const result = await response.read({ until, maxBytes: 64 * 1024 });
    this.applyBody(draft, result);
    if (draft.bodyEnd === null) {
      draft.bodyEnd = 'client';
      draft.timing.endedAt = this.clock();
    }
  }

  private applyBody(draft: ExchangeDraft, result: BodyResult): void {
    draft.bodyBytes = result.wireBytes;
    draft.bodyEnd = bodyEndOf(result);
    draft.timing.firstByteAt = result.firstByteAt;
    draft.timing.endedAt = result.endedAt;
    if (result.error) draft.error = result.error.code;
  }

  /** Reads the stream until it ends, breaks, the duration is over or a cap is reached. */
  private async stream(attempt: number, draft: ExchangeDraft, response: HttpResponse): Promise<AttemptEnd> {
    const connection = this.collector.connection(attempt);
    const result = await response.read({
      until: this.deadline,
      maxBytes: this.limits.maxBodyBytes,
      onData: (chunk, at) => connection.feed(chunk, at),
    });
    connection.end();
    this.applyBody(draft, result);
    if (result.stop === 'limit') {
      this.notes.push(`stopped reading attempt ${attempt} after ${this.limits.maxBodyBytes} bytes of body`);
      return { kind: 'observed' };
    }
    return result.stop === 'deadline' ? { kind: 'observed' } : { kind: 'ended' };
  }
}

/** Connects like a browser would and records what happened, for at most `durationMs`. */
export function captureStream(options: CaptureOptions): Promise<CaptureResult> {
  return new Capture(options).run();
}

