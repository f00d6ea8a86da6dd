import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Frame } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureStream } from '../../cli/client/capture';
import type { HeaderList } from '../../lib/model/headers';
import { evaluateWhatIf } from '../../lib/whatif/evaluate';
import { parseHeaderText } from '../../lib/whatif/header-text';
import { whatIfFrom, whatIfReducer } from '../../lib/whatif/state';
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
 * A fetch refused at its preflight never reaches the panel yet (the page hook reports a fetch
 * stream only once a response arrives, see README "Capture"): that case is captured by the CLI's
 * emulation instead, fixed by the same reducer the editor runs, and proven the same way.
 */
interface WhatIfCase {
  readonly endpoint: string;
  readonly client: PageClient;
  /** Who captures the stream: the extension (then the fix is applied in its panel) or the CLI. */
  readonly capture: 'panel' | 'cli';
  /** What the capture shows before any edit (Chromium's CorsError, empty when none). */
  readonly captured: { readonly outcome: string; readonly corsError: string };
  /** The finding whose "Try this fix" is applied. */
  readonly ruleId: string;
}

const CASES: readonly WhatIfCase[] = [
  { endpoint: 'acao-wildcard', client: 'eventsource-credentials', capture: 'panel', captured: { outcome: 'blocked', corsError: 'WildcardOriginNotAllowed' }, ruleId: 'acao-wildcard-with-credentials' },
  { endpoint: 'acao-missing', client: 'eventsource', capture: 'panel', captured: { outcome: 'blocked', corsError: 'MissingAllowOriginHeader' }, ruleId: 'acao-missing' },
  { endpoint: 'mime-text-plain', client: 'eventsource', capture: 'panel', captured: { outcome: 'failed', corsError: '' }, ruleId: 'content-type-not-event-stream' },
  { endpoint: 'acao-reflected-no-vary', client: 'eventsource-credentials', capture: 'panel', captured: { outcome: 'blocked', corsError: 'InvalidAllowCredentials' }, ruleId: 'acac-invalid' },
  { endpoint: 'acao-trailing-slash', client: 'eventsource', capture: 'panel', captured: { outcome: 'blocked', corsError: 'AllowOriginMismatch' }, ruleId: 'acao-mismatch' },
  { endpoint: 'acao-missing', client: 'fetch', capture: 'panel', captured: { outcome: 'blocked', corsError: 'MissingAllowOriginHeader' }, ruleId: 'acao-missing' },
  { endpoint: 'preflight-missing-allow-headers', client: 'fetch-header', capture: 'cli', captured: { outcome: 'blocked', corsError: 'HeaderDisallowedByPreflightResponse' }, ruleId: 'preflight-header-not-allowed' },
];

