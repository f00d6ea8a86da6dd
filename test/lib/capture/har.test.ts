import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAR_LIMITS, HarError, recordsFromHar } from '@/lib/capture/har';
import { verdicts } from '@/lib/cors/verdict';
import type { StreamRecord } from '@/lib/model/record';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/har/${name}`, import.meta.url), 'utf8')) as unknown;

function only(har: unknown): StreamRecord {
  const { records } = recordsFromHar(har);
  expect(records).toHaveLength(1);
  return records[0] as StreamRecord;
}

type Headers = Record<string, string>;
interface EntryOptions {
  method?: string;
  status?: number;
  start?: number;
  time?: number;
  request?: Headers;
  response?: Headers;
  redirectURL?: string;
  extra?: Record<string, unknown>;
  error?: string;
  pageref?: string;
}

/** A minimal HAR entry; `start` in ms after 2025-03-01T10:00:00Z. */
function entry(url: string, options: EntryOptions = {}): Record<string, unknown> {
  const pairs = (h: Headers = {}) => Object.entries(h).map(([name, value]) => ({ name, value }));
  return {
    pageref: options.pageref ?? 'page_1',
    startedDateTime: new Date(Date.UTC(2025, 2, 1, 10) + (options.start ?? 0)).toISOString(),
    time: options.time ?? 50,
    request: { method: options.method ?? 'GET', url, httpVersion: 'HTTP/1.1', headers: pairs(options.request), cookies: [] },
    response: {
      status: options.status ?? 200,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: pairs(options.response),
      content: { size: 0, mimeType: options.response?.['Content-Type'] ?? '' },
      redirectURL: options.redirectURL ?? '',
      ...(options.error ? { _error: options.error } : {}),
    },
    timings: { blocked: 1, dns: -1, connect: -1, send: 0, wait: 9, receive: 40 },
    ...options.extra,
  };
}

const har = (entries: unknown[], pages: unknown[] = [{ id: 'page_1', title: 'https://app.test/page' }]) => ({ log: { version: '1.2', pages, entries } });
const ES = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' };
const STREAM = { 'Content-Type': 'text/event-stream' };

describe('recordsFromHar: shape', () => {
  const malformed: [string, unknown, string][] = [
    ['a JSON array', [1, 2], 'not a HAR file: expected a JSON object'],
    ['null', null, 'not a HAR file: expected a JSON object'],
    ['a string', 'HAR', 'not a HAR file: expected a JSON object'],
    ['no log', { entries: [] }, 'not a HAR file: no "log" object'],
    ['log not an object', { log: [] }, 'not a HAR file: no "log" object'],
    ['no entries', { log: { version: '1.2' } }, 'not a HAR file: no "log.entries"'],
    ['entries not an array', { log: { entries: { 0: {} } } }, 'not a HAR file: "log.entries" is not an array'],
  ];
  for (const [name, value, message] of malformed) {
    it(`rejects ${name}`, () => {
      expect(() => recordsFromHar(value)).toThrow(new HarError(message));
    });
  }

  it('rejects the malformed fixtures', () => {
    expect(() => recordsFromHar(fixture('not-an-object.har'))).toThrow(HarError);
    expect(() => recordsFromHar(fixture('no-entries.har'))).toThrow(HarError);
    expect(() => recordsFromHar(fixture('entries-not-array.har'))).toThrow(HarError);
  });

  it('has a one-line message and its own name', () => {
    let caught: unknown = null;
    try {
      recordsFromHar(42);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HarError);
    expect((caught as HarError).name).toBe('HarError');
    expect((caught as HarError).message).not.toContain('\n');
  });

  it('counts unreadable entries as skipped and keeps the rest', () => {
    const { records, skipped } = recordsFromHar(fixture('some-bad-entries.har'));
    expect(skipped).toBe(3);
    expect(records).toHaveLength(1);
  });

  it('ignores other traffic without counting it', () => {
    expect(recordsFromHar(fixture('no-streams.har'))).toEqual({ records: [], skipped: 0 });
    expect(recordsFromHar(har([]))).toEqual({ records: [], skipped: 0 });
  });
});

describe('recordsFromHar: Chrome HAR files', () => {
  it('keeps the headers and status of a CORS-blocked entry for the engine to judge', () => {
    const record = only(fixture('chrome-blocked-missing-acao.har'));
    expect(record).toMatchObject({ id: 'har-1', url: 'https://api.test/events', pageOrigin: 'https://app.test' });
    expect(record.client).toEqual({ kind: 'eventsource', credentials: 'same-origin', method: 'GET', headers: [] });
    expect(record.exchanges).toHaveLength(1);
    expect(record.exchanges[0]).toMatchObject({ kind: 'response', attempt: 1, status: 200, error: 'net::ERR_FAILED', bodyEnd: 'network' });
    expect(record.exchanges[0]?.responseHeaders).toEqual([['Content-Type', 'text/event-stream'], ['Cache-Control', 'no-cache']]);
    expect(verdicts(record).chromium.corsError).toBe('MissingAllowOriginHeader');
  });

  it('reads an open credentialed HTTP/2 stream and its messages', () => {
    const record = only(fixture('chrome-open-with-events.har'));
    expect(record.client.credentials).toBe('include');
    const exchange = record.exchanges[0];
    expect(exchange).toMatchObject({ kind: 'response', status: 200, httpVersion: 'h2', bodyEnd: null, error: null });
    // Pseudo-headers are HTTP/2 framing, not header lines.
    expect(exchange?.requestHeaders.map(([name]) => name)).toEqual(['accept', 'cache-control', 'cookie', 'origin', 'referer']);
    expect(exchange?.responseHeaders.some(([name]) => name.startsWith(':'))).toBe(false);
    expect(exchange?.timing).toEqual({ startedAt: 0, responseAt: 13.2, firstByteAt: 13.2, endedAt: null });
    expect(record.events).toEqual([
      { at: 13.2, attempt: 1, type: 'message', data: '{"n":1}', id: '1', size: 7 + 7 + 6 + 1 },
      { at: 1013.2, attempt: 1, type: 'tick', data: 'two\nlines', id: '2', size: 9 + 12 + 6 + 14 + 1 },
      { at: 15513.2, attempt: 1, type: 'message', data: 'last', id: null, size: 4 + 7 + 1 },
    ]);
    expect(verdicts(record).chromium.outcome).toBe('open');
  });

  it('groups reconnects to one URL into attempts', () => {
    const record = only(fixture('chrome-reconnect-loop.har'));
    expect(record.exchanges.map((e) => [e.attempt, e.bodyEnd, e.timing.startedAt])).toEqual([
      [1, 'server', 0],
      [2, 'server', 3000],
      [3, null, 6000],
    ]);
    expect(record.events.map((e) => [e.attempt, e.data])).toEqual([[1, 'attempt 1'], [2, 'attempt 2'], [3, 'attempt 3']]);
    expect(record.pageOrigin).toBe('https://app.test');
    expect(verdicts(record).chromium.outcome).toBe('reconnecting');
  });

  it('attaches the preflight of a fetch-based stream and keeps its custom headers', () => {
    const record = only(fixture('chrome-fetch-preflight.har'));
    expect(record.client).toEqual({ kind: 'fetch', credentials: 'same-origin', method: 'GET', headers: [['Authorization', 'Bearer t0ken']] });
    expect(record.exchanges.map((e) => [e.kind, e.method, e.status, e.error])).toEqual([
      ['preflight', 'OPTIONS', 204, null],
      ['response', 'GET', null, 'net::ERR_FAILED'],
    ]);
    expect(verdicts(record).chromium).toMatchObject({ corsError: 'HeaderDisallowedByPreflightResponse', failedParameter: 'authorization' });
  });

  it('follows a redirect to the next entry as a hop of the same connection', () => {
    const record = only(fixture('chrome-redirect.har'));
    expect(record.url).toBe('https://api.test/events');
    // The second hop says `Origin: null`; the page origin comes from the first.
    expect(record.pageOrigin).toBe('https://app.test');
    expect(record.exchanges.map((e) => [e.kind, e.url, e.status])).toEqual([
      ['redirect', 'https://api.test/events', 302],
      ['response', 'https://stream.api.test/events', 200],
    ]);
    expect(verdicts(record).firefox.outcome).toBe('open');
  });
});

describe('recordsFromHar: Firefox HAR files', () => {
  it('recognizes a stream without Chromium extensions and lets the engine find the block', () => {
    const record = only(fixture('firefox-blocked.har'));
    expect(record.client.kind).toBe('eventsource');
    expect(record.events).toEqual([]);
    expect(verdicts(record).firefox.reason).toBe('CORSAllowOriginNotMatchingOrigin');
  });

  it('catches a stream served with the wrong type by its Accept header', () => {
    const record = only(fixture('firefox-wrong-mime.har'));
    expect(record.pageOrigin).toBe('https://app.test');
    expect(verdicts(record).chromium).toMatchObject({ outcome: 'failed', cause: 'mime' });
  });
});

describe('recordsFromHar: heuristics', () => {
  it('calls a request with a custom header a fetch client', () => {
    const record = only(har([entry('https://api.test/s', { request: { ...ES, 'X-Api-Key': 'k', Origin: 'https://app.test' }, response: STREAM })]));
    expect(record.client).toMatchObject({ kind: 'fetch', headers: [['X-Api-Key', 'k']] });
  });

  it("trusts Chromium's resource type over the Accept header", () => {
    const record = only(har([entry('https://api.test/s', { request: ES, response: STREAM, extra: { _resourceType: 'fetch' } })]));
    expect(record.client.kind).toBe('fetch');
  });

  it('finds a stream by its response type alone', () => {
    const record = only(har([entry('https://api.test/s', { request: { Accept: '*/*' }, response: { 'Content-Type': 'text/event-stream;charset=UTF-8' } })]));
    expect(record.client.kind).toBe('fetch');
  });

  it('takes the page origin from Origin, then Referer, then the HAR page, then the stream itself', () => {
    const origin = only(har([entry('https://api.test/s', { request: { ...ES, Origin: 'https://a.test', Referer: 'https://b.test/x' }, response: STREAM })]));
    const referer = only(har([entry('https://api.test/s', { request: { ...ES, Referer: 'https://b.test/x?y' }, response: STREAM })]));
    const page = only(har([entry('https://api.test/s', { request: ES, response: STREAM })]));
    const firefoxPage = only(har([entry('https://api.test/s', { request: ES, response: STREAM })], [{ id: 'page_1', title: 'My app' }]));
    const opaque = only(har([entry('https://api.test/s', { request: { ...ES, Origin: 'null' }, response: STREAM })]));
    expect([origin, referer, page, firefoxPage, opaque].map((r) => r.pageOrigin)).toEqual([
      'https://a.test', 'https://b.test', 'https://app.test', 'https://api.test', 'null',
    ]);
  });

  it('infers credentials from cookies sent cross-origin only', () => {
    const cross = only(har([entry('https://api.test/s', { request: { ...ES, Origin: 'https://app.test', Cookie: 'a=1' }, response: STREAM })]));
    const same = only(har([entry('https://app.test/s', { request: { ...ES, Referer: 'https://app.test/', Cookie: 'a=1' }, response: STREAM })]));
    expect(cross.client.credentials).toBe('include');
    expect(same.client.credentials).toBe('same-origin');
  });

  it('turns status 0 into a network error and ERR_ABORTED into a client close', () => {
    const { records } = recordsFromHar(har([
      entry('https://api.test/a', { request: ES, status: 0 }),
      entry('https://api.test/b', { request: ES, status: 0, error: 'net::ERR_CONNECTION_REFUSED' }),
      entry('https://api.test/c', { request: ES, response: { 'Content-Type': 'text/html' }, error: 'net::ERR_ABORTED' }),
    ]));
    expect(records.map((r) => [r.exchanges[0]?.status, r.exchanges[0]?.error, r.exchanges[0]?.bodyEnd])).toEqual([
      [null, 'no response', 'network'],
      [null, 'net::ERR_CONNECTION_REFUSED', 'network'],
      [200, 'net::ERR_ABORTED', 'client'],
    ]);
    expect(records[0]?.exchanges[0]?.timing.responseAt).toBeNull();
  });

  it('keeps overlapping connections to one URL as separate streams', () => {
    const { records } = recordsFromHar(har([
      entry('https://api.test/s', { request: ES, response: STREAM, start: 0, time: 60_000 }),
      entry('https://api.test/s', { request: ES, response: STREAM, start: 5_000, time: 60_000 }),
    ]));
    expect(records.map((r) => r.exchanges.length)).toEqual([1, 1]);
    expect(records.map((r) => r.id)).toEqual(['har-1', 'har-2']);
  });

  it('keeps streams of different pages apart', () => {
    const { records } = recordsFromHar(har([
      entry('https://api.test/s', { request: ES, response: STREAM, pageref: 'page_1' }),
      entry('https://api.test/s', { request: ES, response: STREAM, pageref: 'page_2', start: 1000 }),
    ]));
    expect(records).toHaveLength(2);
  });

  it('walks a redirect chain back to a first hop that has no stream markers', () => {
    const record = only(har([
      entry('https://api.test/old', { status: 307, redirectURL: '/new', response: { Location: '/new' }, start: 0, time: 5 }),
      entry('https://api.test/new', { request: ES, response: STREAM, start: 10 }),
    ]));
    expect(record.url).toBe('https://api.test/old');
    expect(record.exchanges.map((e) => e.kind)).toEqual(['redirect', 'response']);
  });

  it('does not take a preflight that belongs to another request', () => {
    const options = { method: 'OPTIONS', status: 204, request: { 'Access-Control-Request-Method': 'GET', Origin: 'https://app.test' } };
    const { records } = recordsFromHar(har([
      entry('https://api.test/s', { ...options, start: 0 }),
      entry('https://api.test/s', { request: { Accept: '*/*' }, response: { 'Content-Type': 'application/json' }, start: 5 }),
      entry('https://api.test/s', { request: { ...ES, Origin: 'https://app.test' }, response: STREAM, start: 10 }),
    ]));
    expect(records[0]?.exchanges.map((e) => e.kind)).toEqual(['response']);
  });

  it('orders entries by start time', () => {
    const record = only(har([
      entry('https://api.test/s', { request: ES, response: STREAM, start: 3000 }),
      entry('https://api.test/s', { request: ES, response: STREAM, start: 0, time: 100 }),
    ]));
    expect(record.exchanges.map((e) => e.timing.startedAt)).toEqual([0, 3000]);
  });

  it('resolves relative message times from the response and epoch times from the start', () => {
    const messages = [{ time: 1740823200.5, eventName: 'message', data: 'epoch' }];
    const record = only(har([entry('https://api.test/s', { request: ES, response: STREAM, extra: { _resourceType: 'eventsource', _eventSourceMessages: messages } })]));
    expect(record.events[0]?.at).toBe(500);
  });
});

describe('recordsFromHar: limits', () => {
  it('caps headers per list and the length of values', () => {
    const many: Headers = {};
    for (let i = 0; i < 400; i++) many[`X-H${i}`] = 'v';
    const record = only(har([entry('https://api.test/s', { request: ES, response: { ...STREAM, ...many, 'X-Long': 'x'.repeat(100_000) } })]));
    const headers = record.exchanges[0]?.responseHeaders ?? [];
    expect(headers).toHaveLength(HAR_LIMITS.headersPerList);
    expect(headers.every(([, value]) => value.length <= HAR_LIMITS.headerValue)).toBe(true);
  });

  it('caps long URLs and event data', () => {
    const url = `https://api.test/s?${'q'.repeat(20_000)}`;
    const messages = [{ time: 1, eventName: 'message', data: 'd'.repeat(100_000) }];
    const record = only(har([entry(url, { request: ES, response: STREAM, extra: { _eventSourceMessages: messages } })]));
    expect(record.url.length).toBeLessThanOrEqual(HAR_LIMITS.url);
    expect(record.events[0]?.data.length).toBe(HAR_LIMITS.eventData);
    expect(record.events[0]?.size).toBe(100_000 + 8);
  });

  it('keeps a bounded number of events and counts the dropped ones', () => {
    const messages = Array.from({ length: HAR_LIMITS.eventsPerStream + 7 }, (_, i) => ({ time: i, eventName: 'message', data: String(i) }));
    const record = only(har([entry('https://api.test/s', { request: ES, response: STREAM, extra: { _eventSourceMessages: messages } })]));
    expect(record.events).toHaveLength(HAR_LIMITS.eventsPerStream);
    expect(record.droppedEvents).toBe(7);
  });

  it('reads a bounded number of entries and counts the rest as skipped', () => {
    const entries = Array.from({ length: HAR_LIMITS.entries + 3 }, () => ({}));
    entries[0] = entry('https://api.test/s', { request: ES, response: STREAM });
    const { records, skipped } = recordsFromHar(har(entries));
    expect(records).toHaveLength(1);
    expect(skipped).toBe(HAR_LIMITS.entries - 1 + 3);
  });
});
