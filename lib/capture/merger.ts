import { analyzeStream } from '../engine';
import { headerMapOf, type HeaderList } from '../model/headers';
import { originOf } from '../model/origin';
import type { BodyEnd, ClientRequest, Exchange, ExchangeKind, ReadyStateTransition, StreamEvent, StreamRecord } from '../model/record';
import type { CapturedStream, CaptureSource, ObservedOutcome } from './captured';
import { recordsFromHar } from './har';
import type { HarEntrySummary } from './har-entry';
import { assertNever, type CaptureObservation, type PageHookMessage } from './protocol';
import { retryLoopOf } from './retry-loop';
import { acceptsEventStream, isBrowserHeader, isPreflightRequest } from './stream-markers';
import type { WebRequestObservation } from './web-request';

/**
 * Joins one tab's observations from the three capture sources into one `CapturedStream` per
 * logical stream (per frame):
 *
 * - webRequest gives the wire: each request (`requestId`, kept across its redirect hops), its
 *   preflight (a separate OPTIONS request), headers as sent and received, how it ended.
 * - The page hook gives the page's view: which object (EventSource or fetch), its credentials
 *   mode and the headers the page set, readyState transitions, the events.
 * - devtools.network HAR entries give events where the hook could not run, and streams that
 *   webRequest missed.
 *
 * Joining rules, all within one frame:
 * - a preflight belongs to the stream request to the same URL that started nearest to it (in
 *   Chromium the request is seen to start before its preflight);
 * - a request belongs to the latest hook stream for one of its URLs that was created before it
 *   started and not finished by then (a fetch stream takes one request; an EventSource one per
 *   reconnect attempt);
 * - requests no hook stream claims group by URL: a request that starts after the previous one
 *   ended is its next attempt, an overlapping one another stream (as the HAR adapter does);
 * - a HAR entry adds events to the request it matches (same URL, start within a second).
 *
 * The state is kept incrementally (append-only arrays per request and hook stream); the grouping
 * is recomputed per `apply`, which is cheap next to building records, and records are rebuilt
 * only for the streams whose inputs changed.
 */

export interface MergerOptions {
  /** The browser the capture runs in: decides how an ambiguous failure is named (blocked or failed). */
  readonly browser: 'chromium' | 'firefox';
  /** Streams kept per tab; later ones are counted in `droppedStreams`. */
  readonly maxStreams?: number;
  /** Events kept per stream (the hook's own bound is 10,000 too). */
  readonly maxEventsPerStream?: number;
  /** Epoch ms when the DevTools window opened, for `beforeDevtools`; null when unknown. */
  readonly devtoolsOpenedAt?: number | null;
}

interface Hop {
  readonly url: string;
  readonly method: string;
  readonly startAt: number;
  requestHeaders: HeaderList;
  responseAt: number | null;
  status: number | null;
  statusLine: string;
  responseHeaders: HeaderList;
  redirectUrl: string | null;
  redirectAt: number | null;
}

interface RequestTrace {
  readonly requestId: string;
  readonly frameId: number;
  readonly resourceType: string;
  readonly initiator: string | null;
  readonly hops: Hop[];
  endAt: number | null;
  completed: boolean;
  error: string | null;
  revision: number;
}

interface HookEvent {
  readonly at: number;
  readonly attempt: number;
  readonly type: string;
  readonly data: string;
  readonly id: string | null;
  readonly size: number;
}

interface HookStream {
  readonly key: string;
  readonly frameId: number;
  readonly kind: 'eventsource' | 'fetch';
  readonly url: string;
  readonly createdAt: number;
  readonly client: ClientRequest;
  readonly readyStates: { at: number; state: 0 | 1 | 2; attempt: number }[];
  readonly events: HookEvent[];
  /** Body bytes per attempt (index 1 is the first), summed as events arrive. */
  readonly bytesByAttempt: number[];
  /**
   * The events as the record shows them (times from the stream's start), built once per event:
   * a firehose merge then costs what arrived since the last one, not the whole stream.
   */
  shifted: { readonly t0: number; readonly events: StreamEvent[] } | null;
  attempt: number;
  dropped: number;
  /** When the page closed it while it was still working (a close after a failure changes nothing). */
  closedAt: number | null;
  failedAt: number | null;
  /** Status of a fetch stream's response as the page got it. */
  fetchStatus: number | null;
  endedAt: number | null;
  lastAt: number;
  revision: number;
}

