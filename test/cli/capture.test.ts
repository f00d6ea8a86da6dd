import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { captureStream, type CaptureOptions } from '../../cli/client/capture';
import { verdicts } from '../../lib/cors/verdict';
import { headerMapOf } from '../../lib/model/headers';
import { closeAll, EVENT_STREAM, startServer } from './servers';

const PAGE = 'https://app.test';

function capture(options: Partial<CaptureOptions> & { url: string }) {
  return captureStream({
    pageOrigin: PAGE,
    client: 'eventsource',
    credentials: false,
    method: 'GET',
    headers: [],
    durationMs: 300,
    probeSecurity: false,
    userAgent: 'sse-inspector/test',
    ...options,
  });
}

const requestHeader = (lines: readonly (readonly [string, string])[], name: string) => headerMapOf(lines).get(name);

afterEach(closeAll);

describe('captureStream: CORS', () => {
  it('records a credentialed EventSource blocked by a wildcard ACAO, and does not reconnect', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { ...EVENT_STREAM, 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Credentials': 'true' });
      res.write('data: secret\n\n');
    });
    const { record } = await capture({ url: server.url(), credentials: true, durationMs: 2000 });

    expect(server.requests).toHaveLength(1);
    expect(record.client).toEqual({ kind: 'eventsource', credentials: 'include', method: 'GET', headers: [] });
    expect(record.exchanges).toHaveLength(1);
    const [response] = record.exchanges;
    expect(response).toMatchObject({ kind: 'response', attempt: 1, method: 'GET', status: 200, bodyEnd: 'client' });
    expect(requestHeader(response!.requestHeaders, 'origin')).toBe(PAGE);
    expect(requestHeader(response!.requestHeaders, 'accept')).toBe('text/event-stream');
    expect(requestHeader(response!.requestHeaders, 'cache-control')).toBe('no-cache');
    expect(record.readyStates.map((r) => r.state)).toEqual([0, 2]);
    expect(record.events).toEqual([]);
    const verdict = verdicts(record);
    expect(verdict.chromium).toMatchObject({ outcome: 'blocked', corsError: 'WildcardOriginNotAllowed' });
    expect(verdict.firefox).toMatchObject({ outcome: 'blocked', reason: 'CORSNotSupportingCredentials' });
  });

  it('sends no Origin on a same-origin EventSource and reads its events', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, EVENT_STREAM);
      res.write('event: tick\ndata: 1\n\n');
    });
    const { record } = await capture({ url: server.url(), pageOrigin: server.origin });
    expect(server.requests[0]?.header('origin')).toBeUndefined();
    expect(record.events.map((e) => [e.type, e.data])).toEqual([['tick', '1']]);
    expect(record.exchanges[0]?.bodyEnd).toBeNull();
    expect(record.readyStates.map((r) => r.state)).toEqual([0, 1]);
    expect(verdicts(record).chromium.outcome).toBe('open');
  });

  it('keeps the case, order and duplicates of response header lines', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, [
        'Content-Type', 'text/event-stream',
        'Access-Control-Allow-Origin', PAGE,
        'access-control-allow-origin', PAGE,
        'X-Trace', 'a',
        'X-TRACE', 'b',
      ]);
      res.write('data: x\n\n');
    });
    const { record } = await capture({ url: server.url() });
    const lines = record.exchanges[0]?.responseHeaders ?? [];
    expect(lines.filter(([name]) => /^(access-control-allow-origin|x-trace)$/i.test(name))).toEqual([
      ['Access-Control-Allow-Origin', PAGE],
      ['access-control-allow-origin', PAGE],
      ['X-Trace', 'a'],
      ['X-TRACE', 'b'],
    ]);
    const verdict = verdicts(record);
    expect(verdict.chromium.corsError).toBe('MultipleAllowOriginValues');
    expect(verdict.firefox.reason).toBe('CORSMultipleAllowOriginNotAllowed');
  });

  it('taints the Origin to null after a redirect between two foreign origins', async () => {
    const api2 = await startServer((_req, res) => {
      res.writeHead(200, { ...EVENT_STREAM, 'Access-Control-Allow-Origin': PAGE });
      res.write('data: x\n\n');
    });
    const api = await startServer((_req, res) => {
      res.writeHead(302, { Location: api2.url('/moved'), 'Access-Control-Allow-Origin': PAGE });
      res.end();
    });
    const { record } = await capture({ url: api.url() });

    expect(api.requests[0]?.header('origin')).toBe(PAGE);
    expect(api2.requests[0]?.header('origin')).toBe('null');
    expect(record.exchanges.map((e) => [e.kind, e.status, e.url])).toEqual([
      ['redirect', 302, api.url()],
      ['response', 200, api2.url('/moved')],
    ]);
    expect(record.exchanges[0]?.bodyEnd).toBe('server');
    expect(requestHeader(record.exchanges[1]!.requestHeaders, 'origin')).toBe('null');
    // Answering the page origin after a tainting hop fails (browser-facts §1).
    expect(verdicts(record).chromium).toMatchObject({ outcome: 'blocked', corsError: 'AllowOriginMismatch', requestOrigin: 'null' });
  });

  it('stops at a redirect that fails the CORS check, as the browser does', async () => {
    const api2 = await startServer((_req, res) => res.end());
    const api = await startServer((_req, res) => {
      res.writeHead(307, { Location: api2.url() });
      res.end();
    });
    const { record } = await capture({ url: api.url() });
    expect(api2.requests).toHaveLength(0);
    expect(record.exchanges.map((e) => e.kind)).toEqual(['redirect']);
    expect(verdicts(record).chromium.corsError).toBe('MissingAllowOriginHeader');
  });
});

