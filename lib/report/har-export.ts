import { headerMapOf } from '../model/headers';
import type { HeaderPair, Report, ReportExchange, ReportStream } from './types';
import { prepared, type ExportOptions } from './view';

/**
 * HAR 1.2 of the report's streams: one entry per exchange (preflight, redirect hop, response of
 * each attempt), headers exactly as captured, and the messages twice on the response that
 * delivered them: as `_eventSourceMessages` (`{ time, eventName, eventId, data }`, which
 * `sse-inspector analyze` reads, lib/capture/har.ts) and as the response body in
 * `content.text`, framed as the server sent them. Chrome's and Firefox's DevTools read no
 * EventSource field from a HAR (devtools-frontend's HAR importer knows only
 * `_webSocketMessages`; Firefox's netmonitor importer only the standard fields), but both show the
 * body, so that is where the messages survive an import there (test/report-browser/devtools-har.test.ts).
 *
 * A HAR cannot say everything a stream record holds (the client's credentials mode, readyStates,
 * exact timings, `retry:` values), so the file also carries an `_sseInspector` object, HAR's
 * extension convention (custom fields start with `_`), that lib/report/import.ts uses to restore
 * the stream exactly. Other readers ignore it.
 */

export const HAR_EXTENSION_VERSION = 1;

/** Per stream, what the HAR entries cannot carry. Entries point back with `_sseInspector.stream`. */
export interface HarStreamExtension {
  readonly id: string;
  readonly pageOrigin: string;
  readonly client: ReportStream['client'];
  readonly readyStates: ReportStream['readyStates'];
  readonly retryValues: readonly number[];
  readonly observedFor: number | null;
  readonly droppedEvents: number;
  readonly eventsOmitted: number;
  readonly originProbes: NonNullable<ReportStream['originProbes']>;
  readonly startedAt?: string;
  readonly observed?: ReportStream['observed'];
  readonly exchanges: readonly Pick<ReportExchange, 'kind' | 'method' | 'attempt' | 'timing' | 'bodyEnd' | 'error'>[];
  readonly events: readonly { readonly at: number; readonly attempt: number; readonly size: number; readonly dataTruncated: boolean }[];
}

export interface HarExtension {
  readonly version: typeof HAR_EXTENSION_VERSION;
  readonly redacted: boolean;
  readonly streams: readonly HarStreamExtension[];
}

function headersOf(list: readonly HeaderPair[]) {
  return list.map(([name, value]) => ({ name, value }));
}