interface Group {
  readonly frameId: number;
  hook: HookStream | null;
  readonly traces: RequestTrace[];
  readonly preflights: Map<RequestTrace, RequestTrace>;
}

const isPreflightTrace = (trace: RequestTrace): boolean => {
  const first = trace.hops[0];
  return first !== undefined && isPreflightRequest(first.method, first.requestHeaders);
};

/** Errors that mean the page (or the browser on its behalf) cancelled the request. */
const CLIENT_ABORTS = new Set(['net::ERR_ABORTED', 'NS_BINDING_ABORTED', 'NS_ERROR_ABORT']);
/** How each browser's webRequest reports a CORS failure (browser-facts.md section 8). */
const CORS_ERRORS = new Set(['net::ERR_FAILED', 'NS_ERROR_DOM_BAD_URI']);
// Page and browser clocks are both epoch-based but not the same clock: allow this much skew.
const CLOCK_SKEW_MS = 50;

export interface MergeResult {
  /** Streams that changed (or appeared) in this `apply`. */
  readonly changed: readonly CapturedStream[];
  /** Keys of streams that no longer exist (merged into another after late data). */
  readonly removed: readonly string[];
}

export class CaptureMerger {
  private readonly traces = new Map<string, RequestTrace>();
  private readonly hooks = new Map<string, HookStream>();
  private readonly harEntries: HarEntrySummary[] = [];
  private readonly built = new Map<string, { signature: string; stream: CapturedStream }>();
  private readonly sources = new Map<string, Set<CaptureSource>>();
  private harRevision = 0;
  private clock = 0;
  /** Streams beyond `maxStreams`. */
  droppedStreams = 0;

  constructor(private readonly options: MergerOptions) {}

  /** All current streams, oldest first. */
  get streams(): CapturedStream[] {
    return [...this.built.values()].map((b) => b.stream).sort((a, b) => a.startedAt - b.startedAt);
  }

  apply(observations: readonly CaptureObservation[]): MergeResult {
    for (const observation of observations) this.ingest(observation);
    return this.rebuild();
  }

  private ingest(observation: CaptureObservation): void {
    this.clock++;
    switch (observation.source) {
      case 'web-request':
        this.ingestWebRequest(observation.frameId, observation.observation);
        return;
      case 'page-hook':
        this.ingestHook(observation.frameId, observation.document, observation.message);
        return;
      case 'devtools-network':
        this.harEntries.push(observation.entry);
        this.harRevision = this.clock;
        return;
      case 'relay':
        return;
    }
  }

  private ingestWebRequest(frameId: number, o: WebRequestObservation): void {
    let trace = this.traces.get(o.requestId);
    if (o.phase === 'start') {
      const hop: Hop = { url: o.url, method: o.method, startAt: o.at, requestHeaders: [], responseAt: null, status: null, statusLine: '', responseHeaders: [], redirectUrl: null, redirectAt: null };
      if (trace) trace.hops.push(hop);
      else {
        trace = { requestId: o.requestId, frameId, resourceType: o.resourceType, initiator: o.initiator, hops: [hop], endAt: null, completed: false, error: null, revision: this.clock };
        this.traces.set(o.requestId, trace);
      }
      trace.revision = this.clock;
      return;
    }
    const hop = trace?.hops.at(-1);
    if (!trace || !hop) return;
    trace.revision = this.clock;
    switch (o.phase) {
      case 'request-headers':
        hop.requestHeaders = o.headers;
        return;
      case 'response-headers':
        hop.responseAt = o.at;
        hop.status = o.status;
        hop.statusLine = o.statusLine;
        hop.responseHeaders = o.headers;
        return;
      case 'redirect':
        hop.redirectUrl = o.redirectUrl;
        hop.redirectAt = o.at;
        return;
      case 'completed':
        trace.completed = true;
        trace.endAt = o.at;
        return;
      case 'error':
        trace.error = o.error;
        trace.endAt = o.at;
        return;
    }
  }

