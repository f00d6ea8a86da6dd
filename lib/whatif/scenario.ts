import { isRedirectStatus } from '../cors/facts';
import { isForbiddenRequestHeader, preflightRequirement } from '../cors/request-headers';
import { headerMapOf, isToken, type HeaderLine, type HeaderList } from '../model/headers';
import { isSameOrigin, originOf, parseUrl, resolveLocation } from '../model/origin';
import type { BodyEnd, ClientRequest, Exchange, StreamEvent, StreamRecord } from '../model/record';
import { parseHeaderText, type LineProblem } from './header-text';
import type { BodyBehaviour, ExchangeDraft, ExchangeSlot, WhatIfState } from './state';

/**
 * The record a what-if state stands for: one connection attempt built from the drafts, with the
 * request the browser would send for the edited client, and every input problem found on the way.
 * The engine reads this record exactly as it reads a capture.
 */

export interface ExchangeProblems {
  readonly slot: ExchangeSlot;
  /** Why the typed status is not used, or null. */
  readonly status: string | null;
  readonly headers: readonly LineProblem[];
}

export interface ScenarioProblems {
  readonly pageOrigin: string | null;
  /** Why the typed stream URL is not used (the captured one is meanwhile), or null. */
  readonly url: string | null;
  /** Why the typed fetch method is not used, or null. */
  readonly method: string | null;
  readonly requestHeaders: readonly LineProblem[];
  /** In the order of the drafts. */
  readonly exchanges: readonly ExchangeProblems[];
}

export interface Scenario {
  readonly record: StreamRecord;
  readonly problems: ScenarioProblems;
}

/** Body bytes assumed for a response that sends something when the capture counted none (it was cut). */
const ASSUMED_BODY_BYTES = 64;
const NO_RESPONSE_ERROR = 'net::ERR_EMPTY_RESPONSE';

export function pageOriginProblem(text: string): string | null {
  const value = text.trim();
  // Sandboxed iframes and data: pages have an opaque origin, sent as `null`.
  if (value === 'null') return null;
  const url = parseUrl(value);
  if (url === null) return 'not an origin: expected scheme://host[:port], e.g. https://app.example';
  if (url.origin === 'null') return `${url.protocol} pages have an opaque origin: type null`;
  if (url.origin !== value) return `not a serialized origin (no path, no trailing slash, lower case): ${url.origin}`;
  return null;
}

export function streamUrlProblem(text: string): string | null {
  const url = parseUrl(text.trim());
  if (url === null) return 'not a URL: expected an absolute http:// or https:// URL';
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} is not a scheme an event stream is fetched over: use http:// or https://`;
  return null;
}

// fetch() throws a TypeError for these before sending anything (Fetch standard, "forbidden method").
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
// fetch() upper-cases only these; any other method is sent exactly as written.
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** The method fetch() sends for the typed one, or why it sends none. */
export function fetchMethodOf(text: string): { method: string } | { problem: string } {
  const typed = text.trim();
  if (!isToken(typed)) return { problem: 'not a method: letters, digits and !#$%&\'*+-.^_`|~ only, e.g. GET or POST' };
  const upper = typed.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) return { problem: `fetch() refuses ${upper}: it throws before sending anything` };
  return { method: NORMALIZED_METHODS.has(upper) ? upper : typed };
}

export function statusProblem(text: string): string | null {
  const value = text.trim();
  if (value === '') return null;
  if (!/^\d{3}$/.test(value) || Number(value) < 100 || Number(value) > 599) return 'a status is three digits, 100 to 599 (empty: no response)';
  return null;
}

function requestHeadersOf(state: WhatIfState): { headers: HeaderList; problems: LineProblem[] } {
  const parsed = parseHeaderText(state.requestHeaders);
  // EventSource cannot set any header: the text is kept for switching back to fetch, and not sent.
  if (state.client === 'eventsource') return { headers: [], problems: [...parsed.problems] };
  const problems = [...parsed.problems];
  const headers: HeaderLine[] = [];
  parsed.headers.forEach((line, i) => {
    if (isForbiddenRequestHeader(line[0])) problems.push({ line: parsed.lineNumbers[i] ?? 0, reason: `${line[0]} cannot be set by a page: the browser drops it` });
    else headers.push(line);
  });
  problems.sort((a, b) => a.line - b.line);
  return { headers, problems };
}

