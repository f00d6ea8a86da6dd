import { describe, expect, it } from 'vitest';
import type { HeaderLine } from '../../../lib/model/headers';
import { tapWebRequest, WEB_REQUEST_BOUNDS, type RawDetails, type RawHeader, type WebRequestEvent } from '../../../lib/capture/web-request';
import { details, fakeWebRequest, type FakeWebRequest } from '../../support/capture-fakes';

function setup(browser: Parameters<typeof fakeWebRequest>[0] = 'chromium') {
  const api = fakeWebRequest(browser);
  const emitted: WebRequestEvent[] = [];
  const navigations: [number, string][] = [];
  const tap = tapWebRequest(
    api,
    (event) => emitted.push(event),
    (tabId, url) => navigations.push([tabId, url]),
  );
  return { api, emitted, navigations, tap, phases: () => emitted.map((e) => `${e.observation.requestId}:${e.observation.phase}`) };
}

const raw = (lines: readonly HeaderLine[]): RawHeader[] => lines.map(([name, value]) => ({ name, value }));

/** One request's events, in the order browsers fire them. */
function request(api: FakeWebRequest, base: Partial<RawDetails> = {}) {
  const at = (timeStamp: number, fields: Partial<RawDetails> = {}) => details({ ...base, timeStamp, ...fields });
  return {
    start: (fields: Partial<RawDetails> = {}) => api.onBeforeRequest.fire(at(1, fields)),
    send: (headers: readonly HeaderLine[], fields: Partial<RawDetails> = {}) => api.onSendHeaders.fire(at(2, { requestHeaders: raw(headers), ...fields })),
    respond: (status: number, headers: readonly HeaderLine[], fields: Partial<RawDetails> = {}) =>
      api.onHeadersReceived.fire(at(3, { statusCode: status, statusLine: `HTTP/1.1 ${status}`, responseHeaders: raw(headers), ...fields })),
    redirect: (redirectUrl: string) => api.onBeforeRedirect.fire(at(4, { redirectUrl, statusCode: 302 })),
    complete: () => api.onCompleted.fire(at(5, { statusCode: 200 })),
    fail: (error?: string) => api.onErrorOccurred.fire(at(6, error === undefined ? {} : { error })),
  };
}

const SSE_ACCEPT: HeaderLine[] = [['Accept', 'text/event-stream'], ['Cache-Control', 'no-cache']];
const SSE_RESPONSE: HeaderLine[] = [['Content-Type', 'text/event-stream; charset=utf-8']];

