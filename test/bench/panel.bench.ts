import type { Page } from 'puppeteer-core';
import { launchChromium } from '../browser-truth/browsers';
import { BUILT_EXTENSION, serveBuiltExtension } from '../panel/demo-server';
import { kb, measurePanelSize } from './panel-size';
import { startTrace, tasksOf, type TaskFigures } from './trace';

/**
 * The panel under a firehose, in real headless Chromium: the plain-page panel (the built
 * panel-demo.html) receives one stream growing by RATE events a second, as whole-stream feed
 * updates every TICK_MS (PanelFeed sends changed streams whole), with the Messages tab open and
 * following the tail. Measures the longest main-thread task (PerformanceObserver 'longtask'
 * reports tasks over 50 ms; a requestAnimationFrame loop gives the longest frame gap) and the
 * JS heap, then scrolls the 100,000-message table. Also prints the panel's gzipped JS size, initial
 * and lazy (panel-size.ts; the budget is asserted by test/panel/bundle-size.test.ts). A browser trace
 * gives every task's wall and CPU time in both phases (trace.ts): on a busy machine the long tasks
 * and frame gaps may be time spent waiting for a core rather than work.
 * Prints figures; asserts nothing about timing. Usage: npx wxt build && npx tsx test/bench/panel.bench.ts
 */
const RATE = 5000;
const TICK_MS = 100;
const SECONDS = 10;

interface Figures {
  readonly longTasks: number;
  readonly longestTaskMs: number;
  readonly longestFrameGapMs: number;
  readonly heapMb: number;
  readonly events: number;
}

/** Runs in the page: feeds the firehose stream and watches the main thread. */
function firehose(rate: number, tickMs: number, seconds: number): Promise<Figures> {
  type Stream = { key: string; revision: number; lastActivityAt: number; record: { events: unknown[] } };
  const demo = (window as unknown as { panelDemo: { host: { push(feed: unknown): void }; feed: { type: string; streams?: Stream[] }[] } }).panelDemo;
  const base = demo.feed.flatMap((message) => message.streams ?? []).find((stream) => stream.key === 'firehose');
  if (!base) throw new Error('open the demo with firehose=1');
  const events: unknown[] = [];
  let longTasks = 0;
  let longestTaskMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      longTasks++;
      longestTaskMs = Math.max(longestTaskMs, entry.duration);
    }
  }).observe({ type: 'longtask', buffered: false });
  let longestFrameGapMs = 0;
  let lastFrame = performance.now();
  let running = true;
  const frame = (now: number) => {
    longestFrameGapMs = Math.max(longestFrameGapMs, now - lastFrame);
    lastFrame = now;
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  const perTick = (rate * tickMs) / 1000;
  let revision = base.revision;
  return new Promise((resolve) => {
    const started = performance.now();
    const timer = setInterval(() => {
      const at = performance.now() - started;
      for (let i = 0; i < perTick; i++) {
        const seq = events.length;
        const data = `{"seq":${seq},"symbol":"SSE","price":${(100 + (seq % 997) / 10).toFixed(1)}}`;
        events.push({ at, attempt: 1, type: 'tick', data, id: String(seq + 1), size: data.length + 7 });
      }
      revision++;
      demo.host.push({ type: 'streams', streams: [{ ...base, revision, lastActivityAt: Date.now(), record: { ...base.record, events: events.slice() } }] });
      if (at >= seconds * 1000) {
        clearInterval(timer);
        // One more frame so the last update is drawn before reading the figures.
        requestAnimationFrame(() => {
          running = false;
          const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
          resolve({ longTasks, longestTaskMs, longestFrameGapMs, heapMb: (memory?.usedJSHeapSize ?? 0) / 1024 / 1024, events: events.length });
        });
      }
    }, tickMs);
  });
}

/** Runs in the page: scrolls the message table top to bottom in steps, one frame each; the longest frame gap. */
function scrollThrough(steps: number): Promise<number> {
  const table = document.querySelector<HTMLElement>('[data-testid="message-table"]');
  if (!table) throw new Error('Messages tab not open');
  return new Promise((resolve) => {
    let step = 0;
    let last = performance.now();
    let longest = 0;
    const next = (now: number) => {
      longest = Math.max(longest, now - last);
      last = now;
      table.scrollTop = ((table.scrollHeight - table.clientHeight) * step) / steps;
      if (++step <= steps) requestAnimationFrame(next);
      else resolve(longest);
    };
    requestAnimationFrame(next);
  });
}

async function openMessages(page: Page, path: string): Promise<void> {
  await page.click(`[data-testid="stream-row"][data-url$="${path}"]`);
  await page.click('#tab-messages');
  await page.waitForSelector('[data-testid="message-table"]');
}

const tasks = (figures: TaskFigures) => `longest task (trace) ${figures.longestMs.toFixed(0)} ms, CPU ${figures.longestCpuMs.toFixed(0)} ms`;

async function main(): Promise<void> {
  const server = await serveBuiltExtension();
  const chromium = await launchChromium({ args: ['--enable-precise-memory-info'] });
  try {
    const page = await chromium.browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    // tsx keeps function names through an `__name` helper that the page does not have.
    await page.evaluateOnNewDocument('globalThis.__name = (f) => f');

    await page.goto(`${server.url}/panel-demo.html?firehose=1`);
    await page.waitForSelector('[data-testid="stream-row"]');
    await openMessages(page, '/sse/firehose');
    let endTrace = await startTrace(chromium.browser);
    await page.evaluate(() => performance.mark('sse-panel-bench'));
    const live = await page.evaluate(firehose, RATE, TICK_MS, SECONDS);
    const liveTasks = tasksOf(await endTrace(), 'sse-panel-bench');

    await page.goto(`${server.url}/panel-demo.html?firehose=100000`);
    await page.waitForSelector('[data-testid="stream-row"]');
    await openMessages(page, '/sse/firehose');
    endTrace = await startTrace(chromium.browser);
    await page.evaluate(() => performance.mark('sse-panel-bench'));
    const scrollGap = await page.evaluate(scrollThrough, 120);
    const scrollTasks = tasksOf(await endTrace(), 'sse-panel-bench');
    const rowsInDom = await page.$$eval('[data-testid="message-row"]', (rows) => rows.length);

    const size = measurePanelSize(BUILT_EXTENSION);
    console.log(
      `panel JS, gzipped: initial ${kb(size.initialGzipBytes)} (${size.initial.length} scripts), lazy chunks ${kb(size.lazyGzipBytes)} (${size.lazy.length} scripts), CSS ${kb(size.cssGzipBytes)}`,
    );
    console.log(
      `firehose ${RATE} events/s for ${SECONDS} s (${live.events} events, updates every ${TICK_MS} ms): ` +
        `long tasks ${live.longTasks}, longest ${live.longestTaskMs.toFixed(0)} ms, longest frame gap ${live.longestFrameGapMs.toFixed(0)} ms, JS heap ${live.heapMb.toFixed(0)} MB; ${tasks(liveTasks)}`,
    );
    console.log(`scrolling 100,000 messages in 120 frames: longest frame gap ${scrollGap.toFixed(0)} ms, message rows in the DOM ${rowsInDom}; ${tasks(scrollTasks)}`);
  } finally {
    await chromium.close();
    await server.close();
  }
}

await main();