function clientOf(state: WhatIfState, headers: HeaderList): { client: ClientRequest; methodProblem: string | null } {
  const captured = state.captured.client;
  const credentials = state.credentials ? 'include' : captured.credentials === 'omit' ? 'omit' : 'same-origin';
  // EventSource always GETs; a fetch sends the typed method (the captured one while it is not valid).
  if (state.client === 'eventsource') return { client: { kind: state.client, credentials, method: 'GET', headers }, methodProblem: null };
  const typed = fetchMethodOf(state.method);
  const fallback = captured.kind === 'fetch' ? captured.method : 'GET';
  const method = 'method' in typed ? typed.method : fallback;
  return { client: { kind: state.client, credentials, method, headers }, methodProblem: 'problem' in typed ? typed.problem : null };
}

/** The URL the page opens: the typed one when it is a URL, else the captured one. */
function streamUrlOf(state: WhatIfState): { url: string; edited: boolean; problem: string | null } {
  const typed = state.url.trim();
  if (typed === state.captured.url) return { url: state.captured.url, edited: false, problem: null };
  const problem = streamUrlProblem(typed);
  if (problem !== null) return { url: state.captured.url, edited: false, problem };
  const href = (parseUrl(typed) as { href: string }).href;
  return { url: href, edited: href !== state.captured.url, problem: null };
}

/** The headers the browser sends on each exchange, for evidence and the export. */
function requestLinesOf(client: ClientRequest, kind: Exchange['kind'], origin: string | null): HeaderLine[] {
  if (kind === 'preflight') {
    const requirement = preflightRequirement(client.kind, client.method, client.headers);
    const lines: HeaderLine[] = [['Access-Control-Request-Method', requirement.method]];
    if (requirement.headers.length > 0) lines.push(['Access-Control-Request-Headers', requirement.headers.join(',')]);
    return origin === null ? lines : [['Origin', origin], ...lines];
  }
  const lines: HeaderLine[] = client.kind === 'eventsource' ? [['Accept', 'text/event-stream'], ['Cache-Control', 'no-cache']] : [...client.headers];
  return origin === null ? lines : [...lines, ['Origin', origin]];
}

interface Body {
  readonly bodyBytes: number;
  readonly bodyEnd: BodyEnd;
  readonly error: string | null;
}

function finalBody(behaviour: BodyBehaviour, captured: Exchange | null, eventBytes: number): Body {
  const sent = Math.max(captured?.bodyBytes ?? 0, eventBytes) || ASSUMED_BODY_BYTES;
  switch (behaviour) {
    case 'streams':
      return { bodyBytes: sent, bodyEnd: null, error: null };
    case 'silent':
      return { bodyBytes: 0, bodyEnd: null, error: null };
    case 'ends':
      return { bodyBytes: sent, bodyEnd: 'server', error: null };
    case 'breaks':
      return { bodyBytes: sent, bodyEnd: 'network', error: captured?.bodyEnd === 'network' ? captured.error : 'net::ERR_CONNECTION_RESET' };
  }
}

const DEFAULT_TIMING = { startedAt: 0, responseAt: 5, firstByteAt: 5, endedAt: null } as const;

/** Exchange URLs as the hops lead: an edited Location moves every exchange after it. */
function urlsOf(state: WhatIfState, streamUrl: { url: string; edited: boolean }, statuses: readonly (number | null)[], headers: readonly HeaderList[]): string[] {
  const firstRequest = state.exchanges.find((d) => d.kind !== 'preflight');
  const start = streamUrl.edited ? streamUrl.url : (firstRequest?.captured?.url ?? state.captured.url);
  let current = start;
  return state.exchanges.map((draft, i) => {
    if (draft.kind === 'preflight') return start;
    const url = current;
    const location = headerMapOf(headers[i] ?? []).get('location');
    if (draft.kind === 'redirect' && isRedirectStatus(statuses[i]) && location !== null) current = resolveLocation(location, url) ?? current;
    return url;
  });
}

/**
 * The Origin the browser sends on each exchange, or null where the request is same-origin: the
 * page's, until a hop between two foreign origins taints it to `null` (Fetch standard, as walk.ts).
 */
