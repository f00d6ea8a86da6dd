import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, type Endpoint } from '@/playground/endpoints';
import { startPlayground, type Playground } from '@/playground/server';

interface Answer {
  readonly status: number;
  readonly rawHeaders: readonly string[];
  readonly body: string;
}

/**
 * One HTTP exchange without redirects or pooling. `until` decides when to stop reading: after the
 * headers, after the first complete event (streams never end by themselves in time), or at the end.
 */
function exchange(url: string, init: { method?: string; headers?: Record<string, string>; until?: 'headers' | 'first-event' | 'end' } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      let body = '';
      const done = () => {
        resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body });
        req.destroy();
      };
      const until = init.until ?? 'headers';
      if (until === 'headers') {
        done();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (until === 'first-event' && body.includes('\n\n')) done();
      });
      res.on('end', done);
      res.on('error', reject);
      // A connection torn down mid-body emits neither 'end' nor always 'error'.
      res.on('close', () => reject(new Error('response closed before it ended')));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a stream and resolves once its headers arrived; `over` settles when the connection is gone. */
function openStream(url: string): Promise<{ status: number; over: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, over: new Promise((settle) => res.once('close', () => settle())) });
    });
    req.on('error', reject);
    req.end();
  });
}

function headerLines(answer: Answer, name: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
    if (answer.rawHeaders[i]?.toLowerCase() === name.toLowerCase()) lines.push(answer.rawHeaders[i + 1] ?? '');
  }
  return lines;
}

const PREFLIGHTING = new Set(['fetch-header', 'fetch-header-credentials', 'fetch-authorization']);
/** Endpoints that deliberately hold the response back for 10 s or more. */
const HELD = new Set(['stream-headers-held-back', 'network-no-response']);