  private ingestHook(frameId: number, document: string, message: PageHookMessage): void {
    if (message.type === 'streams-dropped') return;
    const key = `h:${document}:${message.streamId}`;
    if (message.type === 'stream-created') {
      if (this.hooks.has(key)) return;
      const client: ClientRequest =
        message.kind === 'eventsource'
          ? { kind: 'eventsource', credentials: message.withCredentials ? 'include' : 'same-origin', method: 'GET', headers: [] }
          : { kind: 'fetch', credentials: message.credentials, method: message.method.toUpperCase(), headers: message.requestHeaders.filter(([name]) => !isBrowserHeader(name)) };
      this.hooks.set(key, {
        key, frameId, kind: message.kind, url: message.url, createdAt: message.at, client,
        readyStates: [], events: [], bytesByAttempt: [], shifted: null, attempt: 1, dropped: 0, closedAt: null, failedAt: null, fetchStatus: null, endedAt: null,
        lastAt: message.at, revision: this.clock,
      });
      return;
    }
    const hook = this.hooks.get(key);
    if (!hook) return;
    hook.revision = this.clock;
    if ('at' in message) hook.lastAt = Math.max(hook.lastAt, message.at);
    switch (message.type) {
      case 'ready-state': {
        const previous = hook.readyStates.at(-1);
        // CONNECTING again after OPEN (or after a failed attempt's error) is the next attempt.
        if (message.state === 0 && previous !== undefined && previous.state !== 2) hook.attempt++;
        if (message.state === 2 && hook.closedAt === null) hook.failedAt = message.at;
        hook.readyStates.push({ at: message.at, state: message.state, attempt: hook.attempt });
        return;
      }
      case 'message': {
        if (hook.events.length >= (this.options.maxEventsPerStream ?? 10_000)) {
          hook.dropped++;
          return;
        }
        hook.events.push({ at: message.at, attempt: hook.attempt, type: message.event, data: message.data, id: message.lastEventId === '' ? null : message.lastEventId, size: message.size });
        hook.bytesByAttempt[hook.attempt] = (hook.bytesByAttempt[hook.attempt] ?? 0) + message.size;
        return;
      }
      case 'closed-by-page':
        if (hook.failedAt === null && hook.endedAt === null) hook.closedAt = message.at;
        return;
      case 'body-end':
        hook.endedAt = message.at;
        if (message.reason === 'error') hook.failedAt = message.at;
        return;
      case 'fetch-failed':
        // fetch() rejected before any response reached the page (CORS, preflight, network).
        hook.failedAt = message.at;
        return;
      case 'dropped':
        hook.dropped = Math.max(hook.dropped, message.count);
        return;
      case 'fetch-response':
        hook.fetchStatus = message.status;
        return;
      case 'open':
      case 'error':
        return;
      default:
        assertNever(message);
    }
  }

  // ---- Grouping ----

