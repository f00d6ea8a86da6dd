import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureObservation } from '../../lib/capture/protocol';
import { launchChromium, type LaunchedBrowser } from '../browser-truth/browsers';
import { launchChromiumDriver, launchFirefoxDriver, until, type ChromiumDriver, type FirefoxDriver } from './harness';

/**
 * The page hook wraps the page's EventSource listeners (addEventListener, onmessage) instead of
 * adding its own. In real Chromium (with the built extension and without it) and real Firefox
 * (with it), a page adds, replaces and removes listeners between server events in every way the
 * DOM allows, and must see exactly what the DOM Standard says it sees (the expectation below,
 * which plain Chromium confirms); the capture must hold every unnamed event, listened to or not,
 * and the named ones the page listened to.
 */

/**
 * Runs in the page, as an inline script: each step makes the server send some events and then a
 * `step` event, which the page awaits before it changes its listeners. Writes what it saw, as
 * JSON, to `<html data-seen>` (read through the DOM: Marionette's scripts may see the page through
 * Xray wrappers, the DOM they share).
 */
const PAGE_SCRIPT = String(async function listenerPage(run: string): Promise<void> {
  const seen: unknown[] = [];
  try {
    const source = new EventSource(`/sse?run=${run}`);
    let stepped = (): void => undefined;
    source.addEventListener('step', () => stepped());
    await new Promise((resolve, reject) => {
      source.onopen = resolve;
      source.onerror = reject;
    });
    const step = async (events: string): Promise<void> => {
      const arrived = new Promise<void>((resolve) => (stepped = resolve));
      await fetch(`/emit?run=${run}`, { method: 'POST', body: `${events}event: step\ndata: -\n\n` });
      await arrived;
    };
    const data = (event: Event): string => (event as MessageEvent).data as string;
    window.onerror = (_message, _file, _line, _column, error) => {
      seen.push(['onerror', String((error as Error | undefined)?.message)]);
      return true;
    };
    await step('data: 1\n\n'); // nobody listens
    const plain = function (this: unknown, event: Event): void {
      seen.push(['plain', this === source, data(event)]);
    };
    const handler = (event: MessageEvent): void => void seen.push(['onmessage', data(event)]);
    const object = { handleEvent: (event: Event): void => void seen.push(['object 1', data(event)]) };
    source.addEventListener('message', plain);
    source.addEventListener('message', plain); // deduped
    source.onmessage = handler;
    source.addEventListener('message', object);
    seen.push(['getter', source.onmessage === handler]);
    await step('data: 2\n\n');
    source.removeEventListener('message', plain);
    // Looked up at every call.
    object.handleEvent = (event: Event): void => void seen.push(['object 2', data(event)]);
    await step('data: 3\n\n');
    const thrower = (): void => {
      throw new Error('boom');
    };
    source.addEventListener('message', thrower);
    source.addEventListener('message', (event) => seen.push(['once', data(event)]), { once: true });
    await step('data: 4\n\n');
    await step('data: 5\n\n');
    source.removeEventListener('message', thrower);
    source.onmessage = null;
    source.removeEventListener('message', object);
    seen.push(['getter', source.onmessage]);
    await step('data: 6\n\n'); // nobody listens again
    const capturing = (event: Event): void => void seen.push(['capture', data(event)]);
    source.addEventListener('message', capturing, true);
    // Another registration (not capturing): the capturing one stays.
    source.removeEventListener('message', capturing);
    const aborter = new AbortController();
    source.addEventListener('update', (event) => seen.push(['update', data(event)]), { signal: aborter.signal });
    await step('data: 7\n\nevent: update\ndata: 7u\n\n');
    aborter.abort();
    source.removeEventListener('message', capturing, { capture: true });
    await step('data: 8\n\nevent: update\ndata: 8u\n\n');
    source.close();
  } catch (error) {
    seen.push(['failed', String(error)]);
  }
  document.documentElement.dataset.seen = JSON.stringify(seen);
});

/** What the DOM Standard has the page see (listeners in registration order, the handler where it was first set). */
const EXPECTED_SEEN = [
  ['getter', true],
  ['plain', true, '2'],
  ['onmessage', '2'],
  ['object 1', '2'],
  ['onmessage', '3'],
  ['object 2', '3'],
  ['onmessage', '4'],
  ['object 2', '4'],
  ['onerror', 'boom'],
  ['once', '4'],
  ['onmessage', '5'],
  ['object 2', '5'],
  ['onerror', 'boom'],
  ['getter', null],
  ['capture', '7'],
  ['update', '7u'],
];

/**
 * Every unnamed event, and the named ones sent while the page listened to their type; after a
 * `signal` (or `once`) listener, which the browser may drop without telling the hook, for good.
 */
const EXPECTED_CAPTURED = [...['1', '2', '3', '4', '5', '6', '7'].map((d) => ['message', d]), ['update', '7u'], ['message', '8'], ['update', '8u']];

