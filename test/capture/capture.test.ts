import type { CDPSession, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureMerger } from '../../lib/capture/merger';
import type { CaptureObservation } from '../../lib/capture/protocol';
import { startPlayground, type Playground } from '../../playground/server';
import { TRACE_PARAM } from '../../playground/sse';
import { CAPTURE_CASES, runCase } from './cases';
import { expectCaptured } from './expectations';
import { FirefoxDevtoolsPanel } from '../firefox/devtools-panel';
import { openPanel } from '../extension/panel-harness';
import { launchChromiumDriver, launchFirefoxDriver, until, type ChromiumDriver, type FirefoxDriver } from './harness';

/**
 * The capture pipeline in real Chromium with the built extension: playground streams opened by a
 * real page, the tab's capture read back from the extension and merged, and compared with what
 * the page saw and what the truth suite measured. Also: nothing is lost when the MV3 service
 * worker is stopped mid-stream.
 */
let playground: Playground;

beforeAll(async () => {
  playground = await startPlayground();
});
afterAll(async () => {
  await playground?.close();
});

// A fetch refused at its preflight never sends its request: only its Accept: text/event-stream
// marks it as a stream (for the hook and for webRequest), and the truth suite's page client does
// not send one. Real SSE fetch clients do: test/extension/page-hook.test.ts covers that report.
const LIVE_CASES = CAPTURE_CASES.filter((c) => c.name !== 'fetch-blocked-at-preflight');

describe.each([
  ['before DevTools is opened', false],
  ['with DevTools open', true],
] as const)('Chromium capture, %s', (_when, devtools) => {
  let chromium: ChromiumDriver;
  beforeAll(async () => {
    chromium = await launchChromiumDriver({ devtools });
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
  });

  // With DevTools open, a smaller set: the sources are the same, the DevTools page adds HAR entries.
  const cases = devtools ? LIVE_CASES.filter((c) => /eventsource-open|fetch-preflighted|blocked-wildcard|reconnect/.test(c.name)) : LIVE_CASES;
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const run = await runCase(chromium, playground, c, `${c.name}-${devtools ? 'devtools' : 'plain'}`);
    const merger = new CaptureMerger({ browser: 'chromium' });
    merger.apply(run.capture);
    expect(merger.streams).toHaveLength(1);
    expectCaptured(merger.streams[0], c, run.observation, run.url);
  }, 60_000);
});

describe('Chromium capture from the DevTools page (devtools.network)', () => {
  let chromium: ChromiumDriver;
  beforeAll(async () => {
    chromium = await launchChromiumDriver({ devtools: true });
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
  });

  it('forwards the HAR entries of finished streams, which join the same stream', async () => {
    const { browser, extensionOrigin } = chromium;
    const token = 'devtools-network';
    const page: Page = await browser.newPage();
    // Headless Chromium loads the extension's DevTools page in one DevTools window at a time:
    // leave only this tab's.
    for (const other of await browser.pages()) if (other !== page) await other.close();
    await page.goto(`${playground.pageOrigin}/?capture=${token}`);
    await until(async () => browser.targets().find((t) => t.url() === `${extensionOrigin}/devtools.html`), 'the DevTools page');
    const url = new URL(playground.urlFor('acao-missing', 'api'));
    url.searchParams.set(TRACE_PARAM, token);
    await page.evaluate(`new Promise((resolve) => { const es = new EventSource(${JSON.stringify(url.href)}); es.onerror = () => { es.close(); resolve(); }; })`);
    const capture = await until(async () => {
      const log = await chromium.readCapture(`capture=${token}`);
      return log.some((o) => o.source === 'devtools-network') ? log : null;
    }, 'a devtools.network entry in the capture');
    const merger = new CaptureMerger({ browser: 'chromium' });
    merger.apply(capture);
    expect(merger.streams).toHaveLength(1);
    expect(merger.streams[0]?.sources).toEqual(['web-request', 'devtools-network', 'page-hook']);
    expect(merger.streams[0]?.observed).toBe('blocked');
  }, 60_000);
});

