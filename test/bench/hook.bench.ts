import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CDPSession, Page } from 'puppeteer-core';
import { launchChromium, type LaunchedBrowser } from '../browser-truth/browsers';

/**
 * What the page hook costs a page, measured on the hook as it ships: real headless Chromium with
 * the built extension (its MAIN-world hook and isolated relay, both on the page's main thread)
 * against the same Chromium without it. A loopback page consumes EVENTS events from a loopback
 * server as fast as they come, by EventSource and by a fetch reader, in pairs of rounds. Prints
 * the page's throughput with the hook over without it, and the renderer CPU time a stream costs
 * with the hook's deferred work (posting, and the relay's checking and parsing at idle time)
 * included. Asserts nothing about timing. Usage: npm run bench:hook (builds first).
 */
const EVENTS = 20_000;
const KINDS = ['eventsource', 'fetch'] as const;
// A fetch round lasts about 30 ms, an EventSource round about 500: more fetch pairs for the same time.
const PAIRS = { eventsource: 20, fetch: 100 } as const;
const COST_PAIRS = 7;
const EXTENSION = join(import.meta.dirname, '../../.output/chrome-mv3');
const HOOK = join(EXTENSION, 'content-scripts/sse-hook.js');
const RELAY = join(EXTENSION, 'content-scripts/sse-relay.js');
const THROUGHPUT_DEADLINE = Date.now() + 75_000;
const DEADLINE = Date.now() + 120_000;

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

type Kind = (typeof KINDS)[number];

/** Runs in the page: events per second from the request to the last event. */
function consume(kind: Kind, events: number): Promise<number> {
  const started = performance.now();
  if (kind === 'eventsource') {
    return new Promise((resolve, reject) => {
      const source = new EventSource('/sse');
      let seen = 0;
      // The page reads each event's data, as every consumer does (and the fetch page decodes its
      // bytes): Chromium builds the string once, for the page and the hook alike.
      let chars = 0;
      source.onmessage = (event) => {
        chars += (event.data as string).length;
        if (++seen < events) return;
        if (chars === 0) reject(new Error('no data'));
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
    expression: `(() => { const r = globalThis.__sseInspectorRelay; if (!r) return 'no relay'; r.flush(); return JSON.stringify({ kept: r.kept, rejected: r.rejected, overflowed: r.overflowed }); })()`,
  });
  await session.detach();
  return String(result.value);
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ?? Number.NaN;
const median = (values: number[]) => quantile(values, 0.5);

/**
 * CPU time the page's renderer spends on one stream, the hook's and relay's deferred work
 * included: all renderer threads, from before the round until SETTLE_MS after it (both sides
 * post and parse within 2 x 250 ms of an idle page), from the DevTools protocol's
 * SystemInfo.getProcessInfo. CPU time, unlike wall time, does not grow while other processes
 * hold the machine's cores; Chromium reports it in 10 ms steps, hence the median of several.
 */
const SETTLE_MS = 700;
async function rendererCpuMs(page: Page, browser: CDPSession, origin: string, kind: Kind): Promise<number> {
  const cpuSeconds = async () => {
    const { processInfo } = (await browser.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
    return processInfo.filter((p) => p.type === 'renderer').reduce((sum, p) => sum + p.cpuTime, 0);
  };
  await page.goto(`${origin}/`);
  const before = await cpuSeconds();
  await page.evaluate(consume, kind, EVENTS);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return 1000 * ((await cpuSeconds()) - before);
}

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
    const sides = { hook: await withHook.browser.newPage(), plain: await without.browser.newPage() };

    await sides.hook.goto(`${origin}/`);
    const installed = await sides.hook.evaluate(() => !/\[native code\]/.test(String(EventSource)) && !/\[native code\]/.test(String(fetch)));
    if (!installed) throw new Error('the hook is not installed in the extension browser (is .output/chrome-mv3 built?)');

    // One warm-up round each, not counted: first-load compilation would weigh on one side.
    for (const kind of KINDS) for (const page of Object.values(sides)) await round(page, origin, kind);

    // Throughput: pairs of rounds, alternating which side goes first, so that drift in the
    // machine's load (other processes share its cores) hits both sides of a pair alike.
    const rates: Record<Kind, { hook: number[]; plain: number[] }> = { eventsource: { hook: [], plain: [] }, fetch: { hook: [], plain: [] } };
    for (let i = 0; Date.now() < THROUGHPUT_DEADLINE; i++) {
      let ran = false;
      for (const kind of KINDS) {
        if (rates[kind].hook.length >= PAIRS[kind]) continue;
        ran = true;
        const order = i % 2 === 0 ? (['hook', 'plain'] as const) : (['plain', 'hook'] as const);
        for (const side of order) rates[kind][side].push(await round(sides[side], origin, kind));
      }
      if (!ran) break;
    }

    // Cost: renderer CPU time per stream, deferred work included.
    const sessions = { hook: await withHook.browser.target().createCDPSession(), plain: await without.browser.target().createCDPSession() };
    const busy: Record<Kind, { hook: number[]; plain: number[] }> = { eventsource: { hook: [], plain: [] }, fetch: { hook: [], plain: [] } };
    for (let i = 0; i < COST_PAIRS && Date.now() < DEADLINE; i++) {
      for (const kind of KINDS) {
        const order = i % 2 === 0 ? (['hook', 'plain'] as const) : (['plain', 'hook'] as const);
        for (const side of order) busy[kind][side].push(await rendererCpuMs(sides[side], sessions[side], origin, kind));
      }
    }
    const lastRelay = await relayStats(sides.hook);

    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`Page hook benchmark: ${EVENTS.toLocaleString('en-US')} events per stream, Chromium headless, loopback`);
    for (const kind of KINDS) {
      const { hook, plain } = rates[kind];
      const ratios = hook.map((rate, i) => rate / (plain[i] ?? Number.NaN));
      console.log(
        `  ${kind.padEnd(11)}  ratio with/without hook ${median(ratios).toFixed(3)} (target >= 0.97; median of ${ratios.length} pairs, quartiles ${quantile(ratios, 0.25).toFixed(3)}-${quantile(ratios, 0.75).toFixed(3)}); median events/s without ${fmt(median(plain))}, with ${fmt(median(hook))}`,
      );
    }
    for (const kind of KINDS) {
      const hook = median(busy[kind].hook);
      const plain = median(busy[kind].plain);
      console.log(
        `  ${kind.padEnd(11)}  renderer CPU per stream, deferred work included (median of ${busy[kind].hook.length}): without ${plain.toFixed(0)} ms, with ${hook.toFixed(0)} ms (${(((hook - plain) * 1000) / EVENTS).toFixed(2)} µs more per event)`,
      );
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
