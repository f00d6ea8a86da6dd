import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordsFromHar } from '../../../lib/capture/har';
import { HAR_ENTRY_BOUNDS, reduceHarEntry } from '../../../lib/capture/har-entry';

type Json = Record<string, unknown>;

/** A Chromium-shaped HAR entry of an EventSource; `fields` replace top-level parts. */
function entry(fields: Json = {}, request: Json = {}, response: Json = {}): Json {
  return {
    pageref: 'page_1',
    startedDateTime: '2026-01-01T10:00:00.000Z',
    time: 1234.5,
    request: {
      method: 'GET',
      url: 'https://api.test/events',
      httpVersion: 'http/1.1',
      headers: [{ name: 'Accept', value: 'text/event-stream' }],
      queryString: [],
      cookies: [{ name: 'sid', value: 'secret' }],
      headersSize: -1,
      bodySize: 0,
      ...request,
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: 'http/1.1',
      headers: [{ name: 'Content-Type', value: 'text/event-stream' }],
      cookies: [],
      content: { size: 42, mimeType: 'text/event-stream' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      ...response,
    },
    cache: {},
    timings: { blocked: 1, dns: 2, connect: 3, send: 4, wait: 5, receive: 6, ssl: -1 },
    _resourceType: 'eventsource',
    ...fields,
  };
}

/** A fetch that neither asks for nor gets an event stream: nothing marks it but what a test adds. */
const plain = (request: Json = {}, response: Json = {}) =>
  entry(
    { _resourceType: 'fetch' },
    { headers: [{ name: 'Accept', value: 'application/json' }], ...request },
    { headers: [{ name: 'Content-Type', value: 'application/json' }], content: { size: 2, mimeType: 'application/json' }, ...response },
  );

describe('reduceHarEntry: which entries are kept', () => {
  it('keeps the fields the HAR adapter reads, and nothing else', () => {
    expect(reduceHarEntry(entry())).toEqual({
      startedDateTime: '2026-01-01T10:00:00.000Z',
      time: 1234.5,
      request: { method: 'GET', url: 'https://api.test/events', httpVersion: 'http/1.1', headers: [{ name: 'Accept', value: 'text/event-stream' }] },
      response: {
        status: 200,
        statusText: 'OK',
        httpVersion: 'http/1.1',
        headers: [{ name: 'Content-Type', value: 'text/event-stream' }],
        redirectURL: '',
        content: { size: 42, mimeType: 'text/event-stream' },
      },
      timings: { blocked: 1, dns: 2, connect: 3, send: 4, wait: 5 },
      _resourceType: 'eventsource',
    });
  });

  it.each([
    ['Chromium marks it an eventsource', entry({ _resourceType: 'eventsource' }, { headers: [] }, { headers: [], content: { mimeType: '' } })],
    ['the response Content-Type is text/event-stream', plain({}, { headers: [{ name: 'content-type', value: 'Text/Event-Stream; charset=utf-8' }] })],
    ['only the content mimeType says text/event-stream', plain({}, { headers: [], content: { mimeType: 'text/event-stream' } })],
    ['the request accepts text/event-stream', plain({ headers: [{ name: 'accept', value: 'application/json, text/event-stream' }] })],
    ['it is a CORS preflight', plain({ method: 'OPTIONS', headers: [{ name: 'Access-Control-Request-Method', value: 'POST' }] })],
    ['it is a preflight written in lower case', plain({ method: 'options', headers: [{ name: 'access-control-request-method', value: 'GET' }] })],
  ])('keeps an entry when %s', (_name, raw) => {
    expect(reduceHarEntry(raw)).not.toBeNull();
  });

  it.each([
    ['a JSON fetch', plain()],
    ['an OPTIONS request that is not a preflight', plain({ method: 'OPTIONS', headers: [{ name: 'Accept', value: 'text/event-stream' }] })],
    ['a Content-Type header that overrides an event-stream mimeType', plain({}, { headers: [{ name: 'Content-Type', value: 'text/html' }], content: { mimeType: 'text/event-stream' } })],
    ['a look-alike type', plain({}, { headers: [{ name: 'Content-Type', value: 'text/event-streamx' }] })],
  ])('drops %s', (_name, raw) => {
    expect(reduceHarEntry(raw)).toBeNull();
  });

  it.each([
    ['null', null],
    ['a string', 'entry'],
    ['an array', [entry()]],
    ['no request', { ...entry(), request: undefined }],
    ['a request array', { ...entry(), request: [] }],
    ['no response', { ...entry(), response: null }],
    ['no URL', entry({}, { url: undefined })],
    ['an empty URL', entry({}, { url: '' })],
    ['a URL that is not a string', entry({}, { url: { href: 'https://api.test/' } })],
    ['no start time', entry({ startedDateTime: undefined })],
  ])('refuses an entry with %s', (_name, raw) => {
    expect(reduceHarEntry(raw)).toBeNull();
  });
});

describe('reduceHarEntry: shapes and bounds', () => {
  it('defaults what is missing or of the wrong type instead of passing it on', () => {
    const reduced = reduceHarEntry(
      entry({ time: 'slow', timings: null, _resourceType: 7 }, { method: undefined, httpVersion: 2 }, { status: '200', statusText: null, content: 'text', redirectURL: 5 }),
    );
    expect(reduced).toMatchObject({
      time: -1,
      request: { method: 'GET', httpVersion: '' },
      response: { status: 0, statusText: '', redirectURL: '', content: { size: 0, mimeType: '' } },
      timings: { blocked: -1, dns: -1, connect: -1, send: -1, wait: -1 },
    });
    expect(reduced).not.toHaveProperty('_resourceType');
  });

  it('upper-cases the method and truncates a fractional or negative status', () => {
    expect(reduceHarEntry(entry({}, { method: 'get' }, { status: 200.9 }))?.request.method).toBe('GET');
    expect(reduceHarEntry(entry({}, {}, { status: 200.9 }))?.response.status).toBe(200);
    expect(reduceHarEntry(entry({}, {}, { status: -5 }))?.response.status).toBe(0);
    expect(reduceHarEntry(entry({}, {}, { status: Number.NaN }))?.response.status).toBe(0);
  });

  it('clips the URL, the header list and each header; skips header items that are not headers', () => {
    const b = HAR_ENTRY_BOUNDS;
    const headers: unknown[] = [null, 'Accept: x', { value: 'no name' }, { name: 'N'.repeat(1000), value: 'v'.repeat(20_000) }, { name: 'X-Number', value: 5 }];
    for (let i = 0; i < 300; i++) headers.push({ name: `X-${i}`, value: String(i) });
    const reduced = reduceHarEntry(entry({}, { url: `https://api.test/${'u'.repeat(20_000)}`, headers }));
    expect(reduced?.request.url).toHaveLength(b.maxUrlLength);
    expect(reduced?.request.headers).toHaveLength(b.maxHeaders);
    expect(reduced?.request.headers[0]).toEqual({ name: 'N'.repeat(b.maxHeaderNameLength), value: 'v'.repeat(b.maxHeaderValueLength) });
    expect(reduced?.request.headers[1]).toEqual({ name: 'X-Number', value: '' });
    expect(reduced?.request.headers.at(-1)).toEqual({ name: `X-${b.maxHeaders - 3}`, value: String(b.maxHeaders - 3) });
  });

  it("keeps Chromium's EventSource messages, bounded, and skips malformed ones", () => {
    const b = HAR_ENTRY_BOUNDS;
    const messages: unknown[] = [{ time: 1.5, eventName: 'message', eventId: '1', data: 'hello' }, 'not a message', { time: 'x', data: 'd'.repeat(b.maxMessageData + 10) }];
    for (let i = 0; i < b.maxMessages; i++) messages.push({ time: i, eventName: 'tick', eventId: '', data: '' });
    const reduced = reduceHarEntry(entry({ _eventSourceMessages: messages }));
    const kept = reduced?._eventSourceMessages ?? [];
    expect(kept).toHaveLength(b.maxMessages - 1);
    expect(kept[0]).toEqual({ time: 1.5, eventName: 'message', eventId: '1', data: 'hello' });
    expect(kept[1]).toEqual({ time: -1, eventName: '', eventId: '', data: 'd'.repeat(b.maxMessageData) });
    expect(reduceHarEntry(entry({ _eventSourceMessages: 'many' }))).not.toHaveProperty('_eventSourceMessages');
  });

  it('takes the body from getContent() over the entry, clipped, and leaves it out when there is none', () => {
    const b = HAR_ENTRY_BOUNDS;
    expect(reduceHarEntry(entry(), 'data: a\n\n')?.response.content.text).toBe('data: a\n\n');
    expect(reduceHarEntry(entry({}, {}, { content: { mimeType: 'text/event-stream', text: 'data: b\n\n' } }), 'data: a\n\n')?.response.content.text).toBe('data: a\n\n');
    // getContent() answers null for closed or blocked streams: the entry's own text, if any, stands.
    expect(reduceHarEntry(entry({}, {}, { content: { mimeType: 'text/event-stream', text: 'data: b\n\n' } }), null)?.response.content.text).toBe('data: b\n\n');
    expect(reduceHarEntry(entry(), null)?.response.content).not.toHaveProperty('text');
    expect(reduceHarEntry(entry(), 'x'.repeat(b.maxContentText + 5))?.response.content.text).toHaveLength(b.maxContentText);
  });

  it('keeps error fields when they are strings, clipped', () => {
    const reduced = reduceHarEntry(entry({ _error: 'E'.repeat(1000) }, {}, { _error: 'net::ERR_FAILED' }));
    expect(reduced?._error).toHaveLength(HAR_ENTRY_BOUNDS.maxTextLength);
    expect(reduced?.response._error).toBe('net::ERR_FAILED');
    expect(reduceHarEntry(entry({ _error: 1 }, {}, { _error: {} }))).not.toHaveProperty('_error');
    expect(reduceHarEntry(entry({}, {}, { _error: {} }))?.response).not.toHaveProperty('_error');
  });

  it('does not carry page-controlled prototypes or extra keys', () => {
    const hostile = JSON.parse(
      '{"startedDateTime":"2026-01-01T00:00:00Z","__proto__":{"polluted":1},"request":{"url":"https://api.test/e","headers":[{"name":"Accept","value":"text/event-stream","__proto__":{"x":1}}],"postData":{"text":"secret"}},"response":{"headers":[]}}',
    ) as unknown;
    const reduced = reduceHarEntry(hostile);
    expect(reduced).not.toBeNull();
    expect(Object.getPrototypeOf(reduced)).toBe(Object.prototype);
    expect(Object.keys(reduced?.request ?? {}).sort()).toEqual(['headers', 'httpVersion', 'method', 'url']);
    expect(Object.getPrototypeOf(reduced?.request.headers[0])).toBe(Object.prototype);
    expect(({} as Json).polluted).toBeUndefined();
  });

  it('gives the same answer for an entry it already reduced', () => {
    const once = reduceHarEntry(entry({ _eventSourceMessages: [{ time: 1, eventName: 'm', eventId: '', data: 'x' }], _error: 'e' }), 'data: x\n\n');
    expect(reduceHarEntry(once)).toEqual(once);
  });
});

describe('reduceHarEntry with the HAR adapter', () => {
  const DIR = join(import.meta.dirname, '../../fixtures/har');
  const hars = readdirSync(DIR).flatMap((file) => {
    try {
      const har = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { log?: { entries?: unknown } };
      return Array.isArray(har.log?.entries) && har.log.entries.length > 0 ? [[file, har.log.entries as unknown[]] as const] : [];
    } catch {
      return [];
    }
  });

  it('has HAR fixtures with entries', () => {
    expect(hars.length).toBeGreaterThanOrEqual(5);
  });

  // The DevTools page forwards reduced entries for recordsFromHar to read as it reads a file.
  it.each(hars)('%s: the reduced entries make the same streams as the full ones', (_file, entries) => {
    const reduced = entries.map((raw) => reduceHarEntry(raw)).filter((e) => e !== null);
    expect(recordsFromHar({ log: { entries: reduced } }).records).toEqual(recordsFromHar({ log: { entries } }).records);
  });
});
