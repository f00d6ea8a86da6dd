import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Frame } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeaderList } from '../../lib/model/headers';
import { parseHeaderText } from '../../lib/whatif/header-text';
import { startPlayground, type Playground } from '../../playground/server';
import { TRACE_PARAM } from '../../playground/sse';
import { launchChromium, launchFirefox } from '../browser-truth/browsers';
import { ChromiumDriver, FirefoxDriver, type BrowserObservation, type TruthCase } from '../browser-truth/drivers';
import { launchChromiumDriver, until, type ChromiumDriver as ExtensionDriver } from '../capture/harness';
import { openClient, openPanel, type PageClient } from './panel-harness';

/**
 * Issue 10 end to end. Real Chromium with the extension captures broken playground streams; in
 * the panel's What if tab "Try this fix" puts each finding's fix in the editor and both predicted
 * verdicts turn `open`. Then the prediction is put to the test: the playground is stopped, a
 * loopback server on the very same origins sends exactly the edited status and header lines, and
 * real Chromium and real Firefox open each stream with the outcome the editor predicted.
 *
 * A fetch refused at its preflight never sent its request: the panel shows its preflight and a
 * final response marked as assumed. The fix fills both, and the loopback server answers the
 * browsers' preflight and then their request with exactly those lines.
 */
interface WhatIfCase {
  readonly endpoint: string;
  readonly client: PageClient;
  /** What the capture shows before any edit (Chromium's CorsError, empty when none). */
  readonly captured: { readonly outcome: string; readonly corsError: string };
  /** The finding whose "Try this fix" is applied. */
  readonly ruleId: string;
}

const CASES: readonly WhatIfCase[] = [
  { endpoint: 'acao-wildcard', client: 'eventsource-credentials', captured: { outcome: 'blocked', corsError: 'WildcardOriginNotAllowed' }, ruleId: 'acao-wildcard-with-credentials' },
  { endpoint: 'acao-missing', client: 'eventsource', captured: { outcome: 'blocked', corsError: 'MissingAllowOriginHeader' }, ruleId: 'acao-missing' },
  { endpoint: 'mime-text-plain', client: 'eventsource', captured: { outcome: 'failed', corsError: '' }, ruleId: 'content-type-not-event-stream' },
  { endpoint: 'acao-reflected-no-vary', client: 'eventsource-credentials', captured: { outcome: 'blocked', corsError: 'InvalidAllowCredentials' }, ruleId: 'acac-invalid' },
  { endpoint: 'acao-trailing-slash', client: 'eventsource', captured: { outcome: 'blocked', corsError: 'AllowOriginMismatch' }, ruleId: 'acao-mismatch' },
  { endpoint: 'acao-missing', client: 'fetch', captured: { outcome: 'blocked', corsError: 'MissingAllowOriginHeader' }, ruleId: 'acao-missing' },
  { endpoint: 'preflight-missing-allow-headers', client: 'fetch-sse-header', captured: { outcome: 'blocked', corsError: 'HeaderDisallowedByPreflightResponse' }, ruleId: 'preflight-header-not-allowed' },
];

/** The scenario as the editor holds it, read through its DOM contract. */
interface EditedScenario {
  readonly origin: string;
  readonly client: string;
  readonly credentials: boolean;
  readonly requestHeaders: string;
  readonly exchanges: readonly { readonly slot: string; readonly captured: boolean; readonly status: string; readonly headers: string }[];
  readonly verdicts: Readonly<Record<string, { readonly outcome: string; readonly name: string; readonly decidedAt: string; readonly assumed: boolean }>>;
}

