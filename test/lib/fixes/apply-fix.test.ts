import express, { type Express } from 'express';
import type { ServerResponse } from 'node:http';
import { describe, expect, it, type TestContext } from 'vitest';
import { captureStream } from '@/cli/client/capture';
import { analyzeStream, type StreamAnalysis } from '@/lib/engine';
import type { Platform, Snippet } from '@/lib/fixes/plan';
import { UPSTREAM } from '@/lib/fixes/platforms/common';
import { renderFix } from '@/lib/fixes/render';
import { headerMapOf, type HeaderList } from '@/lib/model/headers';
import type { ClientKind } from '@/lib/model/record';
import { Loopback, requireNginx, tick } from './apply-fix-servers';

/**
 * The fix snippets, proven end to end: a really broken server on loopback is captured the way
 * the CLI captures it, the engine blocks it, the snippet rendered from the finding's own fix is
 * applied verbatim to a real server (Express) or proxy (nginx), and the same capture now opens.
 */

// A page on another origin than every server here (they all listen on 127.0.0.1).
const PAGE = 'http://localhost:5173';
const PATH = '/events';

interface PageClient {
  readonly client: ClientKind;
  readonly credentials: boolean;
  readonly headers: HeaderList;
}

const EVENTSOURCE_WITH_CREDENTIALS: PageClient = { client: 'eventsource', credentials: true, headers: [] };
const EVENTSOURCE: PageClient = { client: 'eventsource', credentials: false, headers: [] };
const FETCH_WITH_API_KEY: PageClient = { client: 'fetch', credentials: false, headers: [['X-API-Key', 'k-123']] };

async function capture(url: string, page: PageClient, durationMs = 1500): Promise<StreamAnalysis> {
  const result = await captureStream({
    url,
    pageOrigin: PAGE,
    client: page.client,
    credentials: page.credentials,
    method: 'GET',
    headers: page.headers,
    durationMs,
    probeSecurity: false,
    userAgent: 'sse-inspector/apply-fix-test',
  });
  expect(result.unreachable).toBeNull();
  return analyzeStream(result.record);
}

const outcomes = (analysis: StreamAnalysis) => ({
  chromium: analysis.verdicts.chromium.outcome,
  firefox: analysis.verdicts.firefox.outcome,
});

const ruleIds = (analysis: StreamAnalysis): string[] => analysis.findings.map((finding) => finding.ruleId);

/** The snippet for `platform`, rendered from the fix of the finding `ruleId` raised. */
function snippetFor(analysis: StreamAnalysis, ruleId: string, platform: Platform): Snippet {
  const finding = analysis.findings.find((f) => f.ruleId === ruleId);
  if (!finding) throw new Error(`no ${ruleId} finding; got ${ruleIds(analysis).join(', ')}`);
  const [snippet] = renderFix(finding.fix, [platform]).snippets;
  if (!snippet) throw new Error(`no ${platform} snippet`);
  expect(snippet.platform).toBe(platform);
  return snippet;
}

/** The final response of the capture: the stream itself. */
function streamResponse(analysis: StreamAnalysis) {
  const response = analysis.record.exchanges.findLast((exchange) => exchange.kind === 'response');
  if (!response) throw new Error('the capture has no response exchange');
  return { exchange: response, headers: headerMapOf(response.responseHeaders) };
}

function expectTicks(analysis: StreamAnalysis): void {
  expect(analysis.record.events.length).toBeGreaterThan(0);
  for (const event of analysis.record.events) expect(event.data).toMatch(/^\{"tick":\d+\}$/);
}

function eventStreamHead(res: ServerResponse): void {
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
}

/** Servers for one test, stopped when it ends, pass or fail: the tests run concurrently. */
function loopback({ onTestFinished }: TestContext): Loopback {
  const servers = new Loopback();
  onTestFinished(() => servers.stop());
  return servers;
}

