import { headerMapOf, type HeaderLine, type HeaderList } from '../model/headers';
import { isSameOrigin, originOf, resolveLocation } from '../model/origin';
import { acceptsEventStream, isBrowserHeader, isEventStreamType, isPreflightRequest } from './stream-markers';
import type { BodyEnd, ClientKind, CredentialsMode, Exchange, ExchangeKind, StreamEvent, StreamRecord } from '../model/record';

/**
 * HAR files (Chrome and Firefox "Save all as HAR", `devtools.network.getHAR()`) to stream records.
 * A pure adapter: the caller reads and parses the file, this turns the parsed value into records.
 * The file is hostile input: its shape is checked, every list and string is capped.
 *
 * Heuristics, since a HAR says nothing about EventSource objects:
 * - A stream entry is one whose response Content-Type is text/event-stream, that Chromium marks
 *   `_resourceType: "eventsource"`, or whose request sent `Accept: text/event-stream`. The last one
 *   catches blocked streams and streams served with the wrong type.
 * - Client kind: `eventsource` when Chromium says so, or when the request accepts text/event-stream,
 *   Chromium did not call it fetch/xhr, and it carries no header a page script must have set;
 *   otherwise `fetch`.
 * - Page origin: the request's Origin header (the first hop's: later hops may say `null`), else the
 *   Referer's origin, else the URL of the HAR page the entry belongs to, else the stream's own origin
 *   (treated as same-origin, so no CORS verdict is invented).
 * - Credentials: `include` when a cross-origin hop carried cookies (a Cookie header or HAR `cookies`),
 *   because a browser sends cookies cross-origin only in that mode. A credentialed request that had
 *   no cookie to send (or whose third-party cookies were blocked) cannot be told apart: `same-origin`.
 *   Chromium's `_initiator` names the script that made the request, not its mode, so it is not used.
 * - Preflight: the nearest earlier OPTIONS entry to the same URL carrying
 *   Access-Control-Request-Method, with no other request to that URL in between.
 * - Redirects: a 3xx entry whose redirectURL (or Location) is the URL of a later entry is a hop of
 *   the same connection; the chain is followed both ways from the stream entry.
 * - Attempts: connections to the same first URL from the same HAR page are reconnect attempts of
 *   one stream when each starts after the previous one ended; overlapping ones are separate streams.
 * - Body end: `_error` net::ERR_ABORTED is `client`, any other `_error` `network`; an attempt
 *   followed by another one ended at the `server`; the last one is taken as still open.
 * - Status 0 (or none) is a network error. Chromium's CORS-blocked entries keep status 200 with
 *   `_error: net::ERR_FAILED` and their headers: kept as they are, the engine decides.
 */

export class HarError extends Error {
  override readonly name = 'HarError';
}

export interface HarImport {
  readonly records: StreamRecord[];
  /** Entries that could not be read (malformed, or beyond the entry cap). Other traffic is ignored silently. */
  readonly skipped: number;
}

export const HAR_LIMITS = {
  entries: 20_000,
  headersPerList: 256,
  eventsPerStream: 5_000,
  attemptsPerStream: 1_000,
  url: 8_192,
  headerName: 256,
  headerValue: 8_192,
  eventData: 65_536,
  eventField: 1_024,
  statusText: 256,
} as const;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const stringOr = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return text.slice(0, cut);
}

/** A HAR entry read defensively into what the adapter needs. */
interface EntryView {
  readonly position: number;
  readonly pageref: string | null;
  readonly startedMs: number | null;
  /** Total time of the entry in ms; null when unknown. */
  readonly durationMs: number | null;
  /** ms from start until the response headers arrived; null when unknown. */
  readonly waitMs: number | null;
  readonly method: string;
  readonly url: string;
  readonly requestHeaders: HeaderList;
  readonly hasCookies: boolean;
  readonly status: number | null;
  readonly statusText: string;
  readonly httpVersion: string | null;
  readonly responseHeaders: HeaderList;
  readonly mimeType: string | null;
  readonly redirectTarget: string | null;
  readonly bodyBytes: number;
  readonly error: string | null;
  readonly resourceType: string | null;
  readonly messages: readonly unknown[];
}

