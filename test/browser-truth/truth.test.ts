import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verdicts, type Verdicts } from '@/lib/cors/verdict';
import { captureStream } from '@/cli/client/capture';
import { startPlayground, type Playground } from '@/playground/server';
import { TRACE_PARAM } from '@/playground/sse';
import { launchChromium, launchFirefox } from './browsers';
import { compareChromium, compareFirefox, type Disagreement } from './compare';
import { ChromiumDriver, FirefoxDriver, type BrowserObservation, type TruthCase } from './drivers';
import type { Scenario } from './observe';
import { clientOf } from './scenarios';

/**
 * Browser truth (issue 4 §3): every playground endpoint, in every client scenario it lists, runs in
 * real headless Chromium and Firefox; the CLI's browser emulation captures the same URL and the
 * engine predicts both browsers. Any disagreement is an engine bug, reported per case.
 */
const WINDOW_MS = 2500;
const TABS = 4;
const PREDICTION_CONCURRENCY = 12;

interface Case extends TruthCase {
  readonly endpoint: string;
}

let playground: Playground;
let cases: Case[] = [];
const predictions = new Map<string, Verdicts>();
let chromium = new Map<string, BrowserObservation>();
let firefox = new Map<string, BrowserObservation>();

async function predictAll(list: readonly Case[]): Promise<void> {
  const queue = [...list];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const { client, credentials, headers } = clientOf(c.scenario);
      const { record } = await captureStream({
        url: c.url,
        pageOrigin: playground.pageOrigin,
        client,
        credentials,
        method: 'GET',
        headers,
        durationMs: c.windowMs,
        probeSecurity: false,
        userAgent: 'sse-inspector-truth',
      });
      predictions.set(c.token, verdicts(record));
    }
  };
  await Promise.all(Array.from({ length: PREDICTION_CONCURRENCY }, worker));
}

beforeAll(async () => {
  playground = await startPlayground();
  // TRUTH_ONLY=<regex of endpoint ids> narrows a local run while working on the engine.
  const only = process.env.TRUTH_ONLY ? new RegExp(process.env.TRUTH_ONLY) : null;
  cases = playground.endpoints.filter((endpoint) => !only || only.test(endpoint.id)).flatMap((endpoint) =>
    endpoint.scenarios.map((scenario, i) => {
      const token = `${endpoint.id}-${i}`;
      const url = new URL(playground.urlFor(endpoint.id, endpoint.startOn));
      url.searchParams.set(TRACE_PARAM, token);
      return { endpoint: endpoint.id, token, url: url.href, scenario: scenario as Scenario, windowMs: WINDOW_MS };
    }),
  );
  const pageUrl = `${playground.pageOrigin}/`;
  const predicted = predictAll(cases);
  const chromiumBrowser = await launchChromium();
  try {
    chromium = await new ChromiumDriver(chromiumBrowser.browser, pageUrl).run(cases, TABS);
  } finally {
    await chromiumBrowser.close();
  }
  const firefoxBrowser = await launchFirefox();
  try {
    firefox = await new FirefoxDriver(firefoxBrowser.browser, pageUrl).run(cases, TABS);
  } finally {
    await firefoxBrowser.close();
  }
  await predicted;
}, 20 * 60_000);

afterAll(async () => {
  await playground?.close();
  const agree = (browser: 'chromium' | 'firefox') =>
    cases.filter((c) => disagreements(c, browser).length === 0).length;
  if (cases.length > 0) {
    const total = cases.length;
    const c = agree('chromium');
    const f = agree('firefox');
    console.log(
      `browser truth: ${total} endpoint x client cases; Chromium agrees ${c}/${total}, Firefox agrees ${f}/${total}; overall ${(((c + f) / (2 * total)) * 100).toFixed(1)}%`,
    );
  }
});

function disagreements(c: Case, browser: 'chromium' | 'firefox'): Disagreement[] {
  const predicted = predictions.get(c.token);
  const observed = (browser === 'chromium' ? chromium : firefox).get(c.token);
  if (!predicted || !observed) return [{ field: 'run', predicted: Boolean(predicted), observed: Boolean(observed) }];
  return browser === 'chromium' ? compareChromium(predicted.chromium, observed) : compareFirefox(predicted.firefox, observed);
}

describe('browser truth', () => {
  it.runIf(!process.env.TRUTH_ONLY)('runs at least 90 endpoint x client cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
  });

  describe.each(['chromium', 'firefox'] as const)('%s', (browser) => {
    // One test per case, named after it, so a disagreement says exactly where the engine is wrong.
    it('agrees with the engine on every case', () => {
      const failures = cases.flatMap((c) => {
        const found = disagreements(c, browser);
        return found.length === 0 ? [] : [`${c.endpoint} [${c.scenario}]: ${found.map((d) => `${d.field} predicted ${JSON.stringify(d.predicted)} observed ${JSON.stringify(d.observed)}`).join('; ')}`];
      });
      expect(failures).toEqual([]);
    });
  });
});
