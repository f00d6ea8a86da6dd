import express from 'express';
import http from 'node:http';
import { describe, expect, it, type TestContext } from 'vitest';
import type { ServerPlan } from '@/lib/fixes/plan';
import { plannedResponse, withPlannedHeaders } from '@/lib/fixes/planned-response';
import { renderSnippets } from '@/lib/fixes/render';
import type { HeaderLine, HeaderList } from '@/lib/model/headers';
import { Loopback } from './apply-fix-servers';

const PAGE = 'https://app.example';

const base: ServerPlan = {
  path: '/events',
  streamUrl: 'https://api.example/events',
  allowedOrigins: [PAGE],
  credentials: false,
  preflight: null,
  heartbeatSeconds: 15,
  retryMs: null,
};

const SSE_LINES: HeaderList = [
  ['Content-Type', 'text/event-stream; charset=utf-8'],
  ['Cache-Control', 'no-cache, no-transform'],
  ['X-Accel-Buffering', 'no'],
];

describe('plannedResponse', () => {
  const cases: readonly { name: string; plan: ServerPlan; kind: 'preflight' | 'redirect' | 'response'; origin: string | null; status: number | null; headers: HeaderList }[] = [
    {
      name: 'stream, listed origin, no credentials',
      plan: base,
      kind: 'response',
      origin: PAGE,
      status: 200,
      headers: [['Vary', 'Origin'], ['Access-Control-Allow-Origin', PAGE], ...SSE_LINES],
    },
    {
      name: 'stream, listed origin, credentials',
      plan: { ...base, credentials: true },
      kind: 'response',
      origin: PAGE,
      status: 200,
      headers: [['Vary', 'Origin'], ['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Credentials', 'true'], ...SSE_LINES],
    },
    {
      name: 'stream, an origin not on the list gets no ACAO (never reflected)',
      plan: { ...base, credentials: true },
      kind: 'response',
      origin: 'https://evil.example',
      status: 200,
      headers: [['Vary', 'Origin'], ...SSE_LINES],
    },
    {
      name: 'stream after a tainting redirect: `null` is never allowed',
      plan: base,
      kind: 'response',
      origin: 'null',
      status: 200,
      headers: [['Vary', 'Origin'], ...SSE_LINES],
    },
    {
      name: 'same-origin stream: no CORS lines at all',
      plan: { ...base, allowedOrigins: [] },
      kind: 'response',
      origin: null,
      status: 200,
      headers: SSE_LINES,
    },
    {
      name: 'preflight with methods and headers',
      plan: { ...base, credentials: true, preflight: { methods: ['PUT'], headers: ['X-API-Key', 'Authorization'] } },
      kind: 'preflight',
      origin: PAGE,
      status: 204,
      headers: [
        ['Vary', 'Origin'],
        ['Access-Control-Allow-Origin', PAGE],
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Methods', 'GET, PUT'],
        ['Access-Control-Allow-Headers', 'X-API-Key, Authorization'],
      ],
    },
    {
      name: 'preflight of a plan that needs none: GET only',
      plan: base,
      kind: 'preflight',
      origin: PAGE,
      status: 204,
      headers: [['Vary', 'Origin'], ['Access-Control-Allow-Origin', PAGE], ['Access-Control-Allow-Methods', 'GET']],
    },
    {
      name: 'redirect hop: CORS only, its own status',
      plan: base,
      kind: 'redirect',
      origin: PAGE,
      status: null,
      headers: [['Vary', 'Origin'], ['Access-Control-Allow-Origin', PAGE]],
    },
    {
      name: 'hostile plan values are left out, as the snippets leave them out',
      plan: { ...base, allowedOrigins: ['https://a b.example'], preflight: { methods: ['PU T'], headers: ['X-Foo$bar', 'X-Trace'] } },
      kind: 'preflight',
      origin: 'https://a b.example',
      status: 204,
      headers: [['Vary', 'Origin'], ['Access-Control-Allow-Methods', 'GET'], ['Access-Control-Allow-Headers', 'X-Trace']],
    },
  ];
  it.each(cases)('$name', ({ plan, kind, origin, status, headers }) => {
    const planned = plannedResponse(plan, { kind, requestOrigin: origin });
    expect(planned.status).toBe(status);
    expect(planned.headers).toEqual(headers);
  });
});

