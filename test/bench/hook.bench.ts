import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium, type LaunchedBrowser } from '../browser-truth/browsers';

/**
 * What the page hook costs a page, measured on the hook as it ships: real headless Chromium with
 * the built extension (its MAIN-world hook and isolated relay, both on the page's main thread)
 * against the same Chromium without it. A loopback page consumes EVENTS events from a loopback
 * server as fast as they come, by EventSource and by a fetch reader, in alternating rounds.
 * Prints figures; asserts nothing about timing. Usage: npm run bench:hook (builds first).
 */
const EVENTS = 20_000;
const ROUNDS = 7;
const EXTENSION = join(import.meta.dirname, '../../.output/chrome-mv3');
const HOOK = join(EXTENSION, 'content-scripts/sse-hook.js');
const RELAY = join(EXTENSION, 'content-scripts/sse-relay.js');
const DEADLINE = Date.now() + 110_000;

// One event like a chatty JSON feed's; written in slabs so the server is not what is measured.
function eventStream(): Buffer {
  const parts: string[] = [];
  for (let i = 1; i <= EVENTS; i++) parts.push(`id: ${i}\ndata: {"seq":${i},"price":${(i * 1.37).toFixed(2)},"symbol":"SSE"}\n\n`);
  return Buffer.from(parts.join(''));
}
const BODY = eventStream();
const SLAB = 64 * 1024;

function serve(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.url === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (let offset = 0; offset < BODY.length; offset += SLAB) res.write(BODY.subarray(offset, offset + SLAB));
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>hook bench</title>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

type Kind = 'eventsource' | 'fetch';

/** Runs in the page: events per second from the request to the last event. */
function consume(kind: Kind, events: number): Promise<number> {
  const started = performance.now();
  if (kind === 'eventsource') {
    return new Promise((resolve, reject) => {
      const source = new EventSource('/sse');
      let seen = 0;
      source.onmessage = () => {
        if (++seen < events) return;
        source.close();
        resolve((events * 1000) / (performance.now() - started));
      };
      source.onerror = () => reject(new Error(`EventSource error after ${seen} events`));
    });
  }
  return (async () => {
    const response = await fetch('/sse');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = 0;
    let tail = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // The page's own (minimal) parsing: count blank-line event ends.
      const text = tail + decoder.decode(value, { stream: true });
      let at = text.indexOf('\n\n');
      let last = 0;
      while (at !== -1) {
        seen++;
        last = at + 2;
        at = text.indexOf('\n\n', last);
      }
      tail = text.slice(last);
    }
    if (seen !== events) throw new Error(`fetch read ${seen} events`);
    return (events * 1000) / (performance.now() - started);
  })();
}

async function round(page: Page, origin: string, kind: Kind): Promise<number> {
  await page.goto(`${origin}/`);
  return page.evaluate(consume, kind, EVENTS);
}

/** The relay's buffer, read in the extension's isolated world of the page's main frame. */
async function relayStats(page: Page): Promise<string> {
  const session = await page.createCDPSession();
  const contexts: { id: number; name: string; auxData?: { isDefault?: boolean; type?: string } }[] = [];
  session.on('Runtime.executionContextCreated', (event: { context: (typeof contexts)[number] }) => contexts.push(event.context));
  await session.send('Runtime.enable');
  const isolated = contexts.find((c) => c.auxData?.type === 'isolated' && c.name === 'SSE Inspector');
  if (!isolated) return 'relay context not found';
  const { result } = await session.send('Runtime.evaluate', {
    contextId: isolated.id,
    returnByValue: true,
    expression: `(() => { const r = globalThis.__sseInspectorRelay; if (!r) return 'no relay'; r.flush(); const types = {}; for (const m of r.messages) types[m.type] = (types[m.type] ?? 0) + 1; return JSON.stringify({ kept: r.messages.length, rejected: r.rejected, overflowed: r.overflowed, types }); })()`,
  });
  await session.detach();
  return String(result.value);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const hookSource = readFileSync(HOOK);
  const server = await serve();
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const launched: LaunchedBrowser[] = [];
  try {
    const withHook = await launchChromium({
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [`--load-extension=${EXTENSION}`, `--disable-extensions-except=${EXTENSION}`],
    });
    launched.push(withHook);
    const without = await launchChromium();
    launched.push(without);
    const pages = new Map<string, Page>();
    const pageOf = async (browser: Browser, name: string) => pages.get(name) ?? pages.set(name, await browser.newPage()).get(name)!;
    const hooked = await pageOf(withHook.browser, 'hook');
    const plain = await pageOf(without.browser, 'plain');

    await hooked.goto(`${origin}/`);
    const installed = await hooked.evaluate(() => !/\[native code\]/.test(String(EventSource)) && !/\[native code\]/.test(String(fetch)));
    if (!installed) throw new Error('the hook is not installed in the extension browser (is .output/chrome-mv3 built?)');

    const rates: Record<`${Kind} ${'hook' | 'plain'}`, number[]> = { 'eventsource hook': [], 'eventsource plain': [], 'fetch hook': [], 'fetch plain': [] };
    // One warm-up round each, not counted: first-load compilation would weigh on one side.
    for (const kind of ['eventsource', 'fetch'] as const) {
      await round(hooked, origin, kind);
      await round(plain, origin, kind);
    }
    for (let i = 0; i < ROUNDS && Date.now() < DEADLINE; i++) {
      for (const kind of ['eventsource', 'fetch'] as const) {
        // Alternate which side goes first, so drift in the machine's load hits both.
        const order = i % 2 === 0 ? ([['hook', hooked], ['plain', plain]] as const) : ([['plain', plain], ['hook', hooked]] as const);
        for (const [side, page] of order) rates[`${kind} ${side}`].push(await round(page, origin, kind));
      }
    }
    const lastRelay = await relayStats(hooked);

    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`Page hook benchmark: ${EVENTS.toLocaleString('en-US')} events per round, ${rates['fetch hook'].length} rounds per side, Chromium headless, loopback`);
    for (const kind of ['eventsource', 'fetch'] as const) {
      const hook = median(rates[`${kind} hook`]);
      const base = median(rates[`${kind} plain`]);
      console.log(`  ${kind.padEnd(11)}  without hook ${fmt(base).padStart(9)} events/s   with hook ${fmt(hook).padStart(9)} events/s   ratio ${(hook / base).toFixed(3)} (target >= 0.97)`);
      console.log(`  ${''.padEnd(11)}  rounds without: ${rates[`${kind} plain`].map(fmt).join(', ')}; with: ${rates[`${kind} hook`].map(fmt).join(', ')}`);
    }
    console.log(`  relay after the last round (fetch): ${lastRelay}`);
    const relaySource = readFileSync(RELAY);
    console.log(`  sse-hook.js (MAIN world): ${hookSource.length} B minified, ${gzipSync(hookSource, { level: 9 }).length} B gzipped (target < 4096 B minified)`);
    console.log(`  sse-relay.js (isolated):  ${relaySource.length} B minified, ${gzipSync(relaySource, { level: 9 }).length} B gzipped`);
  } finally {
    for (const browser of launched) await browser.close();
    server.close();
  }
}

await main();
