import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureObservation, PageHookMessage } from '../../lib/capture/protocol';
import { launchChromium, type LaunchedBrowser } from '../browser-truth/browsers';

/**
 * The built page hook and its relay in real Chromium: what a page does with EventSource, fetch
 * and XMLHttpRequest streams (open, named events, close, a body read to its end, a mis-typed
 * answer, a CORS block) is what the relay's observations say, and the page sees what it sees
 * without the hook.
 */
const EXTENSION = join(__dirname, '../../.output/chrome-mv3');

const STREAM = 'id: 1\ndata: a\n\nevent: tick\ndata: b\n\n';

function serve(): Promise<{ server: http.Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    if (req.url === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(STREAM);
      // Kept open: an EventSource would reconnect after an end; the page closes it.
      return;
    }
    if (req.url === '/sse-end') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(STREAM);
      return;
    }
    if (req.url === '/json') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"unauthorized"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>hooked</title>');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, sockets })));
}

/** What the page does; returns what it saw. Runs in the page, with or without the hook. */
async function pageScript(crossOrigin: string): Promise<unknown> {
  const seen: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    const source = new EventSource('/sse');
    source.onopen = () => seen.push(['open', source.readyState]);
    source.addEventListener('tick', (event) => {
      seen.push(['tick', (event as MessageEvent).data, (event as MessageEvent).lastEventId]);
      source.close();
      resolve();
    });
    source.onmessage = (event) => seen.push(['message', event.data, event.lastEventId]);
    source.onerror = () => reject(new Error('EventSource failed'));
  });
  const stream = await fetch('/sse-end', { headers: { 'X-Trace': '7' } });
  seen.push(['fetch', stream.status, stream.url, stream.type, stream.redirected, await stream.text()]);
  const misTyped = await fetch('/json', { headers: { Accept: 'text/event-stream' } });
  seen.push(['mis-typed', misTyped.status, await misTyped.json()]);
  try {
    await fetch(`${crossOrigin}/sse`, { headers: { Accept: 'text/event-stream' } });
    seen.push(['cross-origin', 'resolved']);
  } catch (error) {
    seen.push(['cross-origin', String(error)]);
  }
  // XMLHttpRequest streams: one read to its end, one blocked by CORS (status 0, an error event).
  const xhr = (url: string, accept: boolean) =>
    new Promise<unknown[]>((resolve) => {
      const request = new XMLHttpRequest();
      const states: unknown[] = [];
      request.onreadystatechange = () => states.push(request.readyState);
      request.onloadend = () => resolve([request.status, request.responseText, request.getResponseHeader('content-type'), states.at(-1)]);
      request.addEventListener('error', () => states.push('error'));
      request.open('GET', url);
      if (accept) request.setRequestHeader('Accept', 'text/event-stream');
      request.send();
    });
  seen.push(['xhr', await xhr('/sse-end', false)]);
  seen.push(['xhr cross-origin', await xhr(`${crossOrigin}/sse`, true)]);
  seen.push(['globals', EventSource.name, EventSource.length, fetch.name, fetch.length, Object.keys(window).includes('EventSource'), XMLHttpRequest.prototype.open.name, XMLHttpRequest.prototype.open.length]);
  return seen;
}

/** The hook's observations as the extension filed them for the page's tab (its capture log). */
async function relayMessages(browser: LaunchedBrowser, extensionOrigin: string, urlPart: string): Promise<PageHookMessage[]> {
  const log = await browser.browser.newPage();
  try {
    await log.goto(`${extensionOrigin}/capture-log.html?url=${encodeURIComponent(urlPart)}`);
    await log.waitForSelector('body[data-tab]');
    const text = await log.$eval('#log', (pre) => pre.textContent ?? '');
    const observations = text === '' ? [] : text.split('\n').map((line) => JSON.parse(line) as CaptureObservation);
    return observations.flatMap((o) => (o.source === 'page-hook' ? [o.message] : []));
  } finally {
    await log.close();
  }
}

