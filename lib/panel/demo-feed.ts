import type { CapturedStream, ObservedOutcome, PanelFeed, RetryLoop } from '../capture/captured';
import { analyzeStream } from '../engine';
import { stream, type StreamOptions } from '../model/builders';
import type { ReadyStateTransition, StreamRecord } from '../model/record';

/**
 * A recorded capture of the playground's kinds of streams, built from the model builders and
 * analyzed by the real engine: the feed behind the plain-page demo and the panel's UI tests.
 */

export const DEMO_PAGE_ORIGIN = 'http://localhost:18080';
const API = 'http://127.0.0.1:18081';
/** A fixed clock so screenshots and tests do not depend on when they run. */
export const DEMO_EPOCH = Date.UTC(2026, 10, 25, 20, 0, 0);

export interface CapturedOptions {
  readonly key?: string;
  readonly observed?: ObservedOutcome;
  readonly startedAt?: number;
  readonly revision?: number;
  readonly beforeDevtools?: boolean;
  readonly retryLoop?: RetryLoop | null;
}

/** What the page observed when the capture saw exactly what Chromium does. */
function observedFrom(record: StreamRecord, analysisOutcome: ObservedOutcome): ObservedOutcome {
  return record.exchanges.length === 0 ? 'connecting' : analysisOutcome;
}

/** A CapturedStream around a record, analyzed by the engine, as the pipeline would hand it over. */
export function capturedStream(record: StreamRecord, options: CapturedOptions = {}): CapturedStream {
  const analysis = analyzeStream(record);
  const startedAt = options.startedAt ?? DEMO_EPOCH;
  let last = 0;
  for (const exchange of record.exchanges) last = Math.max(last, exchange.timing.endedAt ?? exchange.timing.responseAt ?? exchange.timing.startedAt);
  for (const event of record.events) last = Math.max(last, event.at);
  return {
    key: options.key ?? record.id,
    frameId: 0,
    revision: options.revision ?? 1,
    startedAt,
    lastActivityAt: startedAt + last,
    observed: options.observed ?? observedFrom(record, analysis.verdicts.chromium.outcome),
    sources: ['web-request', 'page-hook'],
    beforeDevtools: options.beforeDevtools ?? false,
    retryLoop: options.retryLoop ?? null,
    record,
    analysis,
  };
}

/**
 * EventSource readyState transitions as the builders' exchanges time them: CONNECTING, OPEN when
 * the response arrives (10 ms in), back to CONNECTING when a response ends and the client
 * reconnects (1 s in), and CLOSED when it never opened.
 */
export function eventSourceReadyStates(attempts: number, intervalMs: number, opens: boolean): ReadyStateTransition[] {
  const states: ReadyStateTransition[] = [{ at: 0, state: 0, attempt: 1 }];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const base = (attempt - 1) * intervalMs;
    if (opens) states.push({ at: base + 10, state: 1, attempt });
    if (opens && attempt < attempts) states.push({ at: base + 1000, state: 0, attempt: attempt + 1 });
  }
  if (!opens) states.push({ at: (attempts - 1) * intervalMs + 10, state: 2, attempt: attempts });
  return states;
}

function demoRecord(id: string, path: string, options: StreamOptions): StreamRecord {
  return stream({ id, url: `${API}${path}`, pageOrigin: DEMO_PAGE_ORIGIN, observedFor: 5000, ...options });
}

function priceEvents(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    at: 20 + i * 250,
    id: String(i + 1),
    type: i % 5 === 4 ? 'heartbeat' : 'price',
    data: JSON.stringify({ symbol: 'SSE', price: 100 + i, at: DEMO_EPOCH + i * 250 }),
  }));
}

/** The demo's streams, one per way a stream breaks (and one that works), in the order they start. */
export function demoStreams(): CapturedStream[] {
  const loopAttempts = 6;
  const records: { record: StreamRecord; options?: CapturedOptions }[] = [
    {
      record: demoRecord('ok', '/sse/ok', {
        acao: DEMO_PAGE_ORIGIN,
        headers: [['Cache-Control', 'no-cache'], ['Vary', 'Origin']],
        events: priceEvents(20),
        readyStates: eventSourceReadyStates(1, 0, true),
      }),
    },
    {
      record: demoRecord('acao-wildcard', '/sse/acao-wildcard', { credentials: true, acao: '*', readyStates: eventSourceReadyStates(1, 0, false) }),
    },
    { record: demoRecord('acao-missing', '/sse/acao-missing', { readyStates: eventSourceReadyStates(1, 0, false) }) },
    {
      record: demoRecord('preflight-header', '/sse/preflight-header', {
        client: 'fetch',
        requestHeaders: [['X-API-Key', 'demo-key']],
        preflight: { acao: DEMO_PAGE_ORIGIN, allowMethods: 'GET' },
        acao: DEMO_PAGE_ORIGIN,
      }),
    },
    {
      record: demoRecord('wrong-mime', '/sse/wrong-mime', { contentType: 'text/plain', acao: DEMO_PAGE_ORIGIN, readyStates: eventSourceReadyStates(1, 0, false) }),
    },
    {
      record: demoRecord('charset', '/sse/charset-latin1', {
        contentType: 'text/event-stream; charset=iso-8859-1',
        acao: DEMO_PAGE_ORIGIN,
        headers: [['Cache-Control', 'no-cache']],
      }),
    },
    {
      record: demoRecord('reconnect-loop', '/sse/ends-immediately', {
        acao: DEMO_PAGE_ORIGIN,
        attempts: loopAttempts,
        interval: 3,
        bodyEnd: 'server',
        readyStates: eventSourceReadyStates(loopAttempts, 3000, true),
        observedFor: 18_000,
      }),
      options: {
        observed: 'reconnecting',
        retryLoop: { attempts: loopAttempts, intervalMs: 3000, attemptDurationMs: 995, cause: 'server-ends-response', resumesLastEventId: false },
      },
    },
    { record: demoRecord('status-500', '/sse/status-500', { status: 500, acao: DEMO_PAGE_ORIGIN, readyStates: eventSourceReadyStates(1, 0, false) }) },
  ];
  return records.map(({ record, options }, index) => capturedStream(record, { startedAt: DEMO_EPOCH + index * 100, ...options }));
}

export function demoFeed(): PanelFeed[] {
  return [{ type: 'streams', streams: demoStreams() }];
}

/** An open stream carrying `count` JSON messages, 0.2 ms apart: the firehose the Messages tab must stay smooth on. */
export function firehoseStream(count: number): CapturedStream {
  const events = new Array<{ at: number; id: string; type: string; data: string; size: number }>(count);
  for (let i = 0; i < count; i++) {
    const data = `{"seq":${i},"symbol":"SSE","price":${(100 + (i % 997) / 10).toFixed(1)}}`;
    events[i] = { at: 20 + i * 0.2, id: String(i + 1), type: i % 100 === 99 ? 'heartbeat' : 'tick', data, size: data.length + 7 };
  }
  const record = stream({
    id: 'firehose',
    url: `${API}/sse/firehose`,
    pageOrigin: DEMO_PAGE_ORIGIN,
    acao: DEMO_PAGE_ORIGIN,
    headers: [['Cache-Control', 'no-cache'], ['Vary', 'Origin']],
    events,
    readyStates: eventSourceReadyStates(1, 0, true),
    observedFor: 20 + count * 0.2,
  });
  return capturedStream(record, { startedAt: DEMO_EPOCH + 1000 });
}