describe('captureStream: preflight', () => {
  const cors = { 'Access-Control-Allow-Origin': PAGE };

  it('sends a preflight for a cross-origin fetch with custom headers, then the request', async () => {
    const server = await startServer((req, res) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...cors, 'Access-Control-Allow-Headers': 'Authorization, X-Api-Key' });
        res.end();
        return;
      }
      res.writeHead(200, { ...EVENT_STREAM, ...cors });
      res.write('data: ok\n\n');
    });
    const { record } = await capture({
      url: server.url(),
      client: 'fetch',
      headers: [['X-Api-Key', 'k'], ['Authorization', 'Bearer t'], ['Accept', 'text/event-stream']],
    });

    expect(server.requests.map((r) => r.method)).toEqual(['OPTIONS', 'GET']);
    const preflight = server.requests[0]!;
    expect(preflight.header('origin')).toBe(PAGE);
    expect(preflight.header('access-control-request-method')).toBe('GET');
    expect(preflight.header('access-control-request-headers')).toBe('authorization,x-api-key');
    expect(preflight.header('x-api-key')).toBeUndefined();
    expect(server.requests[1]?.header('x-api-key')).toBe('k');
    expect(record.exchanges.map((e) => [e.kind, e.method, e.status])).toEqual([
      ['preflight', 'OPTIONS', 204],
      ['response', 'GET', 200],
    ]);
    expect(record.readyStates).toEqual([]);
    expect(verdicts(record).chromium.outcome).toBe('open');
  });

  it('does not send the request when the preflight fails Chromium’s check', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(204, cors);
      res.end();
    });
    const { record } = await capture({ url: server.url(), client: 'fetch', headers: [['X-Api-Key', 'k']] });
    expect(server.requests.map((r) => r.method)).toEqual(['OPTIONS']);
    expect(verdicts(record).chromium).toMatchObject({ corsError: 'HeaderDisallowedByPreflightResponse', failedParameter: 'x-api-key' });
  });

  it('after an origin-tainting hop sends Chromium\'s preflight (Origin null) and Firefox\'s (the page origin), and goes on while one passes', async () => {
    // API2 keeps an allowlist: it answers only the page origin.
    const allowlisted = (origin: string | undefined) => (origin === PAGE ? cors : {});
    const api2 = await startServer((req, res) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...allowlisted(req.headers.origin), 'Access-Control-Allow-Headers': 'X-Api-Key' });
        res.end();
        return;
      }
      res.writeHead(200, { ...EVENT_STREAM, ...allowlisted(req.headers.origin) });
      res.write('data: x\n\n');
    });
    const api = await startServer((req, res) => {
      res.writeHead(req.method === 'OPTIONS' ? 204 : 307, { ...cors, 'Access-Control-Allow-Headers': 'X-Api-Key', Location: api2.url('/moved') });
      res.end();
    });
    const { record } = await capture({ url: api.url(), client: 'fetch', headers: [['X-Api-Key', 'k']] });

    expect(api2.requests.map((r) => [r.method, r.header('origin')])).toEqual([
      ['OPTIONS', 'null'],
      ['OPTIONS', PAGE],
      ['GET', 'null'],
    ]);
    expect(record.exchanges.map((e) => [e.kind, e.status])).toEqual([
      ['preflight', 204],
      ['redirect', 307],
      ['preflight', 204],
      ['preflight', 204],
      ['response', 200],
    ]);
    const { chromium, firefox } = verdicts(record);
    expect([chromium.cause, chromium.corsError, chromium.exchangeIndex]).toEqual(['preflight', 'PreflightMissingAllowOriginHeader', 2]);
    expect([firefox.cause, firefox.reason, firefox.exchangeIndex]).toEqual(['cors', 'CORSMissingAllowOrigin', 4]);
  });

  it('after an origin-tainting hop stops when both browsers\' preflights fail', async () => {
    const api2 = await startServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    const api = await startServer((req, res) => {
      res.writeHead(req.method === 'OPTIONS' ? 204 : 307, { ...cors, 'Access-Control-Allow-Headers': 'X-Api-Key', Location: api2.url('/moved') });
      res.end();
    });
    const { record } = await capture({ url: api.url(), client: 'fetch', headers: [['X-Api-Key', 'k']] });
    expect(api2.requests.map((r) => r.method)).toEqual(['OPTIONS', 'OPTIONS']);
    expect(record.exchanges.map((e) => e.kind)).toEqual(['preflight', 'redirect', 'preflight', 'preflight']);
  });

  it.each([
    ['an EventSource', { client: 'eventsource' as const }],
    ['a fetch with only safelisted headers', { client: 'fetch' as const, headers: [['Accept', 'text/event-stream']] as const }],
    ['a same-origin fetch with custom headers', { client: 'fetch' as const, headers: [['X-Api-Key', 'k']] as const, sameOrigin: true }],
  ])('sends no preflight for %s', async (_name, options) => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { ...EVENT_STREAM, ...cors });
      res.end('data: x\n\n');
    });
    const { sameOrigin, ...rest } = { sameOrigin: false, ...options };
    const { record } = await capture({ url: server.url(), ...rest, ...(sameOrigin ? { pageOrigin: server.origin } : {}), durationMs: 200 });
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(record.exchanges.some((e) => e.kind === 'preflight')).toBe(false);
  });
});