  private group(): Group[] {
    const traces = [...this.traces.values()].sort((a, b) => (a.hops[0]?.startAt ?? 0) - (b.hops[0]?.startAt ?? 0));
    const preflights = traces.filter(isPreflightTrace);
    const requests = traces.filter((t) => !isPreflightTrace(t));
    const hooks = [...this.hooks.values()].sort((a, b) => a.createdAt - b.createdAt);
    const groups: Group[] = [];
    const byHook = new Map<HookStream, Group>();
    const openByUrl = new Map<string, Group>();

    for (const trace of requests) {
      const start = trace.hops[0]?.startAt ?? 0;
      const urls = new Set(trace.hops.map((h) => h.url));
      let claimed: HookStream | null = null;
      for (let i = hooks.length - 1; i >= 0; i--) {
        const hook = hooks[i] as HookStream;
        if (hook.frameId !== trace.frameId || hook.createdAt > start + CLOCK_SKEW_MS || !urls.has(hook.url)) continue;
        const finishedAt = hook.closedAt ?? hook.failedAt ?? hook.endedAt;
        if (finishedAt !== null && finishedAt + CLOCK_SKEW_MS < start) continue;
        if (hook.kind === 'fetch' && byHook.get(hook)?.traces.length) continue;
        claimed = hook;
        break;
      }
      if (claimed) {
        let group = byHook.get(claimed);
        if (!group) {
          group = { frameId: trace.frameId, hook: claimed, traces: [], preflights: new Map() };
          byHook.set(claimed, group);
          groups.push(group);
        }
        group.traces.push(trace);
        continue;
      }
      // No hook stream: reconnect attempts of one stream follow each other; overlap means another stream.
      const urlKey = `${trace.frameId}\u0000${trace.hops[0]?.url ?? ''}`;
      const open = openByUrl.get(urlKey);
      const previous = open?.traces.at(-1);
      if (open && previous && previous.endAt !== null && previous.endAt <= start + 1000) open.traces.push(trace);
      else {
        const group: Group = { frameId: trace.frameId, hook: null, traces: [trace], preflights: new Map() };
        openByUrl.set(urlKey, group);
        groups.push(group);
      }
    }
    for (const hook of hooks) {
      if (byHook.has(hook)) continue;
      const group: Group = { frameId: hook.frameId, hook, traces: [], preflights: new Map() };
      byHook.set(hook, group);
      groups.push(group);
    }

    // Each preflight to the request that followed it; one that no request followed (the fetch
    // was refused at the preflight) to a hook fetch stream for that URL without a request.
    const taken = new Set<RequestTrace>();
    for (const preflight of preflights) {
      const url = preflight.hops[0]?.url;
      const start = preflight.hops[0]?.startAt ?? 0;
      let best: { group: Group; trace: RequestTrace } | null = null;
      for (const group of groups) {
        if (group.frameId !== preflight.frameId) continue;
        for (const trace of group.traces) {
          const first = trace.hops[0];
          // Chromium starts the request (webRequest onBeforeRequest) before its preflight: pair by
          // the nearest start, among requests still running when the preflight began.
          if (!first || first.url !== url || taken.has(trace) || (trace.endAt !== null && trace.endAt < start)) continue;
          const distance = Math.abs(first.startAt - start);
          if (!best || distance < Math.abs((best.trace.hops[0]?.startAt ?? Infinity) - start)) best = { group, trace };
        }
      }
      if (best) {
        taken.add(best.trace);
        best.group.preflights.set(best.trace, preflight);
        continue;
      }
      const hookGroup = groups.find((g) => g.hook?.kind === 'fetch' && g.traces.length === 0 && g.frameId === preflight.frameId && g.hook.url === url && g.hook.createdAt <= start + CLOCK_SKEW_MS);
      if (hookGroup) {
        hookGroup.traces.push(preflight);
        hookGroup.preflights.set(preflight, preflight);
      }
    }
    return groups;
  }

  private keyOf(group: Group): string {
    const first = group.traces[0];
    return first ? `r:${first.requestId}` : (group.hook?.key ?? 'empty');
  }

  private rebuild(): MergeResult {
    const groups = this.group();
    const changed: CapturedStream[] = [];
    const seen = new Set<string>();
    const maxStreams = this.options.maxStreams ?? 500;
    let kept = 0;
    this.droppedStreams = 0;
    for (const group of groups) {
      if (kept >= maxStreams) {
        this.droppedStreams++;
        continue;
      }
      kept++;
      const key = this.keyOf(group);
      seen.add(key);
      const har = this.harFor(group);
      const signature = [
        group.hook?.revision ?? -1,
        ...group.traces.map((t) => `${t.requestId}@${t.revision}`),
        ...[...group.preflights.values()].map((t) => `${t.requestId}@${t.revision}`),
        har.length,
      ].join(',');
      const previous = this.built.get(key);
      if (previous?.signature === signature) continue;
      const stream = this.buildStream(key, group, har, (previous?.stream.revision ?? 0) + 1, previous?.stream.record.events);
      this.built.set(key, { signature, stream });
      changed.push(stream);
    }
    // HAR entries that match no request: streams only devtools.network saw.
    const orphans = this.orphanHarEntries(groups);
    if (orphans.length > 0) {
      const { records } = recordsFromHar({ log: { entries: orphans } });
      const perUrl = new Map<string, number>();
      for (const record of records) {
        const nth = (perUrl.get(record.url) ?? 0) + 1;
        perUrl.set(record.url, nth);
        const key = `a:${record.url}#${nth}`;
        seen.add(key);
        const signature = `har:${this.harRevision}`;
        const previous = this.built.get(key);
        if (previous?.signature === signature) continue;
        const startedAt = Date.parse(orphans.find((e) => e.request.url === record.url)?.startedDateTime ?? '') || 0;
        const stream = this.finish(key, 0, (previous?.stream.revision ?? 0) + 1, startedAt, startedAt + (record.observedFor ?? 0), ['devtools-network'], record, null);
        this.built.set(key, { signature, stream });
        changed.push(stream);
      }
    }
    const removed: string[] = [];
    for (const key of this.built.keys()) {
      if (!seen.has(key)) {
        this.built.delete(key);
        removed.push(key);
      }
    }
    return { changed, removed };
  }