describe('Chromium devtools.network while the SSE Inspector panel is shown', () => {
  let chromium: ChromiumDriver;
  beforeAll(async () => {
    chromium = await launchChromiumDriver({ devtools: true });
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
  });

  /** How many extension ports DevTools' front end sends finished requests to (its own bookkeeping). */
  const finishedRequestSubscribers = (devtools: Page): Promise<number> =>
    devtools.evaluate(`(async () => {
      const common = await import('./panels/common/common.js');
      return common.ExtensionServer.ExtensionServer.instance().subscribers.get('network-request-finished')?.size ?? 0;
    })()`) as Promise<number>;

  it('is not subscribed while the panel is shown, and forwards what finished meanwhile once the panel is hidden', async () => {
    const token = 'devtools-panel-shown';
    const { page, devtools } = await openPanel(chromium, `${playground.pageOrigin}/?capture=${token}`);
    await until(async () => ((await finishedRequestSubscribers(devtools)) === 0 ? true : null), 'DevTools to drop the subscription while the panel is shown');

    const url = new URL(playground.urlFor('acao-missing', 'api'));
    url.searchParams.set(TRACE_PARAM, token);
    await page.evaluate(`new Promise((resolve) => { const es = new EventSource(${JSON.stringify(url.href)}); es.onerror = () => { es.close(); resolve(); }; })`);
    // The stream is over for the page and for webRequest; DevTools holds its entry and tells nobody.
    await until(async () => ((await chromium.readCapture(`capture=${token}`)).some((o) => o.source === 'web-request' && (o.observation.phase === 'error' || o.observation.phase === 'completed')) ? true : null), 'the blocked stream in the capture');
    expect(await finishedRequestSubscribers(devtools)).toBe(0);

    // The user moves to the Network panel: ours is hidden, the DevTools page catches up and listens again.
    await devtools.evaluate(`(async () => {
      const legacy = await import('./ui/legacy/legacy.js');
      await legacy.InspectorView.InspectorView.instance().showPanel('network');
    })()`);
    const capture = await until(async () => {
      const log = await chromium.readCapture(`capture=${token}`);
      return log.some((o) => o.source === 'devtools-network') ? log : null;
    }, 'the catch-up entry in the capture');
    expect(await finishedRequestSubscribers(devtools)).toBe(1);
    const fromDevtools = capture.filter((o) => o.source === 'devtools-network' && o.entry.request.url === url.href);
    expect(fromDevtools).toHaveLength(1);
    const merger = new CaptureMerger({ browser: 'chromium' });
    merger.apply(capture);
    expect(merger.streams).toHaveLength(1);
    expect(merger.streams[0]?.sources).toEqual(['web-request', 'devtools-network', 'page-hook']);
  }, 60_000);
});