export function requestOriginsOfRecord(record: StreamRecord): (string | null)[] {
  const page = record.pageOrigin;
  let attempt = Number.NaN;
  let cors = false;
  let tainted = false;
  return record.exchanges.map((exchange, index) => {
    // Each attempt (a replayed reconnect) starts again from the page's own request.
    if (exchange.attempt !== attempt) {
      attempt = exchange.attempt;
      const first = record.exchanges.slice(index).find((e) => e.attempt === attempt && e.kind !== 'preflight');
      cors = !isSameOrigin(originOf(first?.url ?? record.url), page);
      tainted = false;
    }
    if (exchange.kind === 'preflight') return cors ? page : null;
    const origin = cors ? (tainted ? 'null' : page) : null;
    const location = headerMapOf(exchange.responseHeaders).get('location');
    if (isRedirectStatus(exchange.status) && location !== null) {
      const next = resolveLocation(location, exchange.url);
      if (next !== null) {
        const from = originOf(exchange.url);
        const to = originOf(next);
        if (!isSameOrigin(from, to) && !isSameOrigin(page, from)) tainted = true;
        if (!isSameOrigin(to, page)) cors = true;
      }
    }
    return origin;
  });
}

export function scenarioOf(state: WhatIfState): Scenario {
  const { captured } = state;
  const originProblem = pageOriginProblem(state.pageOrigin);
  const pageOrigin = originProblem === null ? state.pageOrigin.trim() : captured.pageOrigin;
  const request = requestHeadersOf(state);
  const { client, methodProblem } = clientOf(state, request.headers);
  const streamUrl = streamUrlOf(state);

  const exchangeProblems: ExchangeProblems[] = [];
  const statuses: (number | null)[] = [];
  const responseHeaders: HeaderList[] = [];
  for (const draft of state.exchanges) {
    const problem = statusProblem(draft.status);
    const typed = draft.status.trim();
    // A status that does not parse leaves the captured one (or the usual one) in force.
    const fallback = draft.captured ? draft.captured.status : draft.kind === 'preflight' ? 204 : 200;
    statuses.push(problem !== null ? fallback : typed === '' ? null : Number(typed));
    const parsed = parseHeaderText(draft.headers);
    responseHeaders.push(parsed.headers);
    exchangeProblems.push({ slot: draft.slot, status: problem, headers: parsed.problems });
  }

  const replayed = reconnectingAttempts(state);
  const { events, bytesByAttempt } = state.body === 'silent' ? NO_EVENTS : eventsOf(captured, replayed ?? state.attempt);
  const urls = urlsOf(state, streamUrl, statuses, responseHeaders);
  const exchangesOf = (attempt: number, replayedFrom: number | null): Exchange[] => {
    const eventBytes = bytesByAttempt.get(replayedFrom ?? 1) ?? 0;
    return state.exchanges.map((draft, i) => {
      const status = statuses[i] ?? null;
      const seen = draft.captured;
      const asSeen = seen !== null && status === seen.status;
      const body: Body =
        // No response: as captured (still waiting, or its network error), or a server that closes the connection.
        status === null ? (asSeen ? { bodyBytes: 0, bodyEnd: seen.bodyEnd, error: seen.error } : { bodyBytes: 0, bodyEnd: 'network', error: NO_RESPONSE_ERROR })
        : draft.slot === 'final' ? finalBody(state.body, seen, eventBytes)
        // A hop keeps its captured error (a redirect the network layer refused to follow) while its status stands.
        : { bodyBytes: 0, bodyEnd: 'server', error: asSeen ? seen.error : null };
      return {
        kind: draft.kind,
        attempt,
        method: draft.kind === 'preflight' ? 'OPTIONS' : client.method,
        url: urls[i] as string,
        status,
        statusText: asSeen ? seen.statusText : '',
        httpVersion: seen?.httpVersion ?? 'HTTP/1.1',
        requestHeaders: [],
        responseHeaders: responseHeaders[i] ?? [],
        timing: replayedFrom === null ? (seen?.timing ?? DEFAULT_TIMING) : timingIn(captured, replayedFrom, draft, seen),
        ...body,
      };
    });
  };
  const exchanges = replayed ? replayed.flatMap((attempt) => exchangesOf(attempt, attempt)) : exchangesOf(1, null);

  const draftRecord: StreamRecord = {
    id: `${captured.id}#what-if`,
    url: streamUrl.url,
    pageOrigin,
    client,
    exchanges,
    readyStates: [],
    events,
    droppedEvents: 0,
    retryValues: captured.retryValues,
    observedFor: captured.observedFor,
    originProbes: captured.originProbes,
  };
  // Request lines need the origins, which need the exchanges' URLs and redirects: a second pass.
  const origins = requestOriginsOfRecord(draftRecord);
  const record: StreamRecord = {
    ...draftRecord,
    exchanges: exchanges.map((exchange, i) => ({ ...exchange, requestHeaders: requestLinesOf(client, exchange.kind, origins[i] ?? null) })),
  };
  return { record, problems: { pageOrigin: originProblem, url: streamUrl.problem, method: methodProblem, requestHeaders: request.problems, exchanges: exchangeProblems } };
}