  private harFor(group: Group): HarEntrySummary[] {
    if (this.harEntries.length === 0) return [];
    return this.harEntries.filter((entry) => group.traces.some((trace) => matchesHar(trace, entry)));
  }

  private orphanHarEntries(groups: readonly Group[]): HarEntrySummary[] {
    if (this.harEntries.length === 0) return [];
    const traces = groups.flatMap((g) => [...g.traces, ...g.preflights.values()]);
    // Entries the hook or webRequest saw are not orphans, nor are preflights on their own.
    return this.harEntries.filter((entry) => !traces.some((trace) => matchesHar(trace, entry)) && !this.traceExistsFor(entry) && !refusedAtPreflight(groups, entry));
  }

  private traceExistsFor(entry: HarEntrySummary): boolean {
    for (const trace of this.traces.values()) if (matchesHar(trace, entry)) return true;
    return false;
  }

  // ---- Records ----

  private buildStream(key: string, group: Group, har: readonly HarEntrySummary[], revision: number, previousEvents?: readonly StreamEvent[]): CapturedStream {
    const hook = group.hook;
    const firstTrace = group.traces[0];
    const firstPreflight = firstTrace ? group.preflights.get(firstTrace) : undefined;
    const startedAt = Math.min(hook?.createdAt ?? Infinity, firstPreflight?.hops[0]?.startAt ?? Infinity, firstTrace?.hops[0]?.startAt ?? Infinity);
    const t0 = Number.isFinite(startedAt) ? startedAt : 0;
    const exchanges: Exchange[] = [];
    const realTraces = group.traces.filter((t) => !isPreflightTrace(t));
    let lastAt = hook?.lastAt ?? t0;
    group.traces.forEach((trace, index) => {
      const attempt = index + 1;
      const preflight = group.preflights.get(trace);
      if (preflight) {
        exchanges.push(...exchangesOf(preflight, 'preflight', attempt, t0, false, 0));
        lastAt = Math.max(lastAt, preflight.endAt ?? preflight.hops[0]?.startAt ?? t0);
      }
      if (preflight === trace) return;
      const isLast = trace === realTraces.at(-1);
      const bytes = hook ? (hook.bytesByAttempt[attempt] ?? 0) : harBytes(har, trace);
      exchanges.push(...exchangesOf(trace, 'response', attempt, t0, isLast, bytes));
      lastAt = Math.max(lastAt, trace.endAt ?? trace.hops.at(-1)?.responseAt ?? trace.hops.at(-1)?.startAt ?? t0);
    });

    const first = (firstPreflight ?? firstTrace)?.hops[0];
    const requestHeaders = firstTrace?.hops[0]?.requestHeaders ?? [];
    const client: ClientRequest = hook?.client ?? guessClient(firstTrace, requestHeaders);
    const pageOrigin = pageOriginOf(firstTrace ?? firstPreflight, requestHeaders, hook?.url ?? first?.url ?? '');

    let events: StreamEvent[];
    let droppedEvents = 0;
    if (hook && (hook.events.length > 0 || har.length === 0)) {
      events = shiftedEvents(hook, t0, previousEvents);
      droppedEvents = hook.dropped;
    } else {
      // No hook (Firefox today, or a frame it did not reach): events as devtools.network saw them.
      const fromHar = har.length > 0 ? recordsFromHar({ log: { entries: har } }).records : [];
      events = fromHar.flatMap((record) => record.events.map((e) => ({ ...e, at: e.at + ((Date.parse(har[0]?.startedDateTime ?? '') || t0) - t0) })));
      droppedEvents = fromHar.reduce((n, r) => n + r.droppedEvents, 0);
    }

    const readyStates: ReadyStateTransition[] = hook ? hook.readyStates.map((r) => ({ at: r.at - t0, state: r.state, attempt: r.attempt })) : [];
    const record: StreamRecord = {
      id: key,
      url: hook?.kind === 'eventsource' ? hook.url : (first?.url ?? hook?.url ?? ''),
      pageOrigin,
      client,
      exchanges,
      readyStates,
      events,
      droppedEvents,
      retryValues: [],
      observedFor: Math.max(0, lastAt - t0),
      originProbes: [],
    };
    const sources: CaptureSource[] = [];
    if (group.traces.length > 0) sources.push('web-request');
    if (har.length > 0) sources.push('devtools-network');
    if (hook) sources.push('page-hook');
    return this.finish(key, group.frameId, revision, t0, lastAt, sources, record, hook);
  }