describe('playground server', () => {
  let playground: Playground;
  const errors: unknown[] = [];
  let origin: Record<string, string>;

  beforeAll(async () => {
    playground = await startPlayground({ onError: (error) => errors.push(error) });
    origin = { Origin: playground.pageOrigin };
  });
  afterAll(async () => {
    await playground.close();
  });

  const get = (id: string, init: Parameters<typeof exchange>[1] = {}) => exchange(playground.urlFor(id), { headers: origin, ...init });

  it('has at least 70 endpoints and 100 endpoint x scenario pairs', () => {
    expect(playground.endpoints.length).toBeGreaterThanOrEqual(70);
    const pairs = playground.endpoints.reduce((sum, e) => sum + e.scenarios.length, 0);
    expect(pairs).toBeGreaterThanOrEqual(100);
  });

  it('gives every endpoint a unique kebab-case id, a description and known scenarios', () => {
    const ids = playground.endpoints.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of playground.endpoints) {
      expect(e.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(e.description.length).toBeGreaterThan(20);
      expect(e.scenarios.length).toBeGreaterThan(0);
      for (const s of e.scenarios) expect(SCENARIOS).toContain(s);
    }
  });

  it('serves origins on loopback with a localhost page origin', () => {
    expect(playground.pageOrigin).toMatch(/^http:\/\/localhost:\d+$/);
    expect(playground.apiOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(playground.api2Origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(playground.urlFor('acao-missing')).toBe(`${playground.apiOrigin}/sse/acao-missing`);
    expect(playground.urlFor('acao-missing', 'api2')).toBe(`${playground.api2Origin}/sse/acao-missing`);
    expect(playground.urlFor('stream-query-token', 'page')).toBe(`${playground.pageOrigin}/sse/stream-query-token?token=demo`);
    expect(() => playground.urlFor('no-such-endpoint')).toThrow();
  });

  it('lists every endpoint on the index page and serves its script', async () => {
    const page = await exchange(`${playground.pageOrigin}/`, { until: 'end' });
    expect(page.status).toBe(200);
    for (const e of playground.endpoints) expect(page.body).toContain(`data-endpoint="${e.id}"`);
    const script = await exchange(`${playground.pageOrigin}/index.js`, { until: 'end' });
    expect(headerLines(script, 'content-type')).toEqual(['text/javascript; charset=utf-8']);
    expect(script.body).toContain('window.ssePlayground');
    const apiRoot = await exchange(`${playground.apiOrigin}/`);
    expect(apiRoot.status).toBe(404);
  });

  it('answers the allowlisted origin only to the page origin', async () => {
    const allowed = await get('control-exact-origin', { until: 'first-event' });
    expect(headerLines(allowed, 'access-control-allow-origin')).toEqual([playground.pageOrigin]);
    expect(headerLines(allowed, 'vary')).toEqual(['Origin']);
    expect(allowed.body).toBe('data: {"seq":1}\n\n');
    const stranger = await get('control-exact-origin', { headers: { Origin: 'https://evil.example' } });
    expect(headerLines(stranger, 'access-control-allow-origin')).toEqual([]);
  });

  it('sends the intended CORS lines for representative misconfigurations', async () => {
    const missing = await get('acao-missing');
    expect(missing.status).toBe(200);
    expect(headerLines(missing, 'access-control-allow-origin')).toEqual([]);
    expect(headerLines((await get('acao-two-identical-lines')), 'access-control-allow-origin')).toEqual([playground.pageOrigin, playground.pageOrigin]);
    expect(headerLines((await get('acao-comma-separated')), 'access-control-allow-origin')).toHaveLength(1);
    expect(headerLines((await get('acao-trailing-slash')), 'access-control-allow-origin')).toEqual([`${playground.pageOrigin}/`]);
    const reflected = await get('acao-reflected-no-vary', { headers: { Origin: 'https://evil.example' } });
    expect(headerLines(reflected, 'access-control-allow-origin')).toEqual(['https://evil.example']);
    expect(headerLines(reflected, 'vary')).toEqual([]);
    expect(headerLines((await get('acac-capitalized')), 'access-control-allow-credentials')).toEqual(['True']);
  });

  it('answers preflights the way each case describes', async () => {
    const preflight = { ...origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' };
    const noRoute = await get('preflight-no-options-route', { method: 'OPTIONS', headers: preflight });
    expect(noRoute.status).toBe(404);
    expect(headerLines(noRoute, 'access-control-allow-origin')).toEqual([]);
    const unauthorized = await get('preflight-401', { method: 'OPTIONS', headers: preflight });
    expect(unauthorized.status).toBe(401);
    expect(headerLines(unauthorized, 'access-control-allow-origin')).toEqual([playground.pageOrigin]);
    expect(headerLines(unauthorized, 'access-control-allow-headers')).toEqual(['X-API-Key, Authorization']);
    const control = await get('control-preflight-api-key', { method: 'OPTIONS', headers: preflight });
    expect(control.status).toBe(204);
    expect(headerLines(control, 'access-control-allow-headers')).toEqual(['X-API-Key']);
    const redirected = await get('preflight-redirect', { method: 'OPTIONS', headers: preflight });
    expect(redirected.status).toBe(301);
  });

  it('answers OPTIONS 404 without CORS headers where the case is not about preflights', async () => {
    const naive = playground.endpoints.filter(
      (e) => e.category !== 'preflight' && !e.scenarios.some((s) => PREFLIGHTING.has(s)) && !e.id.startsWith('network-'),
    );
    const answers = await Promise.all(naive.map((e) => exchange(playground.urlFor(e.id, e.startOn), { method: 'OPTIONS', headers: origin })));
    answers.forEach((answer, i) => {
      expect({ id: naive[i]?.id, status: answer.status, acao: headerLines(answer, 'access-control-allow-origin') }).toEqual({ id: naive[i]?.id, status: 404, acao: [] });
    });
  });

  it('redirects api -> api2 and the final answer names the page origin', async () => {
    const first = await get('redirect-api-to-api2-page-origin');
    expect(first.status).toBe(302);
    const location = headerLines(first, 'location')[0] ?? '';
    expect(location).toBe(playground.urlFor('redirect-api-to-api2-page-origin', 'api2'));
    // What a browser sends after the hop between two foreign origins.
    const final = await exchange(location, { headers: { Origin: 'null' }, until: 'first-event' });
    expect(final.status).toBe(200);
    expect(headerLines(final, 'access-control-allow-origin')).toEqual([playground.pageOrigin]);
    const fromPage = await exchange(playground.urlFor('redirect-page-to-api', 'page'));
    expect(headerLines(fromPage, 'location')).toEqual([playground.urlFor('redirect-page-to-api')]);
  });

  it('answers statuses and MIME types as labelled', async () => {
    const noCors = await get('status-401-no-cors', { until: 'end' });
    expect(noCors.status).toBe(401);
    expect(headerLines(noCors, 'access-control-allow-origin')).toEqual([]);
    const withCors = await get('status-500-cors', { until: 'end' });
    expect(withCors.status).toBe(500);
    expect(headerLines(withCors, 'access-control-allow-origin')).toEqual([playground.pageOrigin]);
    expect((await get('status-204', { until: 'end' })).status).toBe(204);
    expect(headerLines(await get('mime-missing'), 'content-type')).toEqual([]);
    expect(headerLines(await get('mime-mixed-case'), 'content-type')).toEqual(['Text/Event-Stream; charset=utf-8']);
  });

  it('ends reconnect-loop responses after one event with retry: 300, resuming from Last-Event-ID', async () => {
    const loop = await get('reconnect-loop', { headers: { ...origin, 'Last-Event-ID': '41' }, until: 'end' });
    expect(loop.body).toBe('retry: 300\nid: 42\ndata: {"seq":42}\n\n');
    const tooShort = await get('reconnect-retry-too-short', { until: 'end' });
    expect(tooShort.body.startsWith('retry: 50\n')).toBe(true);
    const bounded = await get('stream-content-length', { until: 'end' });
    expect(Number(headerLines(bounded, 'content-length')[0])).toBe(Buffer.byteLength(bounded.body));
  });

  it('answers every endpoint without a handler error', async () => {
    const prompt = playground.endpoints.filter((e) => !HELD.has(e.id));
    const outcomes = await Promise.all(
      prompt.map((e: Endpoint) =>
        exchange(playground.urlFor(e.id, e.startOn), { headers: origin }).then(
          (answer) => answer.status,
          () => 'network error' as const,
        ),
      ),
    );
    const networkFailures = prompt.filter((_, i) => outcomes[i] === 'network error').map((e) => e.id);
    expect(networkFailures.sort()).toEqual(['network-destroy-before-headers', 'network-reset-before-headers']);
    expect(outcomes).not.toContain(503);
    expect(errors).toEqual([]);
  });

  it('close() resolves promptly while streams are open', async () => {
    const own = await startPlayground();
    const streams = await Promise.all(['control-wildcard', 'stream-opened-silent', 'stream-gzip-unflushed'].map((id) => openStream(own.urlFor(id))));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    // A request whose headers the server holds back for 10 s is still pending too.
    const held = exchange(own.urlFor('stream-headers-held-back')).then(
      () => 'answered',
      () => 'closed',
    );
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await Promise.all(streams.map((s) => s.over));
    expect(await held).toBe('closed');
  });
});