function headerList(value: unknown): HeaderLine[] {
  if (!Array.isArray(value)) return [];
  const lines: HeaderLine[] = [];
  for (const item of value) {
    if (lines.length >= HAR_LIMITS.headersPerList) break;
    if (!isObject(item) || typeof item.name !== 'string') continue;
    // HTTP/2 pseudo-headers (`:authority`, `:status`) are framing, not header lines.
    if (item.name.startsWith(':') || item.name.length === 0) continue;
    lines.push([cap(item.name, HAR_LIMITS.headerName), cap(stringOr(item.value, ''), HAR_LIMITS.headerValue)]);
  }
  return lines;
}

function normalizeUrl(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

function waitOf(timings: unknown): number | null {
  if (!isObject(timings)) return null;
  let total = 0;
  let known = false;
  // HAR timings before the response: -1 means "does not apply"; ssl is already inside connect.
  for (const phase of ['blocked', 'dns', 'connect', 'send', 'wait']) {
    const value = finite(timings[phase]);
    if (value !== null && value >= 0) {
      total += value;
      known = true;
    }
  }
  return known ? total : null;
}

function readEntry(entry: unknown, position: number): EntryView | null {
  if (!isObject(entry) || !isObject(entry.request)) return null;
  const request = entry.request;
  if (typeof request.url !== 'string' || request.url.length === 0) return null;
  const response = isObject(entry.response) ? entry.response : {};
  const requestHeaders = headerList(request.headers);
  const responseHeaders = headerList(response.headers);
  const rawStatus = finite(response.status);
  const url = normalizeUrl(cap(request.url, HAR_LIMITS.url));
  const location = headerMapOf(responseHeaders).get('location');
  const redirectUrl = stringOr(response.redirectURL, '') || location || '';
  const redirectTarget = rawStatus !== null && rawStatus >= 300 && rawStatus < 400 && redirectUrl ? resolveLocation(cap(redirectUrl, HAR_LIMITS.url), url) : null;
  const error = typeof response._error === 'string' ? response._error : typeof entry._error === 'string' ? entry._error : null;
  const content = isObject(response.content) ? response.content : {};
  const size = finite(content.size) ?? finite(response.bodySize) ?? 0;
  const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : Number.NaN;
  const duration = finite(entry.time);
  const messages = Array.isArray(entry._eventSourceMessages) ? entry._eventSourceMessages : [];
  return {
    position,
    pageref: typeof entry.pageref === 'string' ? cap(entry.pageref, HAR_LIMITS.headerName) : null,
    startedMs: Number.isFinite(started) ? started : null,
    durationMs: duration !== null && duration >= 0 ? duration : null,
    waitMs: waitOf(entry.timings),
    method: cap(stringOr(request.method, 'GET'), HAR_LIMITS.headerName).toUpperCase(),
    url,
    requestHeaders,
    hasCookies: headerMapOf(requestHeaders).has('cookie') || (Array.isArray(request.cookies) && request.cookies.length > 0),
    status: rawStatus !== null && rawStatus > 0 ? Math.trunc(rawStatus) : null,
    statusText: cap(stringOr(response.statusText, ''), HAR_LIMITS.statusText),
    httpVersion: cap(stringOr(response.httpVersion, '') || stringOr(request.httpVersion, ''), HAR_LIMITS.statusText) || null,
    responseHeaders,
    mimeType: typeof content.mimeType === 'string' ? cap(content.mimeType, HAR_LIMITS.headerValue) : null,
    redirectTarget,
    bodyBytes: Math.max(0, size),
    error: error === null ? null : cap(error, HAR_LIMITS.statusText),
    resourceType: typeof entry._resourceType === 'string' ? entry._resourceType.toLowerCase() : null,
    messages,
  };
}

function isPreflight(entry: EntryView): boolean {
  return isPreflightRequest(entry.method, entry.requestHeaders);
}

function isStreamEntry(entry: EntryView): boolean {
  if (entry.method === 'OPTIONS') return false;
  if (entry.resourceType === 'eventsource') return true;
  return isEventStreamType(headerMapOf(entry.responseHeaders).get('content-type') ?? entry.mimeType) || acceptsEventStream(entry.requestHeaders);
}

function clientKindOf(entry: EntryView, customHeaders: HeaderList): ClientKind {
  if (entry.resourceType === 'eventsource') return 'eventsource';
  if (entry.resourceType === 'fetch' || entry.resourceType === 'xhr') return 'fetch';
  // EventSource can only GET with Accept: text/event-stream and cannot add a header.
  return entry.method === 'GET' && acceptsEventStream(entry.requestHeaders) && customHeaders.length === 0 ? 'eventsource' : 'fetch';
}

function pageOriginOf(first: EntryView, pageUrls: ReadonlyMap<string, string>): string {
  const headers = headerMapOf(first.requestHeaders);
  const origin = headers.get('origin');
  // `Origin: null` on the first hop is a page with an opaque origin (sandboxed iframe, data: URL).
  if (origin === 'null' || (origin !== null && originOf(origin) === origin)) return origin;
  const referer = headers.get('referer');
  if (referer !== null && originOf(referer) !== 'null') return originOf(referer);
  const pageUrl = first.pageref === null ? undefined : pageUrls.get(first.pageref);
  if (pageUrl !== undefined && originOf(pageUrl) !== 'null') return originOf(pageUrl);
  return originOf(first.url);
}

/** Binary search: index of the first entry of `list` (ascending positions) after `position`. */
function firstAfter(list: readonly EntryView[], position: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((list[mid] as EntryView).position <= position) low = mid + 1;
    else high = mid;
  }
  return low;
}