function queryOf(url: string) {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * The events of one response as text/event-stream (WHATWG HTML "Parsing an event stream"): a
 * field per line, one `data:` line per line of data, a blank line after each event. A parsed
 * event's type and id hold no line break; one from an imported report might, and would split the
 * field, so breaks there become spaces.
 */
function eventStreamText(events: readonly ReportStream['events'][number][]): string {
  return events
    .map((event) => {
      const lines: string[] = [];
      if (event.type !== 'message') lines.push(`event: ${event.type.split(LINE_BREAK).join(' ')}`);
      if (event.id !== null) lines.push(`id: ${event.id.split(LINE_BREAK).join(' ')}`);
      for (const line of event.data.split(LINE_BREAK)) lines.push(`data: ${line}`);
      return `${lines.join('\n')}\n\n`;
    })
    .join('');
}

function spanOf(stream: ReportStream): number {
  let span = stream.observedFor ?? 0;
  for (const e of stream.exchanges) span = Math.max(span, e.timing.endedAt ?? e.timing.responseAt ?? e.timing.startedAt);
  return span;
}

/**
 * Epoch ms of each stream's time 0: when it was first seen if the report knows (the panel), else
 * (the CLI) the streams are laid one after the other, in report order, ending when the report
 * was written, so HAR readers list them in the same order.
 */
function streamEpochs(report: Report): number[] {
  const written = Date.parse(report.generatedAt);
  const unknown = report.streams.filter((s) => s.startedAt === undefined || !Number.isFinite(Date.parse(s.startedAt)));
  let next = (Number.isFinite(written) ? written : 0) - unknown.reduce((sum, s) => sum + spanOf(s), 0);
  return report.streams.map((stream) => {
    const started = stream.startedAt === undefined ? Number.NaN : Date.parse(stream.startedAt);
    if (Number.isFinite(started)) return started;
    const epoch = next;
    next += spanOf(stream);
    return epoch;
  });
}

function iso(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isFinite(date.getTime()) ? date.toISOString() : new Date(0).toISOString();
}

function entryOf(stream: ReportStream, streamIndex: number, exchangeIndex: number, epoch: number, pageref: string) {
  const exchange = stream.exchanges[exchangeIndex] as ReportExchange;
  const { startedAt, responseAt, endedAt } = exchange.timing;
  // The stream's last exchange, still open when watching stopped, lasted until then; an earlier
  // one without an end (a reader would take it as overlapping the next attempt) ends at its response.
  const last = exchangeIndex === stream.exchanges.length - 1;
  const end = endedAt ?? (last ? Math.max(startedAt, responseAt ?? startedAt, stream.observedFor ?? 0) : (responseAt ?? startedAt));
  const time = Math.max(0, end - startedAt);
  const wait = responseAt === null ? time : Math.max(0, Math.min(time, responseAt - startedAt));
  const response = headerMapOf(exchange.responseHeaders);
  const isFinal = exchange.kind === 'response';
  const delivered = isFinal ? stream.events.filter((event) => event.attempt === exchange.attempt) : [];
  const messages = delivered.map((event) => ({ time: (epoch + event.at) / 1000, eventName: event.type, eventId: event.id ?? '', data: event.data }));
  const mimeType = response.get('content-type') ?? 'x-unknown';
  return {
    pageref,
    startedDateTime: iso(epoch + startedAt),
    time,
    request: {
      method: exchange.method,
      url: exchange.url,
      httpVersion: exchange.httpVersion ?? '',
      cookies: [],
      headers: headersOf(exchange.requestHeaders),
      queryString: queryOf(exchange.url),
      headersSize: -1,
      bodySize: exchange.method === 'GET' || exchange.method === 'HEAD' || exchange.method === 'OPTIONS' ? 0 : -1,
    },
    response: {
      // HAR writers say "no response" with status 0.
      status: exchange.status ?? 0,
      statusText: exchange.statusText,
      httpVersion: exchange.httpVersion ?? '',
      cookies: [],
      headers: headersOf(exchange.responseHeaders),
      content: { size: exchange.bodyBytes, mimeType, ...(delivered.length > 0 ? { text: eventStreamText(delivered) } : {}) },
      redirectURL: exchange.kind === 'redirect' ? (response.get('location') ?? '') : '',
      headersSize: -1,
      bodySize: exchange.bodyBytes,
      ...(exchange.error === null ? {} : { _error: exchange.error }),
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive: Math.max(0, time - wait) },
    _resourceType: exchange.kind === 'preflight' ? 'preflight' : stream.client.kind === 'eventsource' ? 'eventsource' : 'fetch',
    ...(isFinal && messages.length > 0 ? { _eventSourceMessages: messages } : {}),
    _sseInspector: { stream: streamIndex, exchange: exchangeIndex },
  };
}

function extensionOf(stream: ReportStream): HarStreamExtension {
  return {
    id: stream.id,
    pageOrigin: stream.client.pageOrigin,
    client: stream.client,
    readyStates: stream.readyStates,
    retryValues: stream.retryValues,
    observedFor: stream.observedFor,
    droppedEvents: stream.droppedEvents,
    eventsOmitted: stream.eventsOmitted,
    originProbes: stream.originProbes ?? [],
    ...(stream.startedAt === undefined ? {} : { startedAt: stream.startedAt }),
    ...(stream.observed === undefined ? {} : { observed: stream.observed }),
    exchanges: stream.exchanges.map((e) => ({ kind: e.kind, method: e.method, attempt: e.attempt, timing: e.timing, bodyEnd: e.bodyEnd, error: e.error })),
    events: stream.events.map((e) => ({ at: e.at, attempt: e.attempt, size: e.size, dataTruncated: e.dataTruncated })),
  };
}

/** The report as a HAR 1.2 log (pretty JSON with a trailing newline). */
export function formatHar(input: Report, options: ExportOptions = {}): string {
  const report = prepared(input, options);
  const epochs = streamEpochs(report);
  // One HAR page per page origin: Chrome titles its pages with their URL, which analyze reads.
  const pages = new Map<string, { id: string; startedAt: number }>();
  const entries: { startedMs: number; order: number; entry: ReturnType<typeof entryOf> }[] = [];
  report.streams.forEach((stream, streamIndex) => {
    const epoch = epochs[streamIndex] as number;
    let page = pages.get(stream.client.pageOrigin);
    if (!page) {
      page = { id: `page_${pages.size + 1}`, startedAt: epoch };
      pages.set(stream.client.pageOrigin, page);
    }
    page.startedAt = Math.min(page.startedAt, epoch);
    stream.exchanges.forEach((exchange, exchangeIndex) => {
      entries.push({ startedMs: epoch + exchange.timing.startedAt, order: entries.length, entry: entryOf(stream, streamIndex, exchangeIndex, epoch, (page as { id: string }).id) });
    });
  });
  // HAR entries are in time order; the stable tie-break keeps a preflight before its request.
  entries.sort((a, b) => a.startedMs - b.startedMs || a.order - b.order);
  const extension: HarExtension = { version: HAR_EXTENSION_VERSION, redacted: report.redacted === true, streams: report.streams.map(extensionOf) };
  const har = {
    log: {
      version: '1.2',
      creator: { name: 'sse-inspector', version: report.tool.version },
      pages: [...pages.entries()].map(([origin, page]) => ({
        startedDateTime: iso(page.startedAt),
        id: page.id,
        title: origin === 'null' ? 'null' : `${origin}/`,
        pageTimings: { onContentLoad: -1, onLoad: -1 },
      })),
      entries: entries.map((e) => e.entry),
      comment: report.redacted ? 'Secrets are redacted: [redacted:…] markers keep a short hash.' : 'Not redacted: holds headers, cookies and tokens as captured.',
      _sseInspector: extension,
    },
  };
  return `${JSON.stringify(har, null, 2)}\n`;
}
