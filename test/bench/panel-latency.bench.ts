import { startPlayground } from '../../playground/server';
import { TRACE_PARAM } from '../../playground/sse';
import { launchChromiumDriver, until, type ChromiumDriver } from '../capture/harness';
import { openPanel } from '../extension/panel-harness';

/**
 * How long a blocked stream takes to show its finding in the open panel, in real headless
 * Chromium: the built extension, its panel open in DevTools, a playground page that opens a
 * credentialed EventSource the server answers with `Access-Control-Allow-Origin: *`. Measured from
 * the page's `new EventSource` to the moment the panel's DOM holds that stream's row, selected,
 * with its `acao-wildcard-with-credentials` finding (a MutationObserver in the panel notes the
 * time), both on the one clock every process of the browser shares (performance.timeOrigin +
 * performance.now()). Also from the page's `error` event, when the page itself learns of the
 * block: Chromium sometimes fires it seconds late (without the extension too: the blocked streams
 * of earlier runs still hold the host's six connections), and the panel can only follow.
 * Each run has a tab, DevTools and panel of its own, closed after it: in one tab, a navigation
 * between runs can leave the previous stream in the panel, as its devtools.network entry may
 * arrive after the navigation cleared the log. Prints figures; asserts nothing. Usage: npx wxt build && npx tsx test/bench/panel-latency.bench.ts [runs]
 */
const RUNS = Number(process.argv[2] ?? 15);
const RULE_ID = 'acao-wildcard-with-credentials';

/** Runs in the panel: resolves with the time the stream's finding is first in the DOM. */
function whenFindingShows(url: string, ruleId: string): Promise<number> {
  const shown = () =>
    document.querySelector(`[data-testid="stream-row"][aria-selected="true"][data-url="${CSS.escape(url)}"]`) !== null &&
    document.querySelector(`[data-testid="finding"][data-rule-id="${CSS.escape(ruleId)}"]`) !== null;
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!shown()) return;
      observer.disconnect();
      resolve(performance.timeOrigin + performance.now());
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
  });
}

/** Runs in the page: opens the stream, says when, and keeps when its `error` event fires. */
function openBlockedStream(url: string): number {
  const page = window as unknown as { sources: EventSource[]; erroredAt: Promise<number> };
  const opened = performance.timeOrigin + performance.now();
  const source = new EventSource(url, { withCredentials: true });
  page.erroredAt = new Promise((resolve) => source.addEventListener('error', () => resolve(performance.timeOrigin + performance.now()), { once: true }));
  page.sources.push(source);
  return opened;
}

interface Run {
  /** From `new EventSource` to the finding in the panel. */
  readonly fromOpen: number;
  /** From the page's `error` event to the finding in the panel. */
  readonly fromError: number;
}

async function oneRun(chromium: ChromiumDriver, pageUrl: string, streamUrl: string): Promise<Run> {
  const { page, panel } = await openPanel(chromium, pageUrl);
  try {
    // tsx keeps function names through an `__name` helper that the page and the panel do not have.
    await page.evaluate('globalThis.__name = (f) => f; window.sources = []');
    await panel.evaluate('globalThis.__name = (f) => f');
    await until(() => panel.$('[data-testid="empty-nothing"]'), 'the empty panel');
    const finding = panel.evaluate(whenFindingShows, streamUrl, RULE_ID);
    // The observer is in place once evaluate has run it; only then does the page open the stream.
    await panel.evaluate('0');
    const opened = await page.evaluate(openBlockedStream, streamUrl);
    const shown = await finding;
    const errored = (await page.evaluate('window.erroredAt')) as number;
    return { fromOpen: shown - opened, fromError: shown - errored };
  } finally {
    await page.close();
  }
}

function summary(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? (sorted[Math.floor(middle)] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return `median ${median.toFixed(0)} ms, range ${(sorted[0] as number).toFixed(0)}-${(sorted.at(-1) as number).toFixed(0)} ms`;
}

async function main(): Promise<void> {
  const playground = await startPlayground();
  const chromium = await launchChromiumDriver({ devtools: true });
  try {
    const endpoint = playground.endpoints.find((e) => e.id === 'acao-wildcard');
    if (!endpoint) throw new Error('no acao-wildcard endpoint in the playground');
    const runs: Run[] = [];
    // One run first that is not counted: a cold start (the first panel, the first connections).
    for (let run = 0; run <= RUNS; run++) {
      const streamUrl = new URL(playground.urlFor(endpoint.id, endpoint.startOn));
      streamUrl.searchParams.set(TRACE_PARAM, `latency-${run}`);
      const measured = await oneRun(chromium, `${playground.pageOrigin}/?latency=${run}`, streamUrl.href);
      if (run > 0) runs.push(measured);
    }
    console.log(`new EventSource to its finding in the open panel, ${RUNS} runs: ${summary(runs.map((r) => r.fromOpen))}`);
    console.log(`the page's error event to the finding in the open panel: ${summary(runs.map((r) => r.fromError))}`);
    console.log(`each run, from new EventSource / from the error event (ms): ${runs.map((r) => `${r.fromOpen.toFixed(0)}/${r.fromError.toFixed(0)}`).join(' ')}`);
  } finally {
    await chromium.close();
    await playground.close();
  }
}

await main();