  private finish(key: string, frameId: number, revision: number, startedAt: number, lastActivityAt: number, sources: CaptureSource[], record: StreamRecord, hook: HookStream | null): CapturedStream {
    const analysis = analyzeStream(record);
    const verdict = analysis.verdicts[this.options.browser];
    const devtoolsOpenedAt = this.options.devtoolsOpenedAt ?? null;
    return {
      key,
      frameId,
      revision,
      startedAt,
      lastActivityAt,
      observed: observedOutcome(record, hook, verdict.outcome),
      sources,
      beforeDevtools: devtoolsOpenedAt !== null && startedAt < devtoolsOpenedAt,
      retryLoop: retryLoopOf(record, analysis),
      record,
      analysis,
    };
  }
}

/**
 * A fetch the hook saw fail with no response and no request sent (refused at its preflight):
 * DevTools still lists that request (status 0, "CORS error"), and it is this stream's, not a
 * stream of its own.
 */
function refusedAtPreflight(groups: readonly Group[], entry: HarEntrySummary): boolean {
  const started = Date.parse(entry.startedDateTime);
  return groups.some(({ hook, traces }) =>
    hook?.kind === 'fetch' && hook.failedAt !== null && hook.fetchStatus === null && hook.url === entry.request.url && hook.client.method === entry.request.method
    && traces.every(isPreflightTrace) && Math.abs(hook.createdAt - started) < 1000);
}

/**
 * A hook stream's events relative to `t0`. New events are shifted once and appended to the cache;
 * the record gets its own copy of the array (pointers only), so a record handed out earlier never
 * changes. When nothing arrived since `previous` (say only the dropped count moved), `previous`
 * itself is returned: the panel sees the same array and redoes nothing that depends on it.
 */
function shiftedEvents(hook: HookStream, t0: number, previous: readonly StreamEvent[] | undefined): StreamEvent[] {
  if (hook.shifted?.t0 !== t0) hook.shifted = { t0, events: [] };
  const cache = hook.shifted.events;
  for (let i = cache.length; i < hook.events.length; i++) {
    const event = hook.events[i] as HookEvent;
    cache.push({ ...event, at: event.at - t0 });
  }
  if (previous && previous.length === cache.length && previous[0] === cache[0] && previous.at(-1) === cache.at(-1)) return previous as StreamEvent[];
  return cache.slice();
}

function matchesHar(trace: RequestTrace, entry: HarEntrySummary): boolean {
  const started = Date.parse(entry.startedDateTime);
  return trace.hops.some((hop) => hop.url === entry.request.url && hop.method === entry.request.method && Math.abs(hop.startAt - started) < 1000);
}

function harBytes(har: readonly HarEntrySummary[], trace: RequestTrace): number {
  return har.filter((entry) => matchesHar(trace, entry)).reduce((n, entry) => n + entry.response.content.size, 0);
}

function parseStatusLine(line: string): { httpVersion: string | null; statusText: string } {
  const match = /^(\S+)\s+\d{3}\s?(.*)$/.exec(line);
  return match ? { httpVersion: match[1] ?? null, statusText: match[2] ?? '' } : { httpVersion: null, statusText: '' };
}