describe('captureStream: reconnects and bodies', () => {
  it('reconnects after the server ends, honouring retry: and sending Last-Event-ID', async () => {
    const server = await startServer((_req, res, _request, index) => {
      res.writeHead(200, EVENT_STREAM);
      res.end(`retry: 100\nid: e${index}\ndata: ${index}\n\n`);
    });
    const { record } = await capture({ url: server.url(), pageOrigin: server.origin, durationMs: 1500 });

    // The last attempt may still be waiting for its headers when the duration ends.
    const last = record.exchanges.at(-1)!;
    const done = last.status === null ? record.exchanges.slice(0, -1) : record.exchanges;
    expect(done.length).toBeGreaterThanOrEqual(3);
    expect(server.requests[0]?.header('last-event-id')).toBeUndefined();
    server.requests.slice(1).forEach((request, i) => expect(request.header('last-event-id')).toBe(`e${i}`));
    record.exchanges.forEach((exchange, i) => {
      expect(exchange.attempt).toBe(i + 1);
      const previous = record.exchanges[i - 1];
      // Timers never fire early by more than the clock's 1 ms rounding.
      if (previous) expect(exchange.timing.startedAt - (previous.timing.endedAt ?? 0)).toBeGreaterThanOrEqual(99);
    });
    for (const exchange of done) expect(exchange).toMatchObject({ status: 200, bodyEnd: 'server' });
    // An attempt is only started when its retry delay ends within the duration.
    expect(last.timing.startedAt).toBeLessThan(1500);
    expect(record.retryValues.every((v) => v === 100)).toBe(true);
    expect(record.events.map((e) => e.id)).toEqual(done.map((_e, i) => `e${i}`));
    expect(record.readyStates.map((r) => r.state)).toEqual([0, ...done.flatMap(() => [1, 0])]);
    expect(verdicts(record).chromium).toMatchObject({ outcome: 'reconnecting', cause: 'server-ended' });
  });

  it('records a connection broken mid-body as a network end, then reconnects', async () => {
    const server = await startServer((_req, res, _request, index) => {
      res.writeHead(200, EVENT_STREAM);
      if (index === 0) res.write('retry: 20\ndata: a\n\n', () => res.socket?.destroy());
      else res.write('data: b\n\n');
    });
    const { record } = await capture({ url: server.url(), pageOrigin: server.origin, durationMs: 300 });
    expect(record.exchanges[0]).toMatchObject({ attempt: 1, status: 200, bodyEnd: 'network', error: 'net::ERR_CONNECTION_RESET' });
    expect(record.exchanges[1]).toMatchObject({ attempt: 2, status: 200, bodyEnd: null });
    expect(record.events.map((e) => [e.attempt, e.data])).toEqual([[1, 'a'], [2, 'b']]);
  });

  it('sends a non-ASCII Last-Event-ID as UTF-8 bytes', async () => {
    const server = await startServer((_req, res, _request, index) => {
      res.writeHead(200, EVENT_STREAM);
      if (index === 0) res.end('retry: 20\nid: é€\ndata: a\n\n');
      else res.write('data: b\n\n');
    });
    const { record } = await capture({ url: server.url(), pageOrigin: server.origin, durationMs: 300 });
    const sent = server.requests[1]?.header('last-event-id') ?? '';
    expect(Buffer.from(sent, 'latin1').toString('utf8')).toBe('é€');
    expect(requestHeader(record.exchanges[1]!.requestHeaders, 'last-event-id')).toBe('é€');
  });

  it('keeps the captured attempts when a reconnect finds the server gone', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, EVENT_STREAM);
      res.end('retry: 50\ndata: once\n\n', () => void server.close());
    });
    const { record } = await capture({ url: server.url(), pageOrigin: server.origin, durationMs: 400 });
    expect(record.exchanges[0]).toMatchObject({ attempt: 1, status: 200, bodyEnd: 'server' });
    expect(record.exchanges[1]).toMatchObject({ attempt: 2, status: null, error: 'net::ERR_CONNECTION_REFUSED' });
    expect(record.events.map((e) => e.data)).toEqual(['once']);
  });

  it('decompresses a gzip body and records the encoding and the wire size', async () => {
    const body = gzipSync('data: zipped\n\n');
    const server = await startServer((_req, res) => {
      res.writeHead(200, { ...EVENT_STREAM, 'Content-Encoding': 'gzip' });
      res.end(body);
    });
    const { record } = await capture({ url: server.url(), pageOrigin: server.origin, durationMs: 200 });
    expect(server.requests[0]?.header('accept-encoding')).toBe('gzip, deflate, br');
    expect(requestHeader(record.exchanges[0]!.responseHeaders, 'content-encoding')).toBe('gzip');
    expect(record.exchanges[0]?.bodyBytes).toBe(body.length);
    expect(record.events[0]?.data).toBe('zipped');
  });

  it('fails the connection on a wrong MIME type without reading on', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.write('<html>');
    });
    const { record } = await capture({ url: server.url(), pageOrigin: server.origin, durationMs: 2000 });
    expect(server.requests).toHaveLength(1);
    expect(record.readyStates.map((r) => r.state)).toEqual([0, 2]);
    expect(verdicts(record).chromium).toMatchObject({ outcome: 'failed', cause: 'mime' });
  });
});

describe('captureStream: --probe-security', () => {
  it('sends each hostile Origin once and records what the server answered', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(200, { ...EVENT_STREAM, 'Access-Control-Allow-Origin': req.headers.origin ?? '*', 'Access-Control-Allow-Credentials': 'true' });
      res.write('data: x\n\n');
    });
    const { record } = await capture({ url: server.url(), durationMs: 100, probeSecurity: true });
    const probes = record.originProbes;
    expect(probes.map((p) => p.kind)).toEqual(expect.arrayContaining(['arbitrary', 'null', 'prefix', 'suffix', 'subdomain', 'http-downgrade']));
    for (const probe of probes) {
      expect(probe).toEqual({ kind: probe.kind, origin: probe.origin, status: 200, allowOrigin: probe.origin, allowCredentials: 'true' });
    }
    const probeOriginsSent = server.requests.slice(1).map((r) => r.header('origin'));
    expect(probeOriginsSent.sort()).toEqual(probes.map((p) => p.origin).sort());
    expect(server.requests.slice(1).every((r) => r.method === 'GET')).toBe(true);
  });
});