describe.concurrent('Express: the rendered snippet, applied to a broken app, opens the stream', () => {
  interface ExpressCase {
    readonly name: string;
    readonly page: PageClient;
    /** The misconfigured stream route, as users write it. */
    readonly brokenRoute: (app: Express) => void;
    /** Every finding the broken capture raises, in order. */
    readonly before: readonly string[];
    /** The finding whose fix is applied. */
    readonly fixFrom: string;
    /** Every finding left once the fix is in. */
    readonly after: readonly string[];
  }

  const cases: readonly ExpressCase[] = [
    {
      name: 'ACAO `*` while the page uses EventSource withCredentials',
      page: EVENTSOURCE_WITH_CREDENTIALS,
      brokenRoute: (app) =>
        app.get(PATH, (_req, res) => {
          // What `cors()` with its defaults sends: fine without credentials, refused with them.
          res.setHeader('Access-Control-Allow-Origin', '*');
          eventStreamHead(res);
          res.flushHeaders();
        }),
      before: ['acao-wildcard-with-credentials'],
      fixFrom: 'acao-wildcard-with-credentials',
      after: [],
    },
    {
      name: 'no CORS headers at all, fetch() sending X-API-Key (preflighted)',
      page: FETCH_WITH_API_KEY,
      brokenRoute: (app) =>
        app.get(PATH, (_req, res) => {
          eventStreamHead(res);
          res.flushHeaders();
        }),
      // Express answers the OPTIONS preflight itself (200, `Allow: GET, HEAD`), without CORS.
      before: ['acao-missing', 'preflight-triggered-by-request-headers'],
      fixFrom: 'acao-missing',
      // The page still sends X-API-Key, so the preflight (now answered) is still worth a note.
      after: ['preflight-triggered-by-request-headers'],
    },
  ];

  it.for(cases)('$name', async ({ page, brokenRoute, before: findingsBefore, fixFrom, after: findingsAfter }, context) => {
    const servers = loopback(context);
    const broken = express();
    broken.use(servers.tickFeed(PATH, 100));
    brokenRoute(broken);
    const before = await capture((await servers.serve(broken)).url(PATH), page);
    expect(outcomes(before)).toEqual({ chromium: 'blocked', firefox: 'blocked' });
    expect(ruleIds(before)).toEqual(findingsBefore);
    expect(before.record.events).toEqual([]);

    const snippet = snippetFor(before, fixFrom, 'express');
    const fixed = express();
    fixed.use(servers.tickFeed(PATH, 100));
    // The snippet runs verbatim; it assumes `const app = express();` in scope.
    Reflect.apply(new Function('app', snippet.code), undefined, [fixed]);
    const after = await capture((await servers.serve(fixed)).url(PATH), page);

    expect(outcomes(after)).toEqual({ chromium: 'open', firefox: 'open' });
    expect(ruleIds(after)).toEqual(findingsAfter);
    expect(after.findings.every((finding) => finding.severity === 'info')).toBe(true);
    const { exchange, headers } = streamResponse(after);
    expect(exchange.status).toBe(200);
    expect(headers.all('access-control-allow-origin')).toEqual([PAGE]);
    expect(headers.get('access-control-allow-credentials')).toBe(page.credentials ? 'true' : null);
    if (page.client === 'fetch') {
      const preflight = after.record.exchanges.find((e) => e.kind === 'preflight');
      expect(preflight?.status).toBe(204);
    }
    expectTicks(after);
  });
});