function readEditor(panel: Frame): Promise<EditedScenario> {
  return panel.$eval('[data-testid="whatif"]', (editor) => {
    const value = (selector: string) => (editor.querySelector(selector) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null)?.value ?? '';
    return {
      origin: value('[data-testid="whatif-origin"]'),
      client: value('[data-testid="whatif-client"]'),
      credentials: (editor.querySelector('[data-testid="whatif-credentials"]') as HTMLInputElement).checked,
      requestHeaders: value('[data-testid="whatif-request-headers"]'),
      exchanges: [...editor.querySelectorAll('[data-testid="whatif-exchange"]')].map((fieldset) => ({
        slot: fieldset.getAttribute('data-exchange') ?? '',
        captured: fieldset.getAttribute('data-captured') === 'true',
        status: (fieldset.querySelector('[data-testid="whatif-status"]') as HTMLInputElement).value,
        headers: (fieldset.querySelector('[data-testid="whatif-response-headers"]') as HTMLTextAreaElement).value,
      })),
      verdicts: Object.fromEntries(
        [...editor.querySelectorAll('[data-testid="whatif-verdict"]')].map((v) => [
          v.getAttribute('data-browser') ?? '',
          { outcome: v.getAttribute('data-outcome') ?? '', name: v.getAttribute('data-cors-error') ?? v.getAttribute('data-reason') ?? '', decidedAt: v.getAttribute('data-decided-at') ?? '', assumed: v.getAttribute('data-assumed') === 'true' },
        ]),
      ),
    };
  });
}

let playground: Playground | null = null;
let extension: ExtensionDriver | null = null;
const servers: { server: Server; sockets: Set<Socket> }[] = [];

beforeAll(async () => {
  playground = await startPlayground();
  extension = await launchChromiumDriver({ devtools: true });
}, 60_000);

