import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { launchChromium } from '../browser-truth/browsers';
import { serveEventStream } from './event-stream-server';
import { median, quantile } from './stats';

/**
 * What the page hook costs a page, measured on the hook as it ships: one headless Chromium with
 * the built extension, and two tabs of the same profile on the same origin. One runs the page as
 * an http: document (the MAIN-world hook and the isolated relay run there, both on the page's
 * main thread); the other runs it as a blob: document made by that origin, which content scripts
 * do not match (no match_origin_as_fallback): same origin, same renderer, no hook. The page
 * consumes EVENTS events from a loopback server as fast as they come, by EventSource, by a fetch
 * reader and by XMLHttpRequest. Each round runs in the tab in front (brought there first).
 *
 * The machine is shared, so wall time is noisy: rounds come in many A/B pairs, interleaved and in
 * alternating order, so that a change of load hits both sides of a pair alike, and each pair gives
 * one ratio; the median of those ratios is reported with its quartiles and a bootstrap 95%
 * interval. Beside wall time, the page's main-thread CPU time per event (DevTools protocol,
 * Performance.getMetrics ThreadTime: the thread's own CPU clock, which does not grow while other
 * processes hold the cores), from before the round until SETTLE_MS after it, so the hook's and
 * relay's deferred work (posting, checking, parsing at idle time) is counted. The load average
 * is printed with each kind. Last, what every frame pays whether it opens a stream or not (see
 * frameCost). Asserts nothing. Usage: npm run bench:hook (builds first).
 */
const EVENTS = 20_000;
const KINDS = ['eventsource', 'fetch', 'xhr'] as const;
type Kind = (typeof KINDS)[number];
// An EventSource round takes about 0.5 s, a fetch or XHR round about 0.1 s, plus the settling.
// HOOK_BENCH_PAIRS overrides the count for every kind (a quick look).
const PAIRS: Record<Kind, number> = process.env.HOOK_BENCH_PAIRS ? { eventsource: +process.env.HOOK_BENCH_PAIRS, fetch: +process.env.HOOK_BENCH_PAIRS, xhr: +process.env.HOOK_BENCH_PAIRS } : { eventsource: 60, fetch: 50, xhr: 50 };
// The hook posts within 500 ms, the relay handles a batch within 250 ms after, even when the tab
// gets no idle period: waiting longer after every round keeps that work in the round's own CPU
// count and out of the other side's next round (both tabs share the renderer's main thread).
const SETTLE_MS = 1000;
const DEADLINE = Date.now() + 720_000;
const EXTENSION = join(import.meta.dirname, '../../.output/chrome-mv3');
const HOOK = join(EXTENSION, 'content-scripts/sse-hook.js');
const RELAY = join(EXTENSION, 'content-scripts/sse-relay.js');

/** Runs in the page: events per second from the request to the last event. */
function consume(kind: Kind, events: number, url: string): Promise<number> {
  const started = performance.now();
  const rate = () => (events * 1000) / (performance.now() - started);
  if (kind === 'eventsource') {
    return new Promise((resolve, reject) => {
      const source = new EventSource(url);
      let seen = 0;
      // The page reads each event's data, as every consumer does (and the fetch and XHR pages
      // decode the text): Chromium builds the string once, for the page and the hook alike.
      let chars = 0;
      source.onmessage = (event) => {
        chars += (event.data as string).length;
        if (++seen < events) return;
        if (chars === 0) reject(new Error('no data'));
        source.close();
        resolve(rate());
      };
      source.onerror = () => reject(new Error(`EventSource error after ${seen} events`));
    });
  }
  if (kind === 'xhr') {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      let seen = 0;
      let at = 0;
      // The page's own (minimal) parsing of the text so far: count blank-line event ends.
      const read = () => {
        const text = xhr.responseText;
        for (let end = text.indexOf('\n\n', at); end !== -1; end = text.indexOf('\n\n', at)) {
          seen++;
          at = end + 2;
        }
      };
      xhr.onprogress = read;
      xhr.onload = () => {
        read();
        if (seen === events) resolve(rate());
        else reject(new Error(`XHR read ${seen} events`));
      };
      xhr.onerror = () => reject(new Error('XHR failed'));
      xhr.open('GET', url);
      xhr.send();
    });
  }
  return (async () => {
    const response = await fetch(url);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = 0;
    let tail = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
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
    return rate();
  })();
}

interface Side {
  readonly page: Page;
  /** Loads a fresh document: the origin's page, or (without the hook) a blob: document of it. */
  fresh(origin: string): Promise<void>;
  /** The page's main-thread CPU seconds so far. */
  threadTime(): Promise<number>;
}

