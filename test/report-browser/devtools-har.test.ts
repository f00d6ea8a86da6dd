import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureStream } from '@/cli/client/capture';
import { analyzeStream } from '@/lib/engine';
import { buildReport, formatHar, type Report } from '@/lib/report/index';
import { launchChromium, type LaunchedBrowser } from '../browser-truth/browsers';
import { until } from '../capture/harness';
import { closeAll, EVENT_STREAM, startServer } from '../cli/servers';
import { Marionette } from '../firefox/marionette';
import { sampleReport } from '../lib/report/sample';

/**
 * Our HAR export read by the browsers' own HAR importers, running inside the browsers:
 * - Chromium: devtools-frontend's `HAR.Importer.Importer.requestsFromHARLog` (front_end/models/har),
 *   the code behind the Network panel's "Import HAR file", evaluated in the DevTools front end of
 *   a tab opened with --auto-open-devtools-for-tabs.
 * - Firefox: the netmonitor's `HarImporter` (devtools/client/netmonitor/src/har/har-importer.js),
 *   loaded with the DevTools loader in the chrome context over Marionette, given an `actions`
 *   object that records what it would add to the Network panel.
 * Neither reads an EventSource field from a HAR (Chromium's reads `_webSocketMessages` only,
 * Firefox's the standard fields only), so the messages are asserted where both show them: the
 * response body, `content.text`.
 */

interface HarEntry {
  readonly request: { readonly method: string; readonly url: string; readonly headers: readonly { name: string; value: string }[] };
  readonly response: {
    readonly status: number;
    readonly statusText: string;
    readonly headers: readonly { name: string; value: string }[];
    readonly content: { readonly mimeType: string; readonly text?: string };
  };
  readonly startedDateTime: string;
  readonly _resourceType: string;
}
interface Har {
  readonly log: { readonly entries: readonly HarEntry[] };
}

/** What a DevTools importer made of one entry, in the fields both browsers have. */
interface ImportedRequest {
  readonly url: string;
  readonly method: string;
  readonly status: number;
  readonly statusText: string;
  readonly requestHeaders: readonly { name: string; value: string }[];
  readonly responseHeaders: readonly { name: string; value: string }[];
  readonly mimeType: string;
  readonly content: string;
}

/** A capture by the CLI of a loopback server: a redirect, a preflight, messages, and a blocked stream. */
async function recordedCapture(): Promise<Report> {
  const page = 'http://localhost:18999';
  const server = await startServer((req, res) => {
    const cors = { 'Access-Control-Allow-Origin': page };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Headers': 'X-API-Key' });
      res.end();
    } else if (req.url === '/moved') {
      res.writeHead(307, { ...cors, Location: '/events' });
      res.end();
    } else if (req.url === '/events') {
      res.writeHead(200, { ...EVENT_STREAM, ...cors });
      res.write('event: update\nid: 7\ndata: first line\ndata: second line\n\n');
      res.write('data: {"n":2}\n\n');
    } else {
      // Credentialed and answered with the wildcard: both browsers block it.
      res.writeHead(200, { ...EVENT_STREAM, 'Access-Control-Allow-Origin': '*' });
      res.write('data: never delivered\n\n');
    }
  });
  const common = { pageOrigin: page, method: 'GET', durationMs: 400, probeSecurity: false, userAgent: 'sse-inspector-test' } as const;
  const captured = [];
  for (const options of [
    { url: server.url('/moved'), client: 'fetch', credentials: false, headers: [['X-API-Key', 'k-123']] },
    { url: server.url('/blocked'), client: 'eventsource', credentials: true, headers: [] },
  ] as const) {
    const startedAt = Date.now();
    const { record } = await captureStream({ ...common, ...options, headers: [...options.headers] });
    captured.push({ analysis: analyzeStream(record), startedAt });
  }
  await closeAll();
  return buildReport(captured, { toolVersion: '0.0.0-test', generatedAt: new Date().toISOString() });
}

/** What the server of recordedCapture() sent on /events, byte for byte but the repeated `id:` (a last event ID lasts until changed). */
const CAPTURED_BODY = 'event: update\nid: 7\ndata: first line\ndata: second line\n\nid: 7\ndata: {"n":2}\n\n';

