import { launchChromium } from '../browser-truth/browsers';
import { serveEventStream } from './event-stream-server';
import { median } from './stats';

/**
 * What each part of capturing an EventSource event costs the page, without the extension: the hook
 * bench's stream (20,000 events from a loopback server, each with an `id:`) consumed by a page whose
 * `onmessage` reads each event's data, alone and with one capturing technique at a time, in the
 * same tab, interleaved rounds in alternating order. Prints each variant's main-thread CPU per
 * event (DevTools protocol `ThreadTime`, from the stream's start until 300 ms after its last event)
 * and the median of its paired differences with the plain page. Asserts nothing.
 * Usage: npx tsx test/bench/event-read-cost.ts [rounds]
 */
const EVENTS = 20_000;
const ROUNDS = Number(process.argv[2] ?? 16);

// Each variant's page script: `record(event)` runs for every event, `f` is the page's listener.
const VARIANTS = {
  plain: 'es.onmessage = f;',
  'a listener of its own': "es.addEventListener('message', (e) => { if (e !== last && e.isTrusted) { last = e; kept.push(e); } }); es.onmessage = f;",
  'a wrapper keeping the event': 'es.onmessage = function (e) { if (e !== last && e.isTrusted) { last = e; kept.push(e); } return Reflect.apply(f, this, arguments); };',
  'a wrapper reading type, data, time': 'es.onmessage = function (e) { if (e !== last && e.isTrusted) { last = e; const d = e.data; kept.push(e.type, d, d.length, e.timeStamp); } return Reflect.apply(f, this, arguments); };',
  'a wrapper reading all five slots': 'es.onmessage = function (e) { if (e !== last && e.isTrusted) { last = e; const d = e.data; kept.push(e.type, d, e.lastEventId, d.length, e.timeStamp); } return Reflect.apply(f, this, arguments); };',
  'a wrapper keeping events, read at the end': 'es.onmessage = function (e) { if (e !== last && e.isTrusted) { last = e; kept.push(e); } return Reflect.apply(f, this, arguments); }; readLater = true;',
} as const;
type Variant = keyof typeof VARIANTS;

const { server, origin } = await serveEventStream(EVENTS);
const browser = await launchChromium();
try {
  const page = await browser.browser.newPage();
  const session = await page.createCDPSession();
  await session.send('Performance.enable');
  const threadTime = async () => (await session.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? Number.NaN;
  const names = Object.keys(VARIANTS) as Variant[];
  const cpu = new Map<Variant, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      await page.goto(`${origin}/`);
      const before = await threadTime();
      await page.evaluate(`new Promise((resolve) => {
        const es = new EventSource('/sse');
        let seen = 0, chars = 0, last, readLater = false;
        const kept = [];
        const f = (e) => {
          chars += e.data.length;
          if (++seen < ${EVENTS}) return;
          es.close();
          if (readLater) for (const e of kept.splice(0)) { const d = e.data; kept.push(e.type, d, e.lastEventId, d.length, e.timeStamp); }
          resolve(chars);
        };
        ${VARIANTS[name]}
      }).then(() => new Promise((resolve) => setTimeout(resolve, 300)))`);
      cpu.get(name)?.push((((await threadTime()) - before) * 1e6) / EVENTS);
    }
  }
  const plain = cpu.get('plain') ?? [];
  console.log(`EventSource event read cost: ${EVENTS.toLocaleString('en-US')} events, ${ROUNDS} rounds per variant, main-thread CPU per event`);
  for (const name of names) {
    const values = cpu.get(name) ?? [];
    const paired = values.map((value, i) => value - (plain[i] as number));
    console.log(`  ${name.padEnd(42)} ${median(values).toFixed(2)} µs; paired difference with plain ${median(paired) >= 0 ? '+' : ''}${median(paired).toFixed(2)} µs`);
  }
} finally {
  await browser.close();
  server.close();
}
