import { writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CDPSession, Frame, Target } from 'puppeteer-core';
import { launchChromiumDriver, until, type ChromiumDriver } from '../capture/harness';
import { openClient, openPanel } from '../extension/panel-harness';
import { startTrace, tasksOf, type TaskFigures, type TraceEvent } from './trace';

/**
 * The panel under a firehose as a user meets it, in real headless Chromium: the built extension,
 * its panel open in DevTools on a page whose one EventSource receives RATE events a second for
 * SECONDS from a loopback server, the stream selected and its Messages tab open, following the
 * tail. Everything on the way is the product's: page hook, relay, background store, port, merger,
 * panel. Recorded in the panel's own page:
 * - tasks: every task of the panel's main thread from a browser-wide trace ('toplevel'), with its
 *   wall time (what the user waits) and its own CPU time (the same task without the time its thread
 *   waited for a core: on a busy machine the two differ a lot); PerformanceObserver 'longtask'
 *   (over 50 ms only); a 4 ms timer chain whose lateness is how long the thread was busy when it
 *   was due; the longest requestAnimationFrame gap;
 * - JS heap (CDP Runtime.getHeapUsage) before the firehose, after it, and after a forced GC;
 * - events the server sent, the page received, and the panel shows as kept and as "not kept":
 *   what is missing from both counts was lost silently.
 * The background service worker's tasks come from the same trace. `--profile` also writes the
 * panel's and the worker's CPU profiles and the trace with timeline details into .tmp/
 * (panel-firehose-<run>.cpuprofile, worker-firehose-<run>.cpuprofile, firehose-trace-<run>.json;
 * DevTools' Performance panel opens them).
 * Prints figures; asserts nothing. Usage: npx wxt build && npx tsx test/bench/panel-firehose.bench.ts [runs] [--profile]
 */
const RATE = 5000;
const SECONDS = 10;
const RUNS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5);
const PROFILE_PANEL = process.argv.includes('--profile');
/** Progress on stderr, so a run that hangs says where. */
const step = (what: string) => process.stderr.write(`  ${new Date().toISOString().slice(11, 19)} ${what}\n`);