describe('withPlannedHeaders', () => {
  const planned = plannedResponse({ ...base, credentials: true }, { kind: 'response', requestOrigin: PAGE });

  it('replaces owned lines in place, keeps the rest and its order', () => {
    const captured: HeaderList = [
      ['Date', 'Wed, 25 Nov 2026 21:33:00 GMT'],
      ['Content-Type', 'text/plain'],
      ['Access-Control-Allow-Origin', '*'],
      ['access-control-allow-origin', '*'],
      ['Content-Length', '12'],
      ['X-Request-Id', 'abc'],
    ];
    expect(withPlannedHeaders(captured, planned)).toEqual([
      ['Date', 'Wed, 25 Nov 2026 21:33:00 GMT'],
      ['Vary', 'Origin'],
      ['Access-Control-Allow-Origin', PAGE],
      ['Access-Control-Allow-Credentials', 'true'],
      ...SSE_LINES,
      ['X-Request-Id', 'abc'],
    ]);
  });

  it('appends when nothing is owned yet', () => {
    expect(withPlannedHeaders([['Server', 'node']], planned)).toEqual([['Server', 'node'], ...planned.headers]);
  });

  it('adds Origin to an existing Vary line, or leaves one that has it', () => {
    const merged = withPlannedHeaders<HeaderLine>([['Vary', 'Accept-Encoding'], ['Server', 'node']], planned);
    expect(merged.filter(([name]) => name.toLowerCase() === 'vary')).toEqual([['Vary', 'Accept-Encoding, Origin']]);
    const kept = withPlannedHeaders<HeaderLine>([['vary', 'origin']], planned);
    expect(kept.filter(([name]) => name.toLowerCase() === 'vary')).toEqual([['vary', 'origin']]);
  });
});

/**
 * The function's lines must be what the snippets really send: the Express snippet rendered from
 * the same plan runs on a real server, and its answers are compared line by line.
 */
describe.concurrent('plannedResponse matches what the rendered Express snippet sends', () => {
  const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'x-powered-by', 'content-length']);

  function request(url: string, method: string, headers: Record<string, string>): Promise<{ status: number; headers: [string, string][] }> {
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method, headers }, (res) => {
        const raw = res.rawHeaders;
        const lines: [string, string][] = [];
        for (let i = 0; i < raw.length; i += 2) lines.push([raw[i] as string, raw[i + 1] as string]);
        // Only the head matters; the stream itself never ends.
        res.destroy();
        resolve({ status: res.statusCode ?? 0, headers: lines.filter(([name]) => !TRANSPORT.has(name.toLowerCase())) });
      });
      req.on('error', reject);
      req.end();
    });
  }

  const plans: readonly { name: string; plan: ServerPlan }[] = [
    { name: 'credentials', plan: { ...base, credentials: true } },
    { name: 'preflight', plan: { ...base, credentials: true, preflight: { methods: [], headers: ['X-API-Key'] } } },
    { name: 'no credentials', plan: base },
  ];

  it.for(plans)('$name', async ({ plan }, context: TestContext) => {
    const servers = new Loopback();
    context.onTestFinished(() => servers.stop());
    const app = express();
    const [snippet] = renderSnippets(plan, ['express']);
    Reflect.apply(new Function('app', snippet?.code ?? ''), undefined, [app]);
    const running = await servers.serve(app);

    const stream = await request(running.url(plan.path), 'GET', { Origin: PAGE, Accept: 'text/event-stream' });
    const expected = plannedResponse(plan, { kind: 'response', requestOrigin: PAGE });
    expect(stream.status).toBe(expected.status);
    expect(stream.headers).toEqual(expected.headers);

    const stranger = await request(running.url(plan.path), 'GET', { Origin: 'https://evil.example' });
    expect(stranger.headers).toEqual(plannedResponse(plan, { kind: 'response', requestOrigin: 'https://evil.example' }).headers);

    if (plan.preflight) {
      const preflight = await request(running.url(plan.path), 'OPTIONS', {
        Origin: PAGE,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'x-api-key',
      });
      const planned = plannedResponse(plan, { kind: 'preflight', requestOrigin: PAGE });
      expect(preflight.status).toBe(planned.status);
      expect(preflight.headers).toEqual(planned.headers);
    }
  });
});
