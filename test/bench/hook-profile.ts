import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Protocol } from 'puppeteer-core';
import { launchChromium } from '../browser-truth/browsers';
import { serveEventStream } from './event-stream-server';

/**
 * Where the page hook's time goes: the hook bench's page (20,000 events, by EventSource, fetch and
 * XMLHttpRequest) under the DevTools protocol's sampling profiler, with the built extension; prints
 * the self time of the extension's functions (hook and relay), by position in the minified file
 * with a snippet of the code there, and the page's total. Usage: npm run build && npx tsx test/bench/hook-profile.ts [eventsource|fetch|xhr] [rounds] [plain]
 */
const EXTENSION = join(import.meta.dirname, '../../.output/chrome-mv3');
const kind = process.argv[2] ?? 'eventsource';
const rounds = Number(process.argv[3] ?? 5);
// `plain`: the same page in an incognito context, where the extension does not run (the baseline).
const plain = process.argv[4] === 'plain';
const EVENTS = 20_000;
const { server, origin } = await serveEventStream(EVENTS);
const sources = { hook: readFileSync(join(EXTENSION, 'content-scripts/sse-hook.js'), 'utf8'), relay: readFileSync(join(EXTENSION, 'content-scripts/sse-relay.js'), 'utf8') };
const browser = await launchChromium({ ignoreDefaultArgs: ['--disable-extensions'], args: [`--load-extension=${EXTENSION}`, `--disable-extensions-except=${EXTENSION}`] });
try {
  const page = plain ? await (await browser.browser.createBrowserContext()).newPage() : await browser.browser.newPage();
  const session = await page.createCDPSession();
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 100 });
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < rounds; i++) {
    await page.goto(`${origin}/`);
    await page.evaluate('globalThis.__name ??= (f) => f');
    await session.send('Profiler.start');
    await page.evaluate(`new Promise((resolve, reject) => {
      const kind = ${JSON.stringify(kind)};
      if (kind === 'eventsource') { const s = new EventSource('/sse'); let n = 0; s.onmessage = (e) => { e.data.length; if (++n === ${EVENTS}) { s.close(); resolve(); } }; s.onerror = reject; }
      else if (kind === 'xhr') { const x = new XMLHttpRequest(); x.onprogress = () => x.responseText.length; x.onload = resolve; x.onerror = reject; x.open('GET', '/sse'); x.send(); }
      else fetch('/sse').then(async (r) => { const reader = r.body.getReader(); const d = new TextDecoder(); for (;;) { const c = await reader.read(); if (c.done) return resolve(); d.decode(c.value, { stream: true }); } }, reject);
    }).then(() => new Promise((resolve) => setTimeout(resolve, 600)))`);
    const { profile } = (await session.send('Profiler.stop')) as { profile: Protocol.Profiler.Profile };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const deltas = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((id, index) => {
      const node = byId.get(id);
      if (!node) return;
      const us = deltas[index + 1] ?? 0;
      const { url, lineNumber, columnNumber, functionName } = node.callFrame;
      if (functionName === '(idle)') return;
      total += us;
      const which = url.includes('sse-hook.js') ? 'hook' : url.includes('sse-relay.js') ? 'relay' : url === '' ? functionName : 'page';
      const key = which === 'hook' || which === 'relay' ? `${which}@${lineNumber}:${columnNumber}` : which;
      self.set(key, (self.get(key) ?? 0) + us);
    });
  }
  const perEvent = (us: number) => (us / rounds / EVENTS).toFixed(3);
  console.log(`${kind}: ${rounds} rounds, busy ${perEvent(total)} µs per event (main thread, sampled)`);
  const entries = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30);
  for (const [key, us] of entries) {
    const [which, position] = key.split('@');
    const [line, column] = (position ?? '').split(':').map(Number);
    const snippet = position !== undefined ? (sources[which as 'hook' | 'relay'].split('\n')[line as number] ?? '').slice(column, (column as number) + 70) : '';
    console.log(`${perEvent(us).padStart(7)} µs  ${key.padEnd(14)} ${snippet}`);
  }
  let hook = 0;
  let relay = 0;
  for (const [key, us] of self) {
    if (key.startsWith('hook@')) hook += us;
    if (key.startsWith('relay@')) relay += us;
  }
  console.log(`hook functions ${perEvent(hook)} µs, relay functions ${perEvent(relay)} µs per event (self time only; natives they call are in the rows without @)`);
} finally {
  await browser.close();
  server.close();
}