function serve(): Promise<{ server: http.Server; sockets: Set<Socket> }> {
  const streams = new Map<string, http.ServerResponse>();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const run = url.searchParams.get('run') ?? '';
    if (url.pathname === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': open\n\n');
      streams.set(run, res);
      return;
    }
    if (url.pathname === '/emit') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (piece: string) => (body += piece));
      req.on('end', () => {
        streams.get(run)?.write(body);
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    const script = url.pathname === '/page' ? `<script>(${PAGE_SCRIPT})(${JSON.stringify(run)})</script>` : '';
    res.end(`<!doctype html><title>listeners</title>${script}`);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, sockets })));
}

const parseSeen = (text: string | null | undefined): unknown[] | null => (text ? (JSON.parse(text) as unknown[]) : null);

/** The hook's events for the page, once its close() is in the capture (the hook posts events at idle time). */
async function capturedEvents(readCapture: () => Promise<CaptureObservation[]>): Promise<unknown[]> {
  const log = await until(async () => {
    const capture = await readCapture();
    return capture.some((o) => o.source === 'page-hook' && o.message.type === 'closed-by-page') ? capture : null;
  }, 'the page hook to report close()');
  return log.flatMap((o) => (o.source === 'page-hook' && o.message.type === 'message' && o.message.event !== 'step' ? [[o.message.event, o.message.data]] : []));
}

let served: Awaited<ReturnType<typeof serve>>;
let origin: string;

beforeAll(async () => {
  served = await serve();
  origin = `http://127.0.0.1:${(served.server.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const socket of served?.sockets ?? []) socket.destroy();
  served?.server.close();
});

describe('EventSource listeners in Chromium', () => {
  let plain: LaunchedBrowser;
  let hooked: ChromiumDriver;
  beforeAll(async () => {
    plain = await launchChromium();
    hooked = await launchChromiumDriver();
  }, 60_000);
  afterAll(async () => {
    await plain?.close();
    await hooked?.close();
  });

  async function seenIn(browser: LaunchedBrowser['browser'], run: string) {
    const page = await browser.newPage();
    await page.goto(`${origin}/page?run=${run}`);
    const seen = await until(async () => parseSeen(await page.evaluate(() => document.documentElement.dataset.seen)), 'the page to finish');
    return { page, seen };
  }

  it('behave as without the hook (plain Chromium), and the capture holds every event', async () => {
    const without = await seenIn(plain.browser, 'chromium-plain');
    expect(without.seen).toEqual(EXPECTED_SEEN);
    const withHook = await seenIn(hooked.browser, 'chromium-hooked');
    try {
      expect(withHook.seen).toEqual(EXPECTED_SEEN);
      expect(await capturedEvents(() => hooked.readCapture('/page?run=chromium-hooked'))).toEqual(EXPECTED_CAPTURED);
    } finally {
      await withHook.page.close();
      await without.page.close();
    }
  }, 60_000);

  it('leave the browser one message listener to call, as without the hook (DevTools protocol)', async () => {
    /** Message listeners of the EventSource and of the window. */
    const count = async (browser: LaunchedBrowser['browser'], run: string): Promise<number[]> => {
      const page = await browser.newPage();
      try {
        await page.goto(`${origin}/page-without-script`);
        await page.evaluate(async (run: string) => {
          const probe = new EventSource(`/sse?run=${run}`);
          (window as unknown as { probe: EventSource }).probe = probe;
          await new Promise((resolve) => (probe.onopen = resolve));
          await new Promise((resolve) => {
            probe.onmessage = resolve;
            void fetch(`/emit?run=${run}`, { method: 'POST', body: 'data: x\n\n' });
          });
        }, run);
        // EventSource's removeEventListener is EventTarget's: it may be called on any target.
        await page.evaluate(() => EventSource.prototype.removeEventListener.call(window, 'message', (window as unknown as { probe: EventSource }).probe.onmessage as EventListener));
        const cdp = await page.createCDPSession();
        const messageListeners = async (expression: string) => {
          const { result } = (await cdp.send('Runtime.evaluate', { expression })) as { result: { objectId: string } };
          const { listeners } = (await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId })) as { listeners: { type: string }[] };
          return listeners.filter((l) => l.type === 'message').length;
        };
        return [await messageListeners('probe'), await messageListeners('window')];
      } finally {
        await page.close();
      }
    };
    expect(await count(plain.browser, 'count-plain')).toEqual([1, 0]);
    expect(await count(hooked.browser, 'count-hooked')).toEqual([1, 0]);
  }, 60_000);
});

describe('EventSource listeners in Firefox', () => {
  let firefox: FirefoxDriver;
  beforeAll(async () => {
    firefox = await launchFirefoxDriver();
  }, 60_000);
  afterAll(async () => {
    await firefox?.close();
  });

  it('behave as the DOM Standard says with the hook, and the capture holds every event', async () => {
    const { marionette } = firefox;
    const tab = await marionette.newTab();
    await marionette.navigate(`${origin}/page?run=firefox-hooked`);
    const seen = await until(async () => {
      await marionette.switchTo(tab);
      return parseSeen(await marionette.execute<string | null>('return document.documentElement.dataset.seen ?? null'));
    }, 'the page to finish');
    expect(seen).toEqual(EXPECTED_SEEN);
    expect(await capturedEvents(() => firefox.readCapture('/page?run=firefox-hooked'))).toEqual(EXPECTED_CAPTURED);
  }, 60_000);
});