interface Firehose {
  readonly url: string;
  /** Events written to the stream so far. */
  sent(): number;
  /** Starts the firehose on the open stream; resolves when it has ended. */
  go(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A page and one event stream on 127.0.0.1. The stream idles (an event a second) until `go`, then
 * writes RATE events a second in 10 ms chunks, sized by the clock so the rate holds whatever the
 * timer jitter, and ends with a `done` event on which the page closes it (so it does not reconnect).
 */
async function startFirehose(): Promise<Firehose> {
  let stream: ServerResponse | null = null;
  let count = 0;
  const write = (response: ServerResponse, n: number) => {
    let chunk = '';
    for (let i = 0; i < n; i++, count++) chunk += `event: tick\nid: ${count + 1}\ndata: {"seq":${count},"symbol":"SSE","price":${(100 + (count % 997) / 10).toFixed(1)}}\n\n`;
    response.write(chunk);
  };
  const server = createServer((request, response) => {
    if (request.url === '/firehose') {
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
      stream = response;
      write(response, 1);
      const idle = setInterval(() => (stream === response && !firing ? write(response, 1) : clearInterval(idle)), 1000);
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end('<!doctype html><title>firehose</title><p>firehose</p>');
  });
  let firing = false;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent: () => count,
    go() {
      const response = stream;
      if (!response) throw new Error('the page has not opened the stream');
      firing = true;
      const start = Date.now();
      const base = count;
      return new Promise((resolve) => {
        const timer = setInterval(() => {
          const elapsed = Math.min(Date.now() - start, SECONDS * 1000);
          write(response, base + Math.floor((elapsed * RATE) / 1000) - count);
          if (elapsed < SECONDS * 1000) return;
          clearInterval(timer);
          response.end('event: done\ndata: done\n\n');
          stream = null;
          firing = false;
          resolve();
        }, 10);
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Chromium keeps its connections alive; close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}

interface MainThreadFigures {
  readonly longTasks: number;
  readonly longestLongTaskMs: number;
  readonly longestProbeDelayMs: number;
  readonly longestFrameGapMs: number;
  /** Probe delays of 16 ms or more, a dropped frame's worth. */
  readonly delaysOver16: number;
  /** The most message rows in the DOM at a frame (the table is virtualized: a screenful or so). */
  readonly mostRows: number;
}

/** Runs in the panel: starts watching the main thread; `window.stopWatch()` returns the figures. */
function watchMainThread(): void {
  let longTasks = 0;
  let longestLongTaskMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      longTasks++;
      longestLongTaskMs = Math.max(longestLongTaskMs, entry.duration);
    }
  });
  observer.observe({ type: 'longtask', buffered: false });
  let running = true;
  // A timer due every 4 ms runs late by as long as the task in its way (timers are clamped to
  // 4 ms after nesting, so a shorter period would measure nothing more).
  const PERIOD = 4;
  let longestProbeDelayMs = 0;
  let delaysOver16 = 0;
  let due = performance.now() + PERIOD;
  const probe = () => {
    const now = performance.now();
    const late = now - due;
    if (late > longestProbeDelayMs) longestProbeDelayMs = late;
    if (late >= 16) delaysOver16++;
    due = now + PERIOD;
    if (running) setTimeout(probe, PERIOD);
  };
  setTimeout(probe, PERIOD);
  let longestFrameGapMs = 0;
  let mostRows = 0;
  let lastFrame = performance.now();
  const frame = (now: number) => {
    longestFrameGapMs = Math.max(longestFrameGapMs, now - lastFrame);
    mostRows = Math.max(mostRows, document.querySelectorAll('[data-testid="message-row"]').length);
    lastFrame = now;
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  (window as unknown as { stopWatch(): MainThreadFigures }).stopWatch = () => {
    running = false;
    // Long-task entries still queued are delivered by takeRecords.
    for (const entry of observer.takeRecords()) {
      longTasks++;
      longestLongTaskMs = Math.max(longestLongTaskMs, entry.duration);
    }
    observer.disconnect();
    return { longTasks, longestLongTaskMs, longestProbeDelayMs, longestFrameGapMs, delaysOver16, mostRows };
  };
}

/** Runs in the panel: the Messages tab's counts, "1234 messages, 40000 not kept". */
function messageCounts(): { kept: number; notKept: number } | null {
  const text = document.querySelector('[data-testid="message-count"]')?.textContent ?? '';
  const match = /^(\d+) messages?(?:, (\d+) not kept)?/.exec(text.trim());
  return match ? { kept: Number(match[1]), notKept: Number(match[2] ?? 0) } : null;
}

function endAt(events: readonly TraceEvent[]): number {
  const end = events.find((e) => e.name === 'sse-firehose-end');
  if (!end) throw new Error('no sse-firehose-end in the trace');
  return end.ts;
}

async function heapMb(session: CDPSession): Promise<number> {
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  return usedSize / 1024 / 1024;
}

interface Run {
  readonly main: MainThreadFigures;
  readonly heapBefore: number;
  readonly heapAfter: number;
  readonly heapAfterGc: number;
  readonly sent: number;
  readonly received: number;
  readonly kept: number;
  readonly notKept: number;
  /** While the events arrive. */
  readonly panelTasks: TaskFigures;
  /**
   * After the server ended the stream: Chromium hands a DevTools page that listens to
   * onRequestFinished the finished request's HAR entry, with every EventSource message DevTools
   * recorded (50,000 here), in one task of the thread the panel shares; ours does not listen while
   * the panel is shown (lib/capture/devtools-network.ts), so this measures whether that holds.
   */
  readonly panelTasksAtEnd: TaskFigures;
  readonly workerTasks: TaskFigures;
}

async function profiled(target: Target): Promise<CDPSession> {
  const session = await target.createCDPSession();
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 1000 });
  await session.send('Profiler.start');
  return session;
}

async function oneRun(chromium: ChromiumDriver, firehose: Firehose, run: number): Promise<Run> {
  step(`run ${run}: opening the panel`);
  const { page, panel } = await openPanel(chromium, `${firehose.url}/?run=${run}`);
  try {
    // tsx keeps function names through an `__name` helper that the page and the panel do not have.
    await page.evaluate('globalThis.__name = (f) => f; window.sources = []; window.received = 0');
    await panel.evaluate('globalThis.__name = (f) => f');
    const streamUrl = `${firehose.url}/firehose`;
    await page.evaluate(`${openClient(streamUrl, 'eventsource')}; window.sources[0].addEventListener('tick', () => window.received++); window.sources[0].addEventListener('done', () => window.sources[0].close())`);
    await openMessages(panel, streamUrl);
    step('Messages tab open; attaching to the panel and the worker');

    // The newest panel: the DevTools windows of earlier runs' tabs may not be gone yet.
    const panelTarget = await until(async () => chromium.browser.targets().filter((t) => t.url().startsWith(`${chromium.extensionOrigin}/devtools-panel.html`)).at(-1), 'the panel target');
    const panelSession = await (PROFILE_PANEL ? profiled(panelTarget) : panelTarget.createCDPSession());
    const workerTarget = await until(async () => chromium.browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith(chromium.extensionOrigin)), 'the service worker');
    const workerSession = await (PROFILE_PANEL ? profiled(workerTarget) : workerTarget.createCDPSession());

    await panelSession.send('HeapProfiler.collectGarbage');
    const heapBefore = await heapMb(panelSession);
    const endTrace = await startTrace(chromium.browser, PROFILE_PANEL);
    // Marks name the panel's and the worker's threads in the trace.
    await panel.evaluate(() => performance.mark('sse-firehose-panel'));
    await workerSession.send('Runtime.evaluate', { expression: `performance.mark('sse-firehose-worker')` });
    await panel.evaluate(watchMainThread);
    step('firehose');
    await firehose.go();
    await panel.evaluate(() => performance.mark('sse-firehose-end'));
    step('waiting for the panel to count every event');
    // The `done` event that ends the stream is an event of the stream too.
    const sent = firehose.sent() + 1;
    // The panel is done when every event is shown or counted; what never arrives is reported.
    const counts = await until(
      async () => {
        const c = await panel.evaluate(messageCounts);
        return c && c.kept + c.notKept >= sent ? c : null;
      },
      'the panel to count every event',
      15_000,
    ).catch(() => panel.evaluate(messageCounts));
    const main = (await panel.evaluate('window.stopWatch()')) as MainThreadFigures;
    const trace = await endTrace();
    const heapAfter = await heapMb(panelSession);
    await panelSession.send('HeapProfiler.collectGarbage');
    const heapAfterGc = await heapMb(panelSession);
    if (PROFILE_PANEL) {
      const { profile: workerProfile } = await workerSession.send('Profiler.stop');
      const { profile } = await panelSession.send('Profiler.stop');
      writeFileSync(`.tmp/panel-firehose-${run}.cpuprofile`, JSON.stringify(profile));
      writeFileSync(`.tmp/worker-firehose-${run}.cpuprofile`, JSON.stringify(workerProfile));
      // The trace can exceed what one JSON string may hold: written in pieces.
      writeFileSync(`.tmp/firehose-trace-${run}.json`, `{"traceEvents":[${trace.map((e) => JSON.stringify(e)).join(",\n")}]}`);
    }
    step('done');
    await panelSession.detach();
    await workerSession.detach();
    const received = (await page.evaluate('window.received')) as number;
    return { main, heapBefore, heapAfter, heapAfterGc, sent, received, kept: counts?.kept ?? 0, notKept: counts?.notKept ?? 0, panelTasks: tasksOf(trace, 'sse-firehose-panel', -Infinity, endAt(trace)), panelTasksAtEnd: tasksOf(trace, 'sse-firehose-panel', endAt(trace)), workerTasks: tasksOf(trace, 'sse-firehose-worker') };
  } finally {
    await page.close();
  }
}

async function openMessages(panel: Frame, streamUrl: string): Promise<void> {
  // Found and clicked in one step: the panel may redraw the row between two puppeteer calls.
  const click = (selector: string) => panel.evaluate((s: string) => (document.querySelector<HTMLElement>(s)?.click() === undefined && document.querySelector(s) ? true : null), selector);
  await until(() => click(`[data-testid="stream-row"][data-url="${streamUrl}"]`), 'the firehose row');
  await until(() => click('#tab-messages'), 'the Messages tab');
  await until(() => panel.$('[data-testid="message-table"]'), 'the message table');
  // Scrolled to the bottom, the table follows new messages (as a user leaves it to watch the tail).
  await panel.evaluate(() => {
    const table = document.querySelector('[data-testid="message-table"]') as HTMLElement;
    table.scrollTop = table.scrollHeight;
  });
}

function range(values: readonly number[], digits = 0): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as number;
  return `min ${(sorted[0] as number).toFixed(digits)}, median ${median.toFixed(digits)}, max ${(sorted.at(-1) as number).toFixed(digits)}`;
}