describe('Firefox capture', () => {
  let firefox: FirefoxDriver;
  beforeAll(async () => {
    firefox = await launchFirefoxDriver();
  }, 60_000);
  afterAll(async () => {
    await firefox?.close();
  });

  it.each(LIVE_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const run = await runCase(firefox, playground, c, `${c.name}-firefox`);
    const merger = new CaptureMerger({ browser: 'firefox' });
    merger.apply(run.capture);
    expect(merger.streams).toHaveLength(1);
    expectCaptured(merger.streams[0], c, run.observation, run.url);
  }, 60_000);

  it('forwards the HAR entries devtools.network gives once the toolbox is open, which join the same stream', async () => {
    const { marionette } = firefox;
    const token = 'devtools-network-firefox';
    await marionette.newTab();
    const pageUrl = `${playground.pageOrigin}/?capture=${token}`;
    await marionette.navigate(pageUrl);
    // Opening the toolbox runs the extension's DevTools page, which owns devtools.network.
    await FirefoxDevtoolsPanel.open(marionette, pageUrl, 'SSE Inspector');
    // A stream the server ends (so the request finishes) and one CORS blocks.
    const urls = ['reconnect-loop', 'acao-missing'].map((endpoint) => {
      const url = new URL(playground.urlFor(endpoint, 'api'));
      url.searchParams.set(TRACE_PARAM, `${token}-${endpoint}`);
      return url.href;
    });
    const seen = await marionette.executeAsync<number[]>(
      `const done = arguments[arguments.length - 1];
       Promise.all(arguments[0].map((url) => new Promise((resolve) => {
         const es = new EventSource(url);
         let events = 0;
         es.onmessage = () => { events++; };
         es.onerror = () => { es.close(); resolve(events); };
       }))).then(done);`,
      [urls],
      30_000,
    );
    const capture = await until(async () => {
      const log = await firefox.readCapture(`capture=${token}`);
      const fromDevtools = new Set(log.flatMap((o) => (o.source === 'devtools-network' ? [o.entry.request.url] : [])));
      // The hook posts when the page is idle: wait for both close() calls too, so every source is in.
      const closed = log.filter((o) => o.source === 'page-hook' && o.message.type === 'closed-by-page').length;
      return urls.every((url) => fromDevtools.has(url)) && closed === urls.length ? log : null;
    }, 'devtools.network entries and both close() calls in the capture');
    const merger = new CaptureMerger({ browser: 'firefox' });
    merger.apply(capture);
    expect(merger.streams.map((s) => [s.record.url, s.sources.includes('devtools-network'), s.observed, s.record.events.length]).sort()).toEqual(
      [
        [urls[0], true, 'closed', seen[0]],
        [urls[1], true, 'blocked', 0],
      ].sort(),
    );
  }, 60_000);
});

describe('Chromium capture across a service worker restart', () => {
  let chromium: ChromiumDriver;
  beforeAll(async () => {
    chromium = await launchChromiumDriver();
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
  });

  const hookMessages = (capture: readonly CaptureObservation[]) => capture.filter((o) => o.source === 'page-hook' && o.message.type === 'message').length;

  it('loses nothing when the worker is stopped mid-stream', async () => {
    const { browser } = chromium;
    const page: Page = await browser.newPage();
    const token = 'worker-restart';
    const url = new URL(playground.urlFor('control-wildcard', 'api'));
    url.searchParams.set(TRACE_PARAM, token);
    try {
      await page.goto(`${playground.pageOrigin}/?capture=${token}`);
      // The page counts what it receives; the playground stream ticks every 500 ms.
      await page.evaluate(`window.received = 0; window.source = new EventSource(${JSON.stringify(url.href)}); window.source.onmessage = () => { window.received++; };`);
      const part = `capture=${token}`;
      await until(async () => ((await chromium.readCapture(part).then(hookMessages)) >= 2 ? true : null), 'two events captured before the stop');

      const worker = () => browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith(chromium.extensionOrigin));
      const cdp: CDPSession = await page.createCDPSession();
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await until(async () => (worker() ? null : true), 'the service worker to stop');

      // The stream goes on; the relay's next batch wakes the worker again.
      const before = (await page.evaluate('window.received')) as number;
      await until(async () => (((await page.evaluate('window.received')) as number) >= before + 3 ? true : null), 'three more events in the page');
      await until(async () => (worker() ? true : null), 'the service worker to start again');
      await page.evaluate('window.source.close()');
      const received = (await page.evaluate('window.received')) as number;

      const capture = await until(async () => {
        const log = await chromium.readCapture(part);
        return log.some((o) => o.source === 'page-hook' && o.message.type === 'closed-by-page') ? log : null;
      }, 'the close to be captured');
      // Every event the page received, in one unbroken sequence.
      expect(hookMessages(capture)).toBe(received);
      expect(capture.map((o) => o.seq)).toEqual(capture.map((_, i) => (capture[0]?.seq ?? 0) + i));
      const merger = new CaptureMerger({ browser: 'chromium' });
      merger.apply(capture);
      expect(merger.streams).toHaveLength(1);
      expect(merger.streams[0]?.record.events).toHaveLength(received);
      expect(merger.streams[0]?.observed).toBe('closed');
    } finally {
      await page.close();
    }
  }, 90_000);
});