describe('tapWebRequest: which requests matter', () => {
  it('emits a request that accepts text/event-stream from its start, held observations first, in order', () => {
    const { api, emitted, phases, tap } = setup();
    const r = request(api, { requestId: '11', tabId: 4, frameId: 9, initiator: 'https://app.test' });
    r.start();
    expect(emitted).toEqual([]);
    expect(tap.size).toBe(1);
    r.send(SSE_ACCEPT);
    expect(emitted).toEqual([
      {
        tabId: 4,
        frameId: 9,
        observation: { phase: 'start', requestId: '11', url: 'https://api.test/events', method: 'GET', resourceType: 'xmlhttprequest', initiator: 'https://app.test', at: 1 },
      },
      { tabId: 4, frameId: 9, observation: { phase: 'request-headers', requestId: '11', headers: SSE_ACCEPT, at: 2 } },
    ]);
    r.respond(200, SSE_RESPONSE);
    r.complete();
    expect(phases()).toEqual(['11:start', '11:request-headers', '11:response-headers', '11:completed']);
    expect(emitted[2]?.observation).toEqual({ phase: 'response-headers', requestId: '11', status: 200, statusLine: 'HTTP/1.1 200', headers: SSE_RESPONSE, at: 3 });
    expect(tap.size).toBe(0);
  });

  it.each([
    ['a list with parameters', 'text/html, text/event-stream;q=0.9, */*;q=0.1'],
    ['upper case', 'TEXT/EVENT-STREAM'],
    ['spaces around the type', '  text/event-stream  '],
  ])('recognizes Accept as %s', (_name, accept) => {
    const { api, phases } = setup();
    const r = request(api);
    r.start();
    r.send([['accept', accept]]);
    expect(phases()).toEqual(['100:start', '100:request-headers']);
  });

  it.each([
    ['another type', 'application/json'],
    ['a longer subtype', 'text/event-streams'],
    ['the type inside a parameter', 'text/plain; x="text/event-stream"'],
    ['any type', '*/*'],
  ])('does not take Accept with %s as a stream', (_name, accept) => {
    const { api, emitted, tap } = setup();
    const r = request(api);
    r.start();
    r.send([['Accept', accept]]);
    r.respond(200, [['Content-Type', 'application/json']]);
    expect(emitted).toEqual([]);
    expect(tap.size).toBe(1);
  });

  it('emits a CORS preflight (OPTIONS with Access-Control-Request-Method)', () => {
    const { api, emitted, phases } = setup();
    const r = request(api, { requestId: 'p1', method: 'OPTIONS', type: 'other' });
    r.start();
    r.send([['Access-Control-Request-Method', 'POST'], ['Access-Control-Request-Headers', 'authorization'], ['Origin', 'https://app.test']]);
    r.respond(204, [['Access-Control-Allow-Origin', 'https://app.test']]);
    r.complete();
    expect(phases()).toEqual(['p1:start', 'p1:request-headers', 'p1:response-headers', 'p1:completed']);
    expect(emitted[0]?.observation).toMatchObject({ method: 'OPTIONS', resourceType: 'other' });
  });

  it('does not take an OPTIONS request without Access-Control-Request-Method, nor a GET with it, as a preflight', () => {
    const { api, emitted, tap } = setup();
    const options = request(api, { requestId: 'o', method: 'OPTIONS' });
    options.start();
    options.send([['Origin', 'https://app.test']]);
    const get = request(api, { requestId: 'g' });
    get.start();
    get.send([['Access-Control-Request-Method', 'GET']]);
    options.complete();
    get.complete();
    expect(emitted).toEqual([]);
    expect(tap.size).toBe(0);
  });

  it('emits a request decided by a text/event-stream response with its held start and request headers', () => {
    const { api, emitted, phases } = setup();
    const r = request(api, { requestId: 'f1', method: 'POST' });
    r.start();
    r.send([['Accept', '*/*'], ['Content-Type', 'application/json']]);
    expect(emitted).toEqual([]);
    r.respond(200, SSE_RESPONSE);
    expect(phases()).toEqual(['f1:start', 'f1:request-headers', 'f1:response-headers']);
    expect(emitted[1]?.observation).toEqual({ phase: 'request-headers', requestId: 'f1', headers: [['Accept', '*/*'], ['Content-Type', 'application/json']], at: 2 });
    r.fail('net::ERR_ABORTED');
    expect(phases().at(-1)).toBe('f1:error');
  });

  it('takes a response Content-Type of text/event-stream only by its essence', () => {
    const { api, emitted } = setup();
    const r = request(api);
    r.start();
    r.send([]);
    r.respond(200, [['Content-Type', 'text/plain; note=text/event-stream']]);
    expect(emitted).toEqual([]);
  });

  it('never emits unrelated requests and forgets them when they complete or fail', () => {
    const { api, emitted, tap } = setup();
    const ok = request(api, { requestId: 'a' });
    const broken = request(api, { requestId: 'b' });
    ok.start();
    broken.start();
    ok.send([['Accept', 'application/json']]);
    broken.send([['Accept', 'text/html']]);
    expect(tap.size).toBe(2);
    ok.respond(200, [['Content-Type', 'application/json']]);
    ok.complete();
    broken.fail('net::ERR_CONNECTION_REFUSED');
    expect(tap.size).toBe(0);
    // Late events of a forgotten request (and a response that would have decided it) emit nothing.
    ok.respond(200, SSE_RESPONSE);
    broken.send(SSE_ACCEPT);
    expect(emitted).toEqual([]);
    expect(tap.size).toBe(0);
  });

  it('keeps the held observations of interleaved requests apart', () => {
    const { api, phases } = setup();
    const json = request(api, { requestId: 'json' });
    const sse = request(api, { requestId: 'sse' });
    json.start();
    sse.start();
    json.send([['Accept', 'application/json']]);
    sse.send([['Accept', '*/*']]);
    json.respond(200, [['Content-Type', 'application/json']]);
    sse.respond(200, SSE_RESPONSE);
    json.complete();
    sse.complete();
    expect(phases()).toEqual(['sse:start', 'sse:request-headers', 'sse:response-headers', 'sse:completed']);
  });
});