describe.concurrent('nginx: the rendered snippet, in front of a broken upstream, opens the stream', () => {
  /** An nginx http {} body with nothing but proxy_pass: every other setting is nginx's default. */
  const naiveProxy = (upstream: string) => (port: number): string =>
    [`server {`, `    listen 127.0.0.1:${port};`, `    location / {`, `        proxy_pass ${upstream};`, `    }`, `}`].join('\n');

  /**
   * The snippet, with only the deployment placeholders it documents swapped for this run: its
   * upstream address (in its note and its one proxy_pass) and `listen 80`. Each directive must
   * appear exactly once, so a renamed placeholder fails here instead of leaving nginx on port
   * 80. The rest (the http-level maps and the server block) goes into http {} as rendered.
   */
  const deploy = (snippet: Snippet, upstream: string) => (port: number): string => {
    expect(snippet.code.split(`proxy_pass ${UPSTREAM};`)).toHaveLength(2);
    expect(snippet.code.split('listen 80;')).toHaveLength(2);
    return snippet.code.replaceAll(UPSTREAM, upstream).replace('listen 80;', `listen 127.0.0.1:${port};`);
  };

  it('adds the missing Access-Control-Allow-Origin (EventSource withCredentials)', async (context) => {
    requireNginx();
    const servers = loopback(context);
    // A correct SSE app, unbuffered even behind nginx, that knows nothing of CORS.
    const upstream = await servers.serve((_req, res) => {
      eventStreamHead(res);
      res.setHeader('X-Accel-Buffering', 'no');
      res.writeHead(200);
      res.write(tick(1));
    });

    const naive = await servers.nginx(naiveProxy(upstream.origin));
    const before = await capture(naive.url(PATH), EVENTSOURCE_WITH_CREDENTIALS);
    expect(outcomes(before)).toEqual({ chromium: 'blocked', firefox: 'blocked' });
    expect(before.verdicts.chromium.corsError).toBe('MissingAllowOriginHeader');
    expect(before.verdicts.firefox.reason).toBe('CORSMissingAllowOrigin');
    expect(ruleIds(before)).toContain('acao-missing');

    const snippet = snippetFor(before, 'acao-missing', 'nginx');
    const fixed = await servers.nginx(deploy(snippet, upstream.origin));
    const after = await capture(fixed.url(PATH), EVENTSOURCE_WITH_CREDENTIALS);

    expect(outcomes(after)).toEqual({ chromium: 'open', firefox: 'open' });
    expect(ruleIds(after)).not.toContain('acao-missing');
    const { headers } = streamResponse(after);
    expect(headers.all('access-control-allow-origin')).toEqual([PAGE]);
    expect(headers.get('access-control-allow-credentials')).toBe('true');
    expect(headers.get('vary')).toBe('Origin');
    expect(after.record.events.map((event) => event.data)).toEqual(['{"tick":1}']);
  });

  it('turns buffering off: a correct app behind default nginx stays CONNECTING, with the snippet it opens at once', async (context) => {
    requireNginx();
    const servers = loopback(context);
    // A correct SSE endpoint (CORS for the page, event-stream, no-cache, one event at once)
    // that does not send `X-Accel-Buffering: no`. nginx's defaults (proxy_buffering on, HTTP/1.0
    // to the upstream, so an unchunked body) hold the event, and with it the headers, which sit
    // under postpone_output waiting for a flush: nothing at all reaches the page.
    const upstream = await servers.serve((_req, res) => {
      res.setHeader('Access-Control-Allow-Origin', PAGE);
      res.setHeader('Vary', 'Origin');
      eventStreamHead(res);
      res.writeHead(200);
      res.write(tick(1));
    });

    const naive = await servers.nginx(naiveProxy(upstream.origin));
    // proxy-buffering calls headers held back only after 5 s of silence.
    const before = await capture(naive.url(PATH), EVENTSOURCE, 5500);
    expect(outcomes(before)).toEqual({ chromium: 'failed', firefox: 'failed' });
    expect(before.verdicts.chromium.cause).toBe('pending');
    expect(before.record.readyStates.map((transition) => transition.state)).toEqual([0]);
    expect(before.record.events).toEqual([]);
    expect(before.findings.map((finding) => [finding.ruleId, finding.messageId])).toContainEqual(['proxy-buffering', 'headers-held-back']);

    const snippet = snippetFor(before, 'proxy-buffering', 'nginx');
    const fixed = await servers.nginx(deploy(snippet, upstream.origin));
    const after = await capture(fixed.url(PATH), EVENTSOURCE);

    expect(outcomes(after)).toEqual({ chromium: 'open', firefox: 'open' });
    const { exchange, headers } = streamResponse(after);
    // The snippet answers CORS itself and hides the app's copy: one ACAO line, not two.
    expect(headers.all('access-control-allow-origin')).toEqual([PAGE]);
    const [first] = after.record.events;
    expect(first?.data).toBe('{"tick":1}');
    // Loopback end to end: a first event anywhere near the capture window means a buffer held it.
    expect((first?.at ?? Infinity) - exchange.timing.startedAt).toBeLessThan(500);
    // nginx consumes X-Accel-Buffering and `proxy_buffering off` is invisible on the wire, so the
    // rule still sees "nginx, no header"; with events flowing it is only an info hint.
    expect(after.findings.map((finding) => [finding.ruleId, finding.messageId, finding.severity])).toEqual([
      ['proxy-buffering', 'nginx-no-accel', 'info'],
    ]);
   }, 10_000);
});