async function side(page: Page, hooked: boolean): Promise<Side> {
  const session = await page.createCDPSession();
  await session.send('Performance.enable');
  return {
    page,
    async fresh(origin) {
      await page.goto(`${origin}/`);
      if (!hooked) {
        await Promise.all([
          page.waitForNavigation(),
          page.evaluate(() => {
            location.href = URL.createObjectURL(new Blob(['<!doctype html><title>hook bench, no hook</title>'], { type: 'text/html' }));
          }),
        ]);
      }
      // Under tsx, serialized functions call esbuild's `__name` helper.
      await page.evaluate('globalThis.__name ??= (f) => f');
    },
    async threadTime() {
      const { metrics } = await session.send('Performance.getMetrics');
      const metric = metrics.find((m) => m.name === 'ThreadTime');
      if (!metric) throw new Error('no ThreadTime metric');
      return metric.value;
    },
  };
}

interface Round {
  readonly eventsPerSecond: number;
  /** Main-thread CPU microseconds per event, deferred work included. */
  readonly cpuPerEvent: number;
}

async function round(side: Side, origin: string, kind: Kind): Promise<Round> {
  // Same origin, same renderer: the thread's clock keeps counting across the navigation.
  await side.fresh(origin);
  // The tab in front: a background tab's tasks run at a lower priority. Without this the tab
  // opened last (the one without the hook) was always in front, which cost the hooked side about
  // 0.07 of its throughput and 0.6 µs of CPU per event with no hook code running at all.
  await side.page.bringToFront();
  if ((await side.page.evaluate(() => document.visibilityState)) !== 'visible') throw new Error('the measured tab is not in front');
  const before = await side.threadTime();
  const eventsPerSecond = await side.page.evaluate(consume, kind, EVENTS, `${origin}/sse`);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const cpuPerEvent = (((await side.threadTime()) - before) * 1e6) / EVENTS;
  return { eventsPerSecond, cpuPerEvent };
}


/** 95% percentile-bootstrap interval of the median (seeded: the same pairs give the same interval). */
function bootstrapMedian(values: readonly number[]): [number, number] {
  let seed = 0x2f6b_1d3;
  const random = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  const medians: number[] = [];
  for (let i = 0; i < 2000; i++) medians.push(median(values.map(() => values[Math.floor(random() * values.length)] as number)));
  return [quantile(medians, 0.025), quantile(medians, 0.975)];
}

const f3 = (n: number) => n.toFixed(3);
const spread = (values: readonly number[]) => {
  const [low, high] = bootstrapMedian(values);
  return `${f3(median(values))} (quartiles ${f3(quantile(values, 0.25))}-${f3(quantile(values, 0.75))}, 95% CI of the median ${f3(low)}-${f3(high)})`;
};

const FRAMES = 100;
const FRAME_PAIRS = 16;

/**
 * What a frame pays for the extension whether it opens a stream or not: the hook and the relay
 * are injected into every frame. The same page adds FRAMES same-origin iframes one after another,
 * in a tab with the extension and in an incognito tab (where the extension does not run), in
 * alternating pairs; the per-frame main-thread CPU of each side and the median paired difference.
 */