describe('tapWebRequest: redirects, navigations and other tabs', () => {
  it('follows a redirect of a stream under the same requestId, with a new start', () => {
    const { api, emitted, phases } = setup();
    const r = request(api, { requestId: 'r' });
    r.start();
    r.send(SSE_ACCEPT);
    r.respond(302, [['Location', 'https://api2.test/events']]);
    r.redirect('https://api2.test/events');
    r.start({ url: 'https://api2.test/events' });
    r.send(SSE_ACCEPT);
    r.respond(200, SSE_RESPONSE);
    expect(phases()).toEqual(['r:start', 'r:request-headers', 'r:response-headers', 'r:redirect', 'r:start', 'r:request-headers', 'r:response-headers']);
    expect(emitted[3]?.observation).toEqual({ phase: 'redirect', requestId: 'r', redirectUrl: 'https://api2.test/events', at: 4 });
    expect(emitted[4]?.observation).toMatchObject({ phase: 'start', url: 'https://api2.test/events' });
  });

  it('replays every hop of an undecided request once its final response declares a stream', () => {
    const { api, phases } = setup();
    const r = request(api, { requestId: 'u' });
    r.start();
    r.send([['Accept', '*/*']]);
    r.respond(307, [['Location', '/events2']]);
    r.redirect('https://api.test/events2');
    r.start({ url: 'https://api.test/events2' });
    r.send([['Accept', '*/*']]);
    r.respond(200, SSE_RESPONSE);
    expect(phases()).toEqual(['u:start', 'u:request-headers', 'u:response-headers', 'u:redirect', 'u:start', 'u:request-headers', 'u:response-headers']);
  });

  it('reports a main_frame request as a navigation and emits nothing for it', () => {
    const { api, emitted, navigations, tap } = setup();
    const page = request(api, { requestId: 'nav', type: 'main_frame', tabId: 3, url: 'https://app.test/' });
    page.start();
    page.send([['Accept', 'text/event-stream']]);
    page.respond(200, SSE_RESPONSE);
    page.complete();
    expect(navigations).toEqual([[3, 'https://app.test/']]);
    expect(emitted).toEqual([]);
    expect(tap.size).toBe(0);
  });

  it('ignores requests with no tab (tabId -1), whatever they carry', () => {
    const { api, emitted, navigations, tap } = setup();
    const background = request(api, { tabId: -1 });
    background.start();
    background.send(SSE_ACCEPT);
    background.respond(200, SSE_RESPONSE);
    background.complete();
    request(api, { tabId: -1, type: 'main_frame', requestId: 'nav' }).start();
    expect(emitted).toEqual([]);
    expect(navigations).toEqual([]);
    expect(tap.size).toBe(0);
  });

  it('takes the initiator from Chromium `initiator` or Firefox `originUrl`, else null', () => {
    const { api, emitted } = setup();
    const cases: Partial<RawDetails>[] = [
      { requestId: '1', initiator: 'https://a.test' },
      { requestId: '2', originUrl: 'https://b.test:8443/page?q=1#x' },
      { requestId: '3', originUrl: 'not a url' },
      { requestId: '4' },
      { requestId: '5', initiator: 'null' },
    ];
    for (const fields of cases) {
      const r = request(api, fields);
      r.start();
      r.send(SSE_ACCEPT);
    }
    const initiators = emitted.filter((e) => e.observation.phase === 'start').map((e) => (e.observation.phase === 'start' ? e.observation.initiator : undefined));
    expect(initiators).toEqual(['https://a.test', 'https://b.test:8443', null, null, 'null']);
  });
});