async function main(): Promise<void> {
  const chromium = await launchChromiumDriver({ devtools: true });
  try {
    const runs: Run[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const firehose = await startFirehose();
      try {
        const r = await oneRun(chromium, firehose, run);
        runs.push(r);
        console.log(
          `run ${run}: panel tasks (trace) longest ${r.panelTasks.longestMs.toFixed(0)} ms (CPU ${r.panelTasks.longestCpuMs.toFixed(0)} ms), ${r.panelTasks.over50} of 50 ms or more; ` +
            `after the stream ended ${r.panelTasksAtEnd.longestMs.toFixed(0)} ms (CPU ${r.panelTasksAtEnd.longestCpuMs.toFixed(0)} ms); ` +
            `worker tasks longest ${r.workerTasks.longestMs.toFixed(0)} ms (CPU ${r.workerTasks.longestCpuMs.toFixed(0)} ms); long tasks ${r.main.longTasks} (longest ${r.main.longestLongTaskMs.toFixed(0)} ms), longest probe delay ${r.main.longestProbeDelayMs.toFixed(0)} ms ` +
            `(${r.main.delaysOver16} of 16 ms or more), longest frame gap ${r.main.longestFrameGapMs.toFixed(0)} ms, most message rows ${r.main.mostRows}; heap ${r.heapBefore.toFixed(1)} -> ${r.heapAfter.toFixed(1)} MB (${r.heapAfterGc.toFixed(1)} after GC); ` +
            `sent ${r.sent}, page got ${r.received}, panel kept ${r.kept} + not kept ${r.notKept} (unaccounted ${r.sent - r.kept - r.notKept})`,
        );
      } finally {
        await firehose.close();
      }
    }
    console.log(`firehose ${RATE} events/s for ${SECONDS} s through the extension, ${RUNS} runs:`);
    console.log(`  panel longest task (trace): ${range(runs.map((r) => r.panelTasks.longestMs))} ms wall, ${range(runs.map((r) => r.panelTasks.longestCpuMs))} ms CPU; tasks of 50 ms or more per run: ${runs.map((r) => r.panelTasks.over50).join(' ')}`);
    console.log(`  panel main thread CPU while the events arrive: ${range(runs.map((r) => r.panelTasks.totalCpuMs))} ms`);
    console.log(`  panel longest task after the stream ended (trace): ${range(runs.map((r) => r.panelTasksAtEnd.longestMs))} ms wall, ${range(runs.map((r) => r.panelTasksAtEnd.longestCpuMs))} ms CPU`);
    console.log(`  panel longest timer delay (probe): ${range(runs.map((r) => r.main.longestProbeDelayMs))} ms; 'longtask' entries per run: ${runs.map((r) => r.main.longTasks).join(' ')}`);
    console.log(`  panel longest frame gap: ${range(runs.map((r) => r.main.longestFrameGapMs))} ms`);
    console.log(`  panel JS heap after: ${range(runs.map((r) => r.heapAfter), 1)} MB; after GC ${range(runs.map((r) => r.heapAfterGc), 1)} MB (before ${range(runs.map((r) => r.heapBefore), 1)} MB)`);
    console.log(`  unaccounted events (sent - kept - not kept): ${runs.map((r) => r.sent - r.kept - r.notKept).join(' ')}`);
    console.log(`  service worker longest task (trace): ${range(runs.map((r) => r.workerTasks.longestMs))} ms wall, ${range(runs.map((r) => r.workerTasks.longestCpuMs))} ms CPU`);
  } finally {
    await chromium.close();
  }
}

await main();