// How many same-URL candidates a lookup examines: keeps hostile files from making the pairing quadratic.
const SCAN_LIMIT = 64;

/** Entries in time order (`position` is the index), indexed by URL and redirect target. */
class EntryPool {
  private readonly used = new Set<number>();
  private readonly byUrl = new Map<string, EntryView[]>();
  private readonly byTarget = new Map<string, EntryView[]>();

  constructor(readonly entries: readonly EntryView[]) {
    for (const entry of entries) {
      push(this.byUrl, entry.url, entry);
      if (entry.redirectTarget !== null) push(this.byTarget, entry.redirectTarget, entry);
    }
  }

  take(entry: EntryView): void {
    this.used.add(entry.position);
  }

  free(entry: EntryView): boolean {
    return !this.used.has(entry.position);
  }

  /** The latest free request before `entry` that redirected to its URL. */
  redirectInto(entry: EntryView): EntryView | undefined {
    const list = this.byTarget.get(entry.url) ?? [];
    const stop = Math.max(0, firstAfter(list, entry.position - 1) - SCAN_LIMIT);
    for (let i = firstAfter(list, entry.position - 1) - 1; i >= stop; i--) {
      const candidate = list[i] as EntryView;
      if (candidate.position < entry.position && this.free(candidate) && candidate.method !== 'OPTIONS') return candidate;
    }
    return undefined;
  }

  /** The first free request for `url` after `entry`. */
  requestAfter(entry: EntryView, url: string): EntryView | undefined {
    const list = this.byUrl.get(url) ?? [];
    const begin = firstAfter(list, entry.position);
    for (let i = begin; i < Math.min(list.length, begin + SCAN_LIMIT); i++) {
      const candidate = list[i] as EntryView;
      if (this.free(candidate) && candidate.method !== 'OPTIONS') return candidate;
    }
    return undefined;
  }