describe('tapWebRequest: bounds', () => {
  it('forgets the oldest undecided request past maxUndecided and counts it', () => {
    const { api, phases, tap } = setup();
    for (let i = 0; i <= WEB_REQUEST_BOUNDS.maxUndecided; i++) request(api, { requestId: `q${i}` }).start();
    expect(tap.overflowed).toBe(1);
    expect(tap.size).toBe(WEB_REQUEST_BOUNDS.maxUndecided);
    // The evicted one is gone even if it turns out to be a stream; the next oldest is still held.
    request(api, { requestId: 'q0' }).send(SSE_ACCEPT);
    request(api, { requestId: 'q1' }).send(SSE_ACCEPT);
    expect(phases()).toEqual(['q1:start', 'q1:request-headers']);
  });

  it('counts a stream that finds the tracked set full, and emits nothing of it', () => {
    const { api, emitted, tap } = setup();
    for (let i = 0; i < WEB_REQUEST_BOUNDS.maxTracked; i++) {
      const r = request(api, { requestId: `s${i}` });
      r.start();
      r.send(SSE_ACCEPT);
    }
    const emittedBefore = emitted.length;
    const late = request(api, { requestId: 'late' });
    late.start();
    late.send(SSE_ACCEPT);
    late.respond(200, SSE_RESPONSE);
    expect(tap.overflowed).toBe(1);
    expect(emitted.length).toBe(emittedBefore);
    expect(tap.size).toBe(WEB_REQUEST_BOUNDS.maxTracked);
  });

  it('clips header count, names and values', () => {
    const { api, emitted } = setup();
    const lines: HeaderLine[] = [['Accept', 'text/event-stream'], ['N'.repeat(1000), 'v'], ['Long', 'x'.repeat(20_000)]];
    for (let i = 0; i < 300; i++) lines.push([`X-${i}`, String(i)]);
    const r = request(api);
    r.start();
    r.send(lines);
    const observation = emitted[1]?.observation;
    if (observation?.phase !== 'request-headers') throw new Error('expected request headers');
    expect(observation.headers).toHaveLength(WEB_REQUEST_BOUNDS.maxHeaders);
    expect(observation.headers[1]?.[0]).toBe('N'.repeat(WEB_REQUEST_BOUNDS.maxHeaderNameLength));
    expect(observation.headers[2]?.[1]).toBe('x'.repeat(WEB_REQUEST_BOUNDS.maxHeaderValueLength));
    expect(observation.headers.at(-1)).toEqual(['X-124', '124']);
  });

  it('does not see an Accept header past the header bound', () => {
    const { api, emitted } = setup();
    const lines: HeaderLine[] = Array.from({ length: WEB_REQUEST_BOUNDS.maxHeaders }, (_, i) => [`X-${i}`, 'v'] as const);
    const r = request(api);
    r.start();
    r.send([...lines, ['Accept', 'text/event-stream']]);
    expect(emitted).toEqual([]);
  });

  it('reads binaryValue headers as Latin-1, clipped, and decides on them', () => {
    const { api, emitted } = setup();
    const bytes = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
    const r = request(api);
    r.start();
    api.onSendHeaders.fire(
      details({
        timeStamp: 2,
        requestHeaders: [
          { name: 'Accept', binaryValue: bytes('text/event-stream') },
          { name: 'X-Latin1', binaryValue: new Uint8Array([0x63, 0x61, 0x66, 0xe9]) },
          { name: 'X-Huge', binaryValue: new Uint8Array(200_000).fill(0x61) },
          { name: 'X-Nothing' },
        ],
      }),
    );
    const observation = emitted[1]?.observation;
    if (observation?.phase !== 'request-headers') throw new Error('expected request headers');
    expect(observation.headers).toEqual([
      ['Accept', 'text/event-stream'],
      ['X-Latin1', 'café'],
      ['X-Huge', 'a'.repeat(WEB_REQUEST_BOUNDS.maxHeaderValueLength)],
      ['X-Nothing', ''],
    ]);
  });

  it('clips URLs, methods, status lines and errors, and names a missing error', () => {
    const { api, emitted } = setup();
    const url = `https://api.test/${'p'.repeat(20_000)}`;
    const r = request(api, { url, method: 'M'.repeat(1000) });
    r.start();
    r.send(SSE_ACCEPT);
    r.respond(200, SSE_RESPONSE, { statusLine: 'S'.repeat(1000) });
    r.redirect(`https://api.test/${'r'.repeat(20_000)}`);
    r.fail();
    const [start, , response, redirect, error] = emitted.map((e) => e.observation);
    expect(start).toMatchObject({ url: url.slice(0, WEB_REQUEST_BOUNDS.maxUrlLength), method: 'M'.repeat(WEB_REQUEST_BOUNDS.maxTextLength) });
    expect(response).toMatchObject({ statusLine: 'S'.repeat(WEB_REQUEST_BOUNDS.maxTextLength) });
    expect(redirect?.phase === 'redirect' && redirect.redirectUrl.length).toBe(WEB_REQUEST_BOUNDS.maxUrlLength);
    expect(error).toEqual({ phase: 'error', requestId: '100', error: 'unknown error', at: 6 });

    const long = request(api, { requestId: 'e' });
    long.start();
    long.send(SSE_ACCEPT);
    long.fail('E'.repeat(5000));
    expect(emitted.at(-1)?.observation).toMatchObject({ error: 'E'.repeat(WEB_REQUEST_BOUNDS.maxTextLength) });
  });

  it('reports status 0 and an empty status line when the browser gives none', () => {
    const { api, emitted } = setup();
    const r = request(api);
    r.start();
    r.send(SSE_ACCEPT);
    api.onHeadersReceived.fire(details({ timeStamp: 3, responseHeaders: raw(SSE_RESPONSE) }));
    expect(emitted[2]?.observation).toMatchObject({ status: 0, statusLine: '' });
  });
});