/** The scenario as the editor holds it, read through its DOM contract. */
interface EditedScenario {
  readonly origin: string;
  readonly client: string;
  readonly credentials: boolean;
  readonly requestHeaders: string;
  readonly exchanges: readonly { readonly slot: string; readonly status: string; readonly headers: string }[];
  readonly verdicts: Readonly<Record<string, { readonly outcome: string; readonly name: string }>>;
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
        status: (fieldset.querySelector('[data-testid="whatif-status"]') as HTMLInputElement).value,
        headers: (fieldset.querySelector('[data-testid="whatif-response-headers"]') as HTMLTextAreaElement).value,
      })),
      verdicts: Object.fromEntries(
        [...editor.querySelectorAll('[data-testid="whatif-verdict"]')].map((v) => [
          v.getAttribute('data-browser') ?? '',
          { outcome: v.getAttribute('data-outcome') ?? '', name: v.getAttribute('data-cors-error') ?? v.getAttribute('data-reason') ?? '' },
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

/** The page client the edited request is, as the truth drivers name it. */
function scenarioOf(edited: EditedScenario): TruthCase['scenario'] {
  const headers = parseHeaderText(edited.requestHeaders).headers;
  if (edited.client === 'eventsource') return edited.credentials ? 'eventsource-credentials' : 'eventsource';
  if (edited.credentials) throw new Error('no truth scenario for a credentialed fetch here');
  if (headers.length === 0) return 'fetch';
  if (headers.length === 1 && headers[0]?.[0] === 'X-API-Key' && headers[0][1] === 'demo') return 'fetch-header';
  throw new Error(`no truth scenario for request headers ${edited.requestHeaders}`);
}

/**
 * The CLI's route for a stream the panel cannot show yet: its emulation captures the playground
 * endpoint, and the editor's own reducer applies the fix, exactly as the What if tab does.
 */
async function fixedByCli(url: string, pageOrigin: string, c: WhatIfCase): Promise<EditedScenario> {
  const credentials = c.client === 'eventsource-credentials';
  const { record } = await captureStream({
    url,
    pageOrigin,
    client: c.client.startsWith('eventsource') ? 'eventsource' : 'fetch',
    credentials,
    method: 'GET',
    headers: c.client === 'fetch-header' ? [['X-API-Key', 'demo']] : [],
    durationMs: 1000,
    probeSecurity: false,
    userAgent: 'sse-inspector-whatif-test',
  });
  const state = whatIfFrom(record);
  const before = evaluateWhatIf(state).analysis;
  expect([before.verdicts.chromium.outcome, before.verdicts.chromium.corsError ?? ''], c.endpoint).toEqual([c.captured.outcome, c.captured.corsError]);
  const finding = before.findings.find((f) => f.ruleId === c.ruleId);
  if (!finding) throw new Error(`no ${c.ruleId} on ${c.endpoint}: ${before.findings.map((f) => f.ruleId).join(', ')}`);
  const fixed = whatIfReducer(state, { type: 'apply-fix', ruleId: finding.ruleId, plan: finding.fix.plan });
  const { chromium, firefox } = evaluateWhatIf(fixed).analysis.verdicts;
  return {
    origin: fixed.pageOrigin,
    client: fixed.client,
    credentials: fixed.credentials,
    requestHeaders: fixed.requestHeaders,
    exchanges: fixed.exchanges.map((d) => ({ slot: d.slot, status: d.status, headers: d.headers })),
    verdicts: { chromium: { outcome: chromium.outcome, name: chromium.corsError ?? '' }, firefox: { outcome: firefox.outcome, name: firefox.reason ?? '' } },
  };
}

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
    for (const [i, c] of CASES.entries()) if (c.capture === 'panel') await page.evaluate(openClient(urls[i] as string, c.client));

    const edited: EditedScenario[] = [];
    for (const [i, c] of CASES.entries()) {
      const url = urls[i] as string;
      if (c.capture === 'cli') {
        edited.push(await fixedByCli(url, pageOrigin, c));
        continue;
      }
      await until(
        () => panel.$$eval('[data-testid="stream-row"]', (rows, [wanted, outcome]) => rows.some((r) => r.getAttribute('data-url') === wanted && r.getAttribute('data-outcome') === outcome) || null, [url, c.captured.outcome] as const),
        `the row of ${c.endpoint} to show ${c.captured.outcome}`,
      );
      await panel.$$eval('[data-testid="stream-row"]', (rows, wanted) => (rows.find((r) => r.getAttribute('data-url') === wanted) as HTMLElement | undefined)?.click(), url);
      await panel.click('#tab-whatif');
      const before = await until(async () => {
        const read = await readEditor(panel);
        return read.verdicts.chromium?.outcome === c.captured.outcome ? read : null;
      }, `the What if tab of ${c.endpoint}`);
      expect(before.verdicts.chromium?.name, c.endpoint).toBe(c.captured.corsError);

      await until(() => panel.$(`[data-testid="whatif-try-fix"][data-rule-id="${c.ruleId}"]`), `"Try this fix" of ${c.ruleId} on ${c.endpoint}`);
      await panel.click(`[data-testid="whatif-try-fix"][data-rule-id="${c.ruleId}"]`);
      const after = await until(async () => {
        const read = await readEditor(panel);
        return read.verdicts.chromium?.outcome === 'open' && read.verdicts.firefox?.outcome === 'open' ? read : null;
      }, `both verdicts of ${c.endpoint} to turn open`);
      expect(after.verdicts).toEqual({ chromium: { outcome: 'open', name: '' }, firefox: { outcome: 'open', name: '' } });
      // The fix changed the server's answer only: the page still asks the same way.
      expect(after.origin).toBe(pageOrigin);
      expect(scenarioOf(after)).toBe(c.client);
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
    await serveOn(Number(new URL(urls[0] as string).port), (req, res) => {
      const scenario = byPath.get(req.url ?? '');
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

    const predicted = edited.map((scenario, i) => ({ endpoint: CASES[i]?.endpoint, chromium: scenario.verdicts.chromium, firefox: scenario.verdicts.firefox }));
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
  }, 240_000);
});