  /** The request to the same URL just before `entry`, when it is a free CORS preflight. */
  preflightBefore(entry: EntryView): EntryView | undefined {
    const list = this.byUrl.get(entry.url) ?? [];
    // Any other request to this URL in between has its own preflight, not ours.
    const previous = list[firstAfter(list, entry.position - 1) - 1];
    return previous && isPreflight(previous) && this.free(previous) ? previous : undefined;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** One connection: [preflight?, redirect hops..., final], as entries. */
interface Chain {
  readonly hops: EntryView[];
  readonly preflights: Map<EntryView, EntryView>;
}

function buildChain(pool: EntryPool, start: EntryView): Chain {
  const hops: EntryView[] = [start];
  pool.take(start);
  // Backwards: a first hop without stream markers (a fetch without Accept, answered 302 text/html).
  for (let previous = pool.redirectInto(start); previous; previous = pool.redirectInto(previous)) {
    pool.take(previous);
    hops.unshift(previous);
  }
  // Forwards: follow each redirect to the next request for its target.
  for (let last = start; last.redirectTarget !== null; ) {
    const next = pool.requestAfter(last, last.redirectTarget);
    if (!next) break;
    pool.take(next);
    hops.push(next);
    last = next;
  }
  const preflights = new Map<EntryView, EntryView>();
  for (const hop of hops) {
    const preflight = pool.preflightBefore(hop);
    if (!preflight) continue;
    pool.take(preflight);
    preflights.set(hop, preflight);
  }
  return { hops, preflights };
}

function chainEnd(chain: Chain): number | null {
  const last = chain.hops.at(-1);
  if (!last || last.startedMs === null) return null;
  return last.durationMs === null ? null : last.startedMs + last.durationMs;
}

function bodyEndOf(entry: EntryView, lastAttempt: boolean, isFinal: boolean): BodyEnd {
  if (entry.error !== null) return entry.error === 'net::ERR_ABORTED' ? 'client' : 'network';
  if (entry.status === null) return 'network';
  if (!isFinal) return 'server';
  return lastAttempt ? null : 'server';
}

function exchangeOf(entry: EntryView, kind: ExchangeKind, attempt: number, origin: number, bodyEnd: BodyEnd): Exchange {
  const startedAt = entry.startedMs === null ? 0 : Math.max(0, entry.startedMs - origin);
  const responseAt = entry.status === null ? null : startedAt + (entry.waitMs ?? 0);
  return {
    kind,
    attempt,
    method: entry.method,
    url: entry.url,
    status: entry.status,
    statusText: entry.statusText,
    httpVersion: entry.httpVersion,
    requestHeaders: entry.requestHeaders,
    responseHeaders: entry.status === null ? [] : entry.responseHeaders,
    timing: {
      startedAt,
      responseAt,
      firstByteAt: responseAt,
      endedAt: bodyEnd === null || entry.durationMs === null ? null : startedAt + entry.durationMs,
    },
    bodyBytes: entry.bodyBytes,
    bodyEnd,
    // Status 0 is how HAR writers say "no response"; keep the writer's reason when it gave one.
    error: entry.status === null ? (entry.error ?? 'no response') : entry.error,
  };
}

const encoder = new TextEncoder();

/**
 * Chromium's `_eventSourceMessages`: `{ time, eventName, eventId, data }`, time in seconds on the
 * browser's monotonic clock, which a HAR gives no way to line up with `startedDateTime`. Epoch-like
 * times are used as wall-clock; otherwise the first message is placed when the response arrived.
 */
function eventsOf(entry: EntryView, attempt: number, responseAt: number, origin: number, room: number): { events: StreamEvent[]; dropped: number } {
  const events: StreamEvent[] = [];
  let dropped = 0;
  let base: number | null = null;
  for (const message of entry.messages) {
    if (!isObject(message)) continue;
    if (events.length >= room) {
      dropped += 1;
      continue;
    }
    const time = finite(message.time);
    let at = responseAt;
    if (time !== null) {
      if (time > 1e9) at = Math.max(0, time * 1000 - origin);
      else {
        base ??= time;
        at = responseAt + Math.max(0, (time - base) * 1000);
      }
    }
    const rawData = stringOr(message.data, '');
    const type = cap(stringOr(message.eventName, '') || stringOr(message.type, '') || 'message', HAR_LIMITS.eventField);
    const rawId = stringOr(message.eventId, '') || stringOr(message.id, '');
    // Size of the event as the server would have framed it: `event:`, `data:` lines, `id:`, blank line.
    const framing = (type === 'message' ? 0 : type.length + 8) + (rawId ? rawId.length + 5 : 0) + rawData.split('\n').length * 7 + 1;
    events.push({
      at,
      attempt,
      type,
      data: cap(rawData, HAR_LIMITS.eventData),
      id: rawId ? cap(rawId, HAR_LIMITS.eventField) : null,
      size: encoder.encode(rawData).length + framing,
    });
  }
  return { events, dropped };
}

function credentialsOf(chains: readonly Chain[], pageOrigin: string): CredentialsMode {
  const crossOriginCookies = chains.some((chain) => chain.hops.some((hop) => hop.hasCookies && !isSameOrigin(originOf(hop.url), pageOrigin)));
  return crossOriginCookies ? 'include' : 'same-origin';
}

function recordOf(chains: readonly Chain[], pageUrls: ReadonlyMap<string, string>, id: string): StreamRecord {
  const first = (chains[0] as Chain).hops[0] as EntryView;
  const origin = first.startedMs ?? 0;
  const pageOrigin = pageOriginOf(first, pageUrls);
  const customHeaders = first.requestHeaders.filter(([name]) => !isBrowserHeader(name));
  const kind = clientKindOf(first, customHeaders);
  const exchanges: Exchange[] = [];
  const events: StreamEvent[] = [];
  let droppedEvents = 0;
  let observedEnd = 0;
  chains.forEach((chain, i) => {
    const attempt = i + 1;
    const lastAttempt = i === chains.length - 1;
    chain.hops.forEach((hop, h) => {
      const preflight = chain.preflights.get(hop);
      if (preflight) exchanges.push(exchangeOf(preflight, 'preflight', attempt, origin, 'server'));
      const isFinal = h === chain.hops.length - 1;
      const kindOfHop: ExchangeKind = hop.redirectTarget !== null ? 'redirect' : 'response';
      const exchange = exchangeOf(hop, kindOfHop, attempt, origin, bodyEndOf(hop, lastAttempt, isFinal));
      exchanges.push(exchange);
      observedEnd = Math.max(observedEnd, exchange.timing.endedAt ?? exchange.timing.startedAt + (hop.durationMs ?? 0));
      if (isFinal) {
        const kept = eventsOf(hop, attempt, exchange.timing.responseAt ?? exchange.timing.startedAt, origin, HAR_LIMITS.eventsPerStream - events.length);
        events.push(...kept.events);
        droppedEvents += kept.dropped;
      }
    });
  });
  events.sort((a, b) => a.at - b.at);
  return {
    id,
    url: first.url,
    pageOrigin,
    client: {
      kind,
      credentials: credentialsOf(chains, pageOrigin),
      method: first.method,
      headers: kind === 'eventsource' ? [] : customHeaders,
    },
    exchanges,
    readyStates: [],
    events,
    droppedEvents,
    retryValues: [],
    observedFor: first.startedMs === null ? null : observedEnd,
    originProbes: [],
  };
}

function pageUrlsOf(log: Json): Map<string, string> {
  const urls = new Map<string, string>();
  if (!Array.isArray(log.pages)) return urls;
  for (const page of log.pages.slice(0, HAR_LIMITS.entries)) {
    // Chrome titles a page with its URL; Firefox with the document title, which will not parse.
    if (isObject(page) && typeof page.id === 'string' && typeof page.title === 'string') urls.set(page.id, cap(page.title, HAR_LIMITS.url));
  }
  return urls;
}

/** Reads the event streams out of a parsed HAR file; throws `HarError` when it is not a HAR at all. */
export function recordsFromHar(har: unknown): HarImport {
  if (!isObject(har)) throw new HarError('not a HAR file: expected a JSON object');
  if (!isObject(har.log)) throw new HarError('not a HAR file: no "log" object');
  const rawEntries = har.log.entries;
  if (rawEntries === undefined) throw new HarError('not a HAR file: no "log.entries"');
  if (!Array.isArray(rawEntries)) throw new HarError('not a HAR file: "log.entries" is not an array');

  let skipped = Math.max(0, rawEntries.length - HAR_LIMITS.entries);
  const views: EntryView[] = [];
  rawEntries.slice(0, HAR_LIMITS.entries).forEach((raw, index) => {
    const view = readEntry(raw, index);
    if (view) views.push(view);
    else skipped += 1;
  });
  // Time order when every entry has a time; HAR writers usually sort already, keep theirs otherwise.
  if (views.every((v) => v.startedMs !== null)) views.sort((a, b) => (a.startedMs as number) - (b.startedMs as number) || a.position - b.position);
  const ordered = views.map((view, position) => ({ ...view, position }));
  const pool = new EntryPool(ordered);

  const streams: { key: string; chains: Chain[] }[] = [];
  const latest = new Map<string, { key: string; chains: Chain[] }>();
  for (const entry of ordered) {
    if (!pool.free(entry) || !isStreamEntry(entry)) continue;
    const chain = buildChain(pool, entry);
    const head = chain.hops[0] as EntryView;
    const key = `${head.pageref ?? ''}\u0000${head.url}`;
    const start = head.startedMs;
    // A reconnect starts after the previous attempt ended; an overlapping entry is another stream.
    const open = latest.get(key);
    const previousEnd = open ? chainEnd(open.chains.at(-1) as Chain) : null;
    const overlaps = start !== null && previousEnd !== null && start + 1000 < previousEnd;
    if (open && !overlaps && open.chains.length < HAR_LIMITS.attemptsPerStream) open.chains.push(chain);
    else {
      const created = { key, chains: [chain] };
      streams.push(created);
      latest.set(key, created);
    }
  }
  const pageUrls = pageUrlsOf(har.log);
  return { records: streams.map((s, i) => recordOf(s.chains, pageUrls, `har-${i + 1}`)), skipped };
}