interface ScenarioEvents {
  readonly events: readonly StreamEvent[];
  readonly bytesByAttempt: ReadonlyMap<number, number>;
}

const NO_EVENTS: ScenarioEvents = { events: [], bytesByAttempt: new Map() };
// A capture may hold 100,000 events: they are picked once per captured record, not on every keystroke.
const eventsCache = new WeakMap<StreamRecord, Map<string, ScenarioEvents>>();

/** The captured events of the replayed attempts as they are, or of one attempt renumbered as attempt 1. */
function eventsOf(record: StreamRecord, attempts: number | readonly number[]): ScenarioEvents {
  const key = typeof attempts === 'number' ? String(attempts) : attempts.join(',');
  let byKey = eventsCache.get(record);
  if (!byKey) {
    byKey = new Map();
    eventsCache.set(record, byKey);
  }
  const cached = byKey.get(key);
  if (cached) return cached;
  const events: StreamEvent[] = [];
  const bytesByAttempt = new Map<number, number>();
  for (const event of record.events) {
    const kept = typeof attempts === 'number' ? (event.attempt === attempts ? { ...event, attempt: 1 } : null) : attempts.includes(event.attempt) ? event : null;
    if (!kept) continue;
    events.push(kept);
    bytesByAttempt.set(kept.attempt, (bytesByAttempt.get(kept.attempt) ?? 0) + kept.size);
  }
  const picked = { events, bytesByAttempt };
  byKey.set(key, picked);
  return picked;
}

/**
 * The captured attempts to replay, when the edited server still ends (or breaks) every response
 * of an EventSource: it reconnects as it did, so the reconnect-loop findings keep their evidence.
 * Null for one attempt: a server that keeps the stream open gets no reconnects.
 */
function reconnectingAttempts(state: WhatIfState): number[] | null {
  if (state.client !== 'eventsource' || (state.body !== 'ends' && state.body !== 'breaks')) return null;
  const attempts = [...new Set(state.captured.exchanges.map((e) => e.attempt))].sort((a, b) => a - b);
  return attempts.length > 1 ? attempts : null;
}

/** The timing the draft's exchange had in another captured attempt: the same kind at the same place, or shifted by the attempts' start. */
function timingIn(record: StreamRecord, attempt: number, draft: ExchangeDraft, seen: Exchange | null): Exchange['timing'] {
  const ofAttempt = record.exchanges.filter((e) => e.attempt === attempt);
  const sameKind = ofAttempt.filter((e) => e.kind === draft.kind);
  const nth = draft.kind === 'redirect' ? Number(draft.slot.slice('redirect-'.length)) - 1 : sameKind.length - 1;
  const match = sameKind[nth];
  if (match) return match.timing;
  const base = seen?.timing ?? DEFAULT_TIMING;
  const shift = (ofAttempt[0]?.timing.startedAt ?? base.startedAt) - base.startedAt;
  const at = (t: number | null) => (t === null ? null : t + shift);
  return { startedAt: base.startedAt + shift, responseAt: at(base.responseAt), firstByteAt: at(base.firstByteAt), endedAt: at(base.endedAt) };
}

export function requestOriginsOf(state: WhatIfState): (string | null)[] {
  return requestOriginsOfRecord(scenarioOf(state).record);
}

/** The edited request is cross-origin and needs a preflight (fetch with unsafe headers or method). */
export function needsPreflight(state: WhatIfState): boolean {
  const { record } = scenarioOf(state);
  const requirement = preflightRequirement(record.client.kind, record.client.method, record.client.headers);
  return requirement.needed && !isSameOrigin(originOf(record.url), record.pageOrigin);
}

/** How many input problems the scenario has, for the editor's summary. */
export function problemCount(problems: ScenarioProblems): number {
  return (problems.pageOrigin ? 1 : 0) + (problems.url ? 1 : 0) + (problems.method ? 1 : 0) + problems.requestHeaders.length + problems.exchanges.reduce((n, e) => n + (e.status ? 1 : 0) + e.headers.length, 0);
}

export type { ExchangeDraft };