async function frameCost(browser: Browser, origin: string, hooked: Page): Promise<string> {
  const plain = await (await browser.createBrowserContext()).newPage();
  const sides = [
    { page: hooked, session: await hooked.createCDPSession(), cpu: [] as number[] },
    { page: plain, session: await plain.createCDPSession(), cpu: [] as number[] },
  ];
  const threadTime = async (session: CDPSession) => (await session.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? Number.NaN;
  for (const s of sides) await s.session.send('Performance.enable');
  await plain.goto(`${origin}/`);
  if (await plain.evaluate(() => !/\[native code\]/.test(String(EventSource)))) throw new Error('the hook runs in the incognito tab');
  for (let i = 0; i < FRAME_PAIRS; i++) {
    for (const s of i % 2 === 0 ? sides : [...sides].reverse()) {
      await s.page.goto(`${origin}/`);
      await s.page.bringToFront();
      const before = await threadTime(s.session);
      await s.page.evaluate(async (frames: number) => {
        for (let n = 0; n < frames; n++) {
          const frame = document.createElement('iframe');
          const loaded = new Promise((resolve) => (frame.onload = resolve));
          frame.src = `/frame?${n}`;
          document.body.append(frame);
          await loaded;
        }
      }, FRAMES);
      s.cpu.push((((await threadTime(s.session)) - before) * 1e6) / FRAMES);
    }
  }
  const [withHook, without] = sides.map((s) => s.cpu) as [number[], number[]];
  const differences = withHook.map((value, i) => value - (without[i] as number));
  const us = (n: number) => Math.round(n).toLocaleString('en-US');
  return `main-thread CPU per iframe load without ${us(median(without))} µs, with ${us(median(withHook))} µs; paired difference ${us(median(differences))} µs (quartiles ${us(quantile(differences, 0.25))}-${us(quantile(differences, 0.75))}, ${FRAME_PAIRS} pairs of ${FRAMES} frames)`;
}

async function relayStats(page: Page): Promise<string> {
  const session = await page.createCDPSession();
  const contexts: { id: number; name: string; auxData?: { type?: string } }[] = [];
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

async function main(): Promise<void> {
  const { server, origin } = await serveEventStream(EVENTS);
  const browser = await launchChromium({
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [`--load-extension=${EXTENSION}`, `--disable-extensions-except=${EXTENSION}`],
  });
  try {
    const sides = { hook: await side(await browser.browser.newPage(), true), plain: await side(await browser.browser.newPage(), false) };
    const hooked = async (s: Side) => {
      await s.fresh(origin);
      return s.page.evaluate(() => [EventSource, fetch, XMLHttpRequest.prototype.open].map((f) => !/\[native code\]/.test(String(f))).join());
    };
    if ((await hooked(sides.hook)) !== 'true,true,true') throw new Error('the hook is not installed in the http: page (is .output/chrome-mv3 built?)');
    if ((await hooked(sides.plain)) !== 'false,false,false') throw new Error('the hook runs in the blob: page too');

    // One warm-up round each, not counted: first-load compilation would weigh on one side.
    for (const kind of KINDS) for (const s of Object.values(sides)) await round(s, origin, kind);

    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`Page hook benchmark: ${EVENTS.toLocaleString('en-US')} events per stream, one Chromium (with: http: page; without: blob: page of the same origin), loopback, ${SETTLE_MS} ms settling per round`);
    // HOOK_BENCH_KINDS=eventsource,xhr: only these (a quick look).
    for (const kind of KINDS.filter((k) => !process.env.HOOK_BENCH_KINDS || process.env.HOOK_BENCH_KINDS.split(',').includes(k))) {
      const pairs: { hook: Round; plain: Round }[] = [];
      const loads: number[] = [];
      for (let i = 0; i < PAIRS[kind] && Date.now() < DEADLINE; i++) {
        loads.push(loadavg()[0] as number);
        const order = i % 2 === 0 ? (['hook', 'plain'] as const) : (['plain', 'hook'] as const);
        const pair: Partial<Record<'hook' | 'plain', Round>> = {};
        for (const name of order) pair[name] = await round(sides[name], origin, kind);
        pairs.push(pair as { hook: Round; plain: Round });
      }
      const throughput = pairs.map((p) => p.hook.eventsPerSecond / p.plain.eventsPerSecond);
      // CPU per event without over with: the throughput ratio a CPU-bound page would see.
      const cpu = pairs.map((p) => p.plain.cpuPerEvent / p.hook.cpuPerEvent);
      const cpuHook = median(pairs.map((p) => p.hook.cpuPerEvent));
      const cpuPlain = median(pairs.map((p) => p.plain.cpuPerEvent));
      console.log(`  ${kind} (${pairs.length} pairs; load average 1 min ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)}, median ${median(loads).toFixed(2)}, on ${availableParallelism()} cores)`);
      console.log(`    wall-time throughput with/without: ${spread(throughput)}; median events/s without ${fmt(median(pairs.map((p) => p.plain.eventsPerSecond)))}, with ${fmt(median(pairs.map((p) => p.hook.eventsPerSecond)))}`);
      console.log(`    main-thread CPU per event: without ${cpuPlain.toFixed(2)} µs, with ${cpuHook.toFixed(2)} µs (+${(cpuHook - cpuPlain).toFixed(2)} µs); CPU ratio without/with ${spread(cpu)}`);
    }
    console.log(`  relay after the last round (xhr): ${await relayStats(sides.hook.page)}`);
    // HOOK_BENCH_FRAMES=0: skip this part.
    if (process.env.HOOK_BENCH_FRAMES !== '0') console.log(`  every frame (hook and relay injected, no stream): ${await frameCost(browser.browser, origin, sides.hook.page)}`);
    const hookSource = readFileSync(HOOK);
    const relaySource = readFileSync(RELAY);
    console.log(`  sse-hook.js (MAIN world): ${hookSource.length} B minified, ${gzipSync(hookSource, { level: 9 }).length} B gzipped (target < 4096 B minified)`);
    console.log(`  sse-relay.js (isolated):  ${relaySource.length} B minified, ${gzipSync(relaySource, { level: 9 }).length} B gzipped`);
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