describe('page hook in Chromium', () => {
  let withHook: LaunchedBrowser;
  let without: LaunchedBrowser;
  let served: Awaited<ReturnType<typeof serve>>;
  let origin: string;
  let crossOrigin: string;

  beforeAll(async () => {
    if (!existsSync(join(EXTENSION, 'manifest.json'))) throw new Error('build the extension first: npm run build');
    served = await serve();
    const { port } = served.server.address() as AddressInfo;
    origin = `http://127.0.0.1:${port}`;
    // Another origin on the same server, without CORS headers: fetch() from the page is blocked.
    crossOrigin = `http://localhost:${port}`;
    withHook = await launchChromium({ ignoreDefaultArgs: ['--disable-extensions'], args: [`--load-extension=${EXTENSION}`, `--disable-extensions-except=${EXTENSION}`] });
    without = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await withHook?.close();
    await without?.close();
    for (const socket of served?.sockets ?? []) socket.destroy();
    served?.server.close();
  });

  async function run(browser: LaunchedBrowser): Promise<{ page: Page; seen: unknown }> {
    const page = await browser.browser.newPage();
    await page.goto(`${origin}/`);
    return { page, seen: await page.evaluate(pageScript, crossOrigin) };
  }

  it('reports what the page saw, and the page sees what it sees without the hook', async () => {
    const hooked = await run(withHook);
    const plain = await run(without);
    expect(hooked.seen).toEqual(plain.seen);
    expect(hooked.seen).toContainEqual(['globals', 'EventSource', 1, 'fetch', 1, false, 'open', 2]);
    expect(hooked.seen).toContainEqual(['xhr', [200, STREAM, 'text/event-stream', 4]]);
    expect(hooked.seen).toContainEqual(['xhr cross-origin', [0, '', null, 'error']]);

    // The extension's id is the host of its service worker.
    const worker = withHook.browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'));
    if (!worker) throw new Error('the extension is not running');
    const extensionOrigin = `chrome-extension://${new URL(worker.url()).host}`;
    const deadline = Date.now() + 10_000;
    let messages = await relayMessages(withHook, extensionOrigin, `${origin}/`);
    while (messages.filter((m) => m.type === 'fetch-failed').length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      messages = await relayMessages(withHook, extensionOrigin, `${origin}/`);
    }

    const streams = new Map<number, PageHookMessage[]>();
    for (const m of messages) if ('streamId' in m) streams.set(m.streamId, [...(streams.get(m.streamId) ?? []), m]);
    const [eventSource, fetched, misTyped, blocked, xhrStream, xhrBlocked] = [...streams.values()];
    const shape = (list: PageHookMessage[] | undefined) =>
      list?.map((m) => (m.type === 'message' ? [m.event, m.data, m.lastEventId] : m.type === 'ready-state' ? `state ${m.state}` : m.type));

    expect(shape(eventSource)).toEqual(['stream-created', 'state 0', 'open', 'state 1', ['message', 'a', '1'], ['tick', 'b', '1'], 'closed-by-page', 'state 2']);
    expect(eventSource?.[0]).toMatchObject({ kind: 'eventsource', url: `${origin}/sse`, withCredentials: false });

    expect(shape(fetched)).toEqual(['stream-created', 'fetch-response', ['message', 'a', '1'], ['tick', 'b', '1'], 'body-end']);
    expect(fetched?.[0]).toMatchObject({ kind: 'fetch', url: `${origin}/sse-end`, method: 'GET', credentials: 'same-origin', requestHeaders: [['x-trace', '7']] });
    expect(fetched?.at(-1)).toMatchObject({ reason: 'complete' });

    expect(misTyped).toMatchObject([
      { type: 'stream-created', url: `${origin}/json`, requestHeaders: [['accept', 'text/event-stream']] },
      { type: 'fetch-response', status: 401, statusText: 'Unauthorized', contentType: 'application/json', redirected: false },
    ]);
    expect(misTyped).toHaveLength(2);

    expect(blocked).toMatchObject([
      { type: 'stream-created', url: `${crossOrigin}/sse` },
      { type: 'fetch-failed', error: 'TypeError: Failed to fetch' },
    ]);

    // An XHR stream is a fetch-style stream: credentials from withCredentials, no `redirected`.
    expect(shape(xhrStream)).toEqual(['stream-created', 'fetch-response', ['message', 'a', '1'], ['tick', 'b', '1'], 'body-end']);
    expect(xhrStream?.[0]).toMatchObject({ kind: 'fetch', url: `${origin}/sse-end`, method: 'GET', credentials: 'same-origin', requestHeaders: [] });
    expect(xhrStream?.[1]).toMatchObject({ status: 200, contentType: 'text/event-stream', redirected: false });
    expect(xhrStream?.at(-1)).toMatchObject({ reason: 'complete' });
    expect(xhrBlocked).toMatchObject([
      { type: 'stream-created', url: `${crossOrigin}/sse`, requestHeaders: [['accept', 'text/event-stream']] },
      { type: 'fetch-failed', error: 'error' },
    ]);
    expect(streams.size).toBe(6);
  }, 60_000);
});