const HARS: { name: string; har: () => Promise<string>; check(imported: readonly ImportedRequest[]): void }[] = [
  {
    name: 'the golden sample',
    har: async () => formatHar(sampleReport()),
    check(imported) {
      expect(imported).toHaveLength(20);
      const loop = imported.filter((request) => request.url.endsWith('/sse/reconnect-loop'));
      expect(loop.map((request) => request.content)).toEqual(loop.map((_, i) => `id: ${i + 1}\ndata: {"seq":${i + 1}}\n\n`));
    },
  },
  {
    name: 'a capture with a redirect, a preflight, messages and a blocked stream',
    har: async () => formatHar(await recordedCapture()),
    check(imported) {
      expect(imported.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.status}`)).toEqual([
        'OPTIONS /moved 204',
        'GET /moved 307',
        'OPTIONS /events 204',
        'GET /events 200',
        'GET /blocked 200',
      ]);
      const [, redirect, , delivered, blocked] = imported as ImportedRequest[];
      expect(redirect?.responseHeaders).toContainEqual({ name: 'Location', value: '/events' });
      expect(delivered?.requestHeaders.find((h) => h.name.toLowerCase() === 'x-api-key')?.value).toMatch(/^\[redacted:[0-9a-f]{8}\]$/);
      expect(delivered?.content).toBe(CAPTURED_BODY);
      expect(blocked?.responseHeaders).toContainEqual({ name: 'Access-Control-Allow-Origin', value: '*' });
      expect(blocked?.requestHeaders).toContainEqual({ name: 'Origin', value: 'http://localhost:18999' });
    },
  },
];

/** What each DevTools must show for an entry: everything our HAR says of it, as it says it. */
function expected(entry: HarEntry): ImportedRequest {
  return {
    url: entry.request.url,
    method: entry.request.method,
    status: entry.response.status,
    statusText: entry.response.statusText,
    requestHeaders: entry.request.headers,
    responseHeaders: entry.response.headers,
    mimeType: entry.response.content.mimeType,
    content: entry.response.content.text ?? '',
  };
}

// Evaluated in the DevTools front end, as source text: the test runner would rewrite a real
// dynamic import() inside a function. Relative imports resolve against devtools_app.html.
const CHROMIUM_IMPORT = `async (harText) => {
  const HAR = await import('./models/har/har.js');
  const log = new HAR.HARFormat.HARRoot(JSON.parse(harText)).log;
  const requests = HAR.Importer.Importer.requestsFromHARLog(log);
  return Promise.all(requests.map(async (request) => {
    const content = await request.requestContentData();
    return {
      url: request.url(),
      method: request.requestMethod,
      status: request.statusCode,
      statusText: request.statusText,
      requestHeaders: request.requestHeaders().map(({ name, value }) => ({ name, value })),
      responseHeaders: request.responseHeaders.map(({ name, value }) => ({ name, value })),
      // As DevTools' own HAR writer reads it back (models/har/Log.ts): no MIME type is x-unknown.
      mimeType: request.mimeType || 'x-unknown',
      content: 'text' in content ? content.text : 'error: ' + String(content),
      resourceType: request.resourceType().name(),
      finished: request.finished,
    };
  }));
}`;

describe('HAR export in Chromium DevTools (devtools-frontend HAR importer)', () => {
  let chromium: LaunchedBrowser;
  let devtools: Page;

  beforeAll(async () => {
    chromium = await launchChromium({ args: ['--auto-open-devtools-for-tabs'] });
    await chromium.browser.newPage();
    const target = await until(
      async () => chromium.browser.targets().find((t) => t.type() === 'other' && t.url().startsWith('devtools://devtools/bundled/devtools_app.html')),
      'the DevTools front end',
    );
    devtools = (await target.asPage()) as Page;
    // The front end's modules load after the target appears; wait until the HAR module imports.
    await until(() => devtools.evaluate(`import('./models/har/har.js').then((m) => Boolean(m.Importer))`) as Promise<boolean | null>, 'the HAR module');
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
  });

  for (const { name, har, check } of HARS) {
    it(`imports ${name}: every entry, with its URL, method, status, headers, type and body`, async () => {
      const text = await har();
      const entries = (JSON.parse(text) as Har).log.entries;
      const imported = (await devtools.evaluate(`(${CHROMIUM_IMPORT})(${JSON.stringify(text)})`)) as (ImportedRequest & { resourceType: string; finished: boolean })[];
      expect(imported.map(({ resourceType, finished, ...request }) => request)).toEqual(entries.map(expected));
      // Each of our `_resourceType`s is one DevTools knows (an unknown name falls back to the MIME type's).
      expect(imported.map((request) => request.resourceType)).toEqual(entries.map((entry) => entry._resourceType));
      expect(imported.every((request) => request.finished)).toBe(true);
      check(imported);
    });
  }
});

// Run in Firefox's chrome context over Marionette (a function body; the HAR text is the first
// argument). The netmonitor's importer is given the Redux actions it calls; they record instead.
const FIREFOX_IMPORT = `
  const { require } = ChromeUtils.importESModule('resource://devtools/shared/loader/Loader.sys.mjs');
  const { HarImporter } = require('resource://devtools/client/netmonitor/src/har/har-importer.js');
  const requests = new Map();
  const calls = [];
  const actions = {
    clearRequests: () => calls.push('clearRequests'),
    addRequest: (id, data) => requests.set(id, { ...data }),
    updateRequest: (id, data) => Object.assign(requests.get(id), data),
    addTimingMarker: () => calls.push('addTimingMarker'),
  };
  new HarImporter(actions).import(arguments[0]);
  return {
    calls,
    requests: [...requests.values()].map((r) => ({
      url: r.url,
      method: r.method,
      status: r.status,
      statusText: r.statusText,
      requestHeaders: r.requestHeaders.headers,
      responseHeaders: r.responseHeaders.headers,
      mimeType: r.mimeType,
      content: r.responseContent.content.text ?? '',
      startedMs: r.startedMs,
      urlHost: r.urlDetails.host,
    })),
  };
`;

describe('HAR export in Firefox DevTools (netmonitor HAR importer)', () => {
  let firefox: Marionette;

  beforeAll(async () => {
    firefox = await Marionette.launch();
  }, 60_000);

  afterAll(async () => {
    await firefox?.close();
  });

  for (const { name, har, check } of HARS) {
    it(`imports ${name}: every entry, with its URL, method, status, headers and body`, async () => {
      const text = await har();
      const entries = (JSON.parse(text) as Har).log.entries;
      const imported = await firefox.inChrome(() => firefox.execute<{ calls: string[]; requests: (ImportedRequest & { startedMs: number; urlHost: string })[] }>(FIREFOX_IMPORT, [text]));
      expect(imported.calls).toEqual(['clearRequests']);
      expect(imported.requests.map(({ startedMs, urlHost, ...request }) => request)).toEqual(entries.map(expected));
      expect(imported.requests.map((request) => request.startedMs)).toEqual(entries.map((entry) => Date.parse(entry.startedDateTime)));
      expect(imported.requests.map((request) => request.urlHost)).toEqual(entries.map((entry) => new URL(entry.request.url).host));
      check(imported.requests);
    });
  }
});