describe('tapWebRequest: listener registration', () => {
  it('asks for extraHeaders on request and response headers when Chromium offers it, never on onErrorOccurred', () => {
    const { api } = setup('chromium');
    expect(api.onSendHeaders.registrations.map((r) => r.rest)).toEqual([[['requestHeaders', 'extraHeaders']]]);
    expect(api.onHeadersReceived.registrations.map((r) => r.rest)).toEqual([[['responseHeaders', 'extraHeaders']]]);
    // Not even an explicit undefined: Firefox refuses any extraInfoSpec argument here.
    expect(api.onErrorOccurred.registrations.map((r) => r.rest)).toEqual([[]]);
    for (const event of [api.onBeforeRequest, api.onBeforeRedirect, api.onCompleted]) expect(event.registrations.map((r) => r.rest)).toEqual([[]]);
  });

  it.each(['firefox', 'chromium-without-extra-headers'] as const)('asks only for the headers where extraHeaders is not offered (%s)', (browser) => {
    const { api } = setup(browser);
    expect(api.onSendHeaders.registrations.map((r) => r.rest)).toEqual([[['requestHeaders']]]);
    expect(api.onHeadersReceived.registrations.map((r) => r.rest)).toEqual([[['responseHeaders']]]);
    expect(api.onErrorOccurred.registrations.map((r) => r.rest)).toEqual([[]]);
  });

  it('listens to every URL for streams, preflights and top-level navigations, once per event', () => {
    const { api } = setup();
    for (const event of [api.onBeforeRequest, api.onSendHeaders, api.onHeadersReceived, api.onBeforeRedirect, api.onCompleted, api.onErrorOccurred]) {
      expect(event.registrations).toHaveLength(1);
      expect(event.registrations[0]?.filter.urls).toEqual(['<all_urls>']);
      expect([...(event.registrations[0]?.filter.types ?? [])].sort()).toEqual(['main_frame', 'other', 'xmlhttprequest']);
    }
  });
});