function exchangesOf(trace: RequestTrace, finalKind: ExchangeKind, attempt: number, t0: number, lastAttempt: boolean, bytes: number): Exchange[] {
  return trace.hops.map((hop, index) => {
    const isFinal = index === trace.hops.length - 1;
    const kind: ExchangeKind = !isFinal || hop.redirectUrl !== null ? (finalKind === 'preflight' ? 'preflight' : 'redirect') : finalKind;
    const { httpVersion, statusText } = parseStatusLine(hop.statusLine);
    // Same meanings as the HAR adapter's: the engine reads both the same way.
    let bodyEnd: BodyEnd = null;
    let error: string | null = null;
    let endedAt: number | null = null;
    if (!isFinal) {
      bodyEnd = 'server';
      endedAt = hop.redirectAt;
    } else if (trace.error !== null) {
      error = trace.error;
      bodyEnd = CLIENT_ABORTS.has(trace.error) ? 'client' : 'network';
      endedAt = trace.endAt;
    } else if (trace.completed) {
      bodyEnd = 'server';
      endedAt = trace.endAt;
    } else if (!lastAttempt) {
      bodyEnd = 'server';
    }
    const startedAt = hop.startAt - t0;
    const responseAt = hop.responseAt === null ? null : hop.responseAt - t0;
    return {
      kind,
      attempt,
      method: hop.method,
      url: hop.url,
      status: hop.status,
      statusText,
      httpVersion,
      requestHeaders: hop.requestHeaders,
      responseHeaders: hop.responseHeaders,
      timing: { startedAt, responseAt, firstByteAt: responseAt, endedAt: endedAt === null ? null : endedAt - t0 },
      bodyBytes: isFinal ? bytes : 0,
      bodyEnd,
      error: hop.status === null && error === null && endedAt !== null ? 'no response' : error,
    };
  });
}

/** Without the hook: what the request itself says (EventSource can only GET and cannot add headers). */
function guessClient(trace: RequestTrace | undefined, headers: HeaderList): ClientRequest {
  const custom = headers.filter(([name]) => !isBrowserHeader(name));
  const method = trace?.hops[0]?.method ?? 'GET';
  const eventSource = method === 'GET' && acceptsEventStream(headers) && custom.length === 0;
  const origin = trace?.initiator ?? null;
  const crossOriginCookies = headerMapOf(headers).has('cookie') && origin !== null && originOf(trace?.hops[0]?.url ?? '') !== origin;
  return { kind: eventSource ? 'eventsource' : 'fetch', credentials: crossOriginCookies ? 'include' : 'same-origin', method, headers: eventSource ? [] : custom };
}

function pageOriginOf(trace: RequestTrace | undefined, headers: HeaderList, url: string): string {
  if (trace?.initiator) return trace.initiator;
  const origin = headerMapOf(headers).get('origin');
  if (origin !== null) return origin;
  return originOf(url);
}

/**
 * What the page experienced. The hook's readyStates are the page's own view; without them the
 * requests' fates are read the way the browser would (a CORS failure is `blocked`).
 */
function observedOutcome(record: StreamRecord, hook: HookStream | null, predicted: 'open' | 'blocked' | 'failed' | 'reconnecting'): ObservedOutcome {
  const last = record.exchanges.at(-1);
  const failure = (): ObservedOutcome => {
    const error = [...record.exchanges].reverse().find((e) => e.error !== null)?.error ?? null;
    if (error !== null && CORS_ERRORS.has(error)) return predicted === 'failed' ? 'failed' : 'blocked';
    return predicted === 'blocked' ? 'blocked' : 'failed';
  };
  if (hook) {
    if (hook.closedAt !== null) return 'closed';
    if (hook.kind === 'eventsource') {
      const state = hook.readyStates.at(-1)?.state ?? 0;
      if (state === 2) return failure();
      if (state === 1) return 'open';
      return hook.attempt > 1 ? 'reconnecting' : 'connecting';
    }
    if (hook.fetchStatus !== null) {
      // The page got a response: what follows is the body's fate, not a CORS matter. Chromium
      // reports a page's own abort of a fetch as net::ERR_FAILED, so only other errors are breaks.
      if (hook.fetchStatus < 200 || hook.fetchStatus > 299) return 'failed';
      if (hook.failedAt !== null) return last?.error && !CORS_ERRORS.has(last.error) && !CLIENT_ABORTS.has(last.error) ? 'failed' : 'closed';
      return hook.endedAt !== null ? 'closed' : 'open';
    }
    // fetch() rejected before a response (the hook's fetch-failed), or the request failed.
    return hook.failedAt !== null || last?.error ? failure() : 'connecting';
  }
  if (!last) return 'connecting';
  if (last.error !== null) return CLIENT_ABORTS.has(last.error) ? 'closed' : failure();
  if (last.status === null) return 'connecting';
  if (predicted === 'blocked' || predicted === 'failed') return predicted;
  if (last.bodyEnd === 'server') return record.client.kind === 'eventsource' ? 'reconnecting' : 'closed';
  const attempts = new Set(record.exchanges.map((e) => e.attempt)).size;
  return attempts > 1 && predicted === 'reconnecting' ? 'reconnecting' : 'open';
}