afterAll(async () => {
  await extension?.close();
  await playground?.close();
  for (const { server, sockets } of servers) {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A loopback server on a given port; its sockets are cut on close, streams included. */
async function serveOn(port: number, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<void> {
  const server = http.createServer(handle);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  servers.push({ server, sockets });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/** Exactly these lines, in this order, duplicates kept: Node adds only what is missing (Date, framing). */
function writeExactly(res: ServerResponse, status: number, lines: HeaderList): void {
  for (const [name, value] of lines) res.appendHeader(name, value);
  res.writeHead(status);
}

/**
 * The page client the edited request is, as the truth drivers name it. Their fetch sends no
 * Accept line: `Accept: text/event-stream` is CORS-safelisted, so the browser's preflight is the
 * same without it (the loopback server checks the Access-Control-Request-Headers it gets).
 */
function scenarioOf(edited: EditedScenario): TruthCase['scenario'] {
  const headers = parseHeaderText(edited.requestHeaders).headers.filter(([name, value]) => !(name.toLowerCase() === 'accept' && value === 'text/event-stream'));
  if (edited.client === 'eventsource') return edited.credentials ? 'eventsource-credentials' : 'eventsource';
  if (edited.credentials) throw new Error('no truth scenario for a credentialed fetch here');
  if (headers.length === 0) return 'fetch';
  if (headers.length === 1 && headers[0]?.[0].toLowerCase() === 'x-api-key' && headers[0][1] === 'demo') return 'fetch-header';
  throw new Error(`no truth scenario for request headers ${edited.requestHeaders}`);
}

const TRUTH_CLIENT: Readonly<Record<PageClient, TruthCase['scenario']>> = {
  eventsource: 'eventsource',
  'eventsource-credentials': 'eventsource-credentials',
  fetch: 'fetch',
  'fetch-header': 'fetch-header',
  'fetch-sse-header': 'fetch-header',
  // A plain XHR GET is the same CORS request as a plain fetch (Accept is safelisted).
  xhr: 'fetch',
};

describe('What if, end to end in real browsers', () => {
  it('applies the suggested fix to captured broken streams, predicts open, and real Chromium and Firefox agree', async () => {
    if (!playground || !extension) throw new Error('setup failed');
    const pageOrigin = playground.pageOrigin;
    const { page, panel } = await openPanel(extension, `${pageOrigin}/`);
    await page.evaluate('window.sources = []');
    const urls = CASES.map((c, i) => {
      const endpoint = playground?.endpoints.find((e) => e.id === c.endpoint);
      if (!endpoint || !playground) throw new Error(`no endpoint ${c.endpoint}`);
      const url = new URL(playground.urlFor(endpoint.id, endpoint.startOn));
      url.searchParams.set(TRACE_PARAM, `whatif-${i}`);
      return url.href;
    });
    for (const [i, c] of CASES.entries()) await page.evaluate(openClient(urls[i] as string, c.client));

    const edited: EditedScenario[] = [];
    for (const [i, c] of CASES.entries()) {
      const url = urls[i] as string;
      await until(
        () => panel.$$eval('[data-testid="stream-row"]', (rows, [wanted, outcome]) => rows.some((r) => r.getAttribute('data-url') === wanted && r.getAttribute('data-outcome') === outcome) || null, [url, c.captured.outcome] as const),
        `the row of ${c.endpoint} to show ${c.captured.outcome}`,
      );
      await panel.$$eval('[data-testid="stream-row"]', (rows, wanted) => (rows.find((r) => r.getAttribute('data-url') === wanted) as HTMLElement | undefined)?.click(), url);
      await panel.click('#tab-whatif');
      let last: EditedScenario | null = null;
      const before = await until(async () => {
        last = await readEditor(panel);
        return last.verdicts.chromium?.outcome === c.captured.outcome ? last : null;
      }, `the What if tab of ${c.endpoint}`).catch((error: unknown) => {
        throw new Error(`${String(error)}; the editor shows ${JSON.stringify(last)}`);
      });
      expect(before.verdicts.chromium?.name, c.endpoint).toBe(c.captured.corsError);
      if (c.client === 'fetch-sse-header') {
        // Refused at its preflight: the preflight as captured, and a final response nobody saw.
        expect(before.exchanges.map((e) => [e.slot, e.captured]), c.endpoint).toEqual([['preflight', true], ['final', false]]);
        expect(before.verdicts.chromium?.decidedAt).toBe('preflight');
      }

      await until(() => panel.$(`[data-testid="whatif-try-fix"][data-rule-id="${c.ruleId}"]`), `"Try this fix" of ${c.ruleId} on ${c.endpoint}`);
      await panel.click(`[data-testid="whatif-try-fix"][data-rule-id="${c.ruleId}"]`);
      const after = await until(async () => {
        const read = await readEditor(panel);
        return read.verdicts.chromium?.outcome === 'open' && read.verdicts.firefox?.outcome === 'open' ? read : null;
      }, `both verdicts of ${c.endpoint} to turn open`);
      const assumed = after.exchanges.some((e) => e.slot === 'final' && !e.captured);
      const opened = { outcome: 'open', name: '', decidedAt: 'final', assumed };
      expect(after.verdicts).toEqual({ chromium: opened, firefox: opened });
      // The fix changed the server's answer only: the page still asks the same way.
      expect(after.origin).toBe(pageOrigin);
      expect(scenarioOf(after)).toBe(TRUTH_CLIENT[c.client]);
      edited.push(after);
    }
    await page.evaluate('window.sources.forEach((s) => s.close())');

    // The same origins, now served by a server that sends exactly the edited lines.
    await extension.close();
    extension = null;
    await playground.close();
    playground = null;
    const byPath = new Map(urls.map((url, i) => [new URL(url).pathname + new URL(url).search, edited[i] as EditedScenario]));
    const exchangeOf = (scenario: EditedScenario, slot: string) => {
      const exchange = scenario.exchanges.find((e) => e.slot === slot);
      return exchange ? { status: Number(exchange.status), lines: parseHeaderText(exchange.headers) } : null;
    };
    await serveOn(Number(new URL(pageOrigin).port), (_req, res) => {
      writeExactly(res, 200, [['Content-Type', 'text/html; charset=utf-8']]);
      res.end('<!doctype html><title>what-if proof</title>');
    });
    // What the browsers asked for, per path: the preflights' Access-Control-Request-Headers and the requests.
    const asked = new Map<string, string[]>();
    await serveOn(Number(new URL(urls[0] as string).port), (req, res) => {
      const scenario = byPath.get(req.url ?? '');
      const seen = asked.get(req.url ?? '') ?? [];
      seen.push(req.method === 'OPTIONS' ? `OPTIONS ${req.headers['access-control-request-headers'] ?? ''}` : (req.method ?? ''));
      asked.set(req.url ?? '', seen);
      const exchange = scenario && exchangeOf(scenario, req.method === 'OPTIONS' ? 'preflight' : 'final');
      if (!exchange) {
        writeExactly(res, 404, []);
        res.end();
        return;
      }
      writeExactly(res, exchange.status, exchange.lines.headers);
      if (req.method === 'OPTIONS') {
        res.end();
        return;
      }
      // The editor assumed a server that keeps the stream open and sends events.
      let n = 0;
      const send = () => res.write(`data: {"n":${++n}}\n\n`);
      send();
      const timer = setInterval(send, 250);
      res.on('close', () => clearInterval(timer));
    });

    for (const [i, scenario] of edited.entries()) {
      for (const slot of ['preflight', 'final']) {
        const exchange = exchangeOf(scenario, slot);
        if (!exchange) continue;
        // Every edited line is well-formed, so the server sends all of them.
        expect(exchange.lines.problems, `${CASES[i]?.endpoint} ${slot}`).toEqual([]);
        const sent = await new Promise<[string, string][]>((resolve, reject) => {
          const req = http.request(urls[i] as string, { method: slot === 'preflight' ? 'OPTIONS' : 'GET', headers: { Origin: pageOrigin } }, (res) => {
            const raw = res.rawHeaders;
            res.destroy();
            resolve(Array.from({ length: raw.length / 2 }, (_, k) => [raw[2 * k] as string, raw[2 * k + 1] as string]));
          });
          req.on('error', reject);
          req.end();
        });
        const edits = new Set(exchange.lines.headers.map(([name]) => name.toLowerCase()));
        expect(sent.filter(([name]) => edits.has(name.toLowerCase()))).toEqual(exchange.lines.headers);
        expect(sent.filter(([name]) => !edits.has(name.toLowerCase())).map(([name]) => name.toLowerCase()).every((name) => ['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(name))).toBe(true);
      }
    }

    asked.clear();
    const cases: TruthCase[] = edited.map((scenario, i) => ({ token: `whatif-${i}`, url: urls[i] as string, scenario: scenarioOf(scenario), windowMs: 2500 }));
    const observed: Record<'chromium' | 'firefox', Map<string, BrowserObservation>> = { chromium: new Map(), firefox: new Map() };
    const chromiumBrowser = await launchChromium();
    try {
      observed.chromium = await new ChromiumDriver(chromiumBrowser.browser, `${pageOrigin}/`).run(cases, 2);
    } finally {
      await chromiumBrowser.close();
    }
    const firefoxBrowser = await launchFirefox();
    try {
      observed.firefox = await new FirefoxDriver(firefoxBrowser.browser, `${pageOrigin}/`).run(cases, 2);
    } finally {
      await firefoxBrowser.close();
    }

    const verdictOf = (v: EditedScenario['verdicts'][string] | undefined) => ({ outcome: v?.outcome ?? 'none', name: v?.name ?? '' });
    const predicted = edited.map((scenario, i) => ({ endpoint: CASES[i]?.endpoint, chromium: verdictOf(scenario.verdicts.chromium), firefox: verdictOf(scenario.verdicts.firefox) }));
    const seen = cases.map((c, i) => {
      const chromium = observed.chromium.get(c.token);
      const firefox = observed.firefox.get(c.token);
      return {
        endpoint: CASES[i]?.endpoint,
        chromium: { outcome: chromium?.outcome ?? 'not run', name: chromium?.corsError ?? '' },
        firefox: { outcome: firefox?.outcome ?? 'not run', name: firefox?.reason ?? '' },
      };
    });
    expect(seen).toEqual(predicted);
    // The refused fetch's fix was proven on both exchanges: each browser's preflight asked for
    // x-api-key, as the page's did, and then sent the request the capture never saw.
    const preflighted = CASES.findIndex((c) => c.client === 'fetch-sse-header');
    const path = new URL(urls[preflighted] as string);
    expect(asked.get(path.pathname + path.search)).toEqual(['OPTIONS x-api-key', 'GET', 'OPTIONS x-api-key', 'GET']);
  }, 240_000);
});
