import type { Page } from 'puppeteer-core';
import type { ObservedOutcome } from '../../lib/capture/captured';
import type { CaptureObservation } from '../../lib/capture/protocol';
import type { Playground } from '../../playground/server';
import { TRACE_PARAM } from '../../playground/sse';
import { observeInPage, type PageObservation, type Scenario } from '../browser-truth/observe';
import { readCapture, until, type ExtensionBrowser } from './harness';

/**
 * The capture suite's cases: playground endpoints opened by a real page (the truth suite's
 * `observeInPage`), then the tab's capture read back from the extension. Each case runs in its own
 * tab whose URL carries the case token, so the capture-log page finds it.
 */
export interface CaptureCase {
  readonly name: string;
  readonly endpoint: string;
  readonly scenario: Scenario;
  readonly windowMs: number;
  /**
   * What the capture must show once the page is done (observeInPage closes or aborts its client at
   * the end, so working streams end `closed`). `corsError`: Chromium's, as the truth suite measured.
   */
  readonly expected: {
    readonly observed: ObservedOutcome;
    readonly corsError: string | null;
    readonly attempts: number;
    readonly preflight: boolean;
    readonly redirects: number;
  };
}

const open = { observed: 'closed', corsError: null, attempts: 1, preflight: false, redirects: 0 } as const;

export const CAPTURE_CASES: readonly CaptureCase[] = [
  { name: 'eventsource-open', endpoint: 'control-wildcard', scenario: 'eventsource', windowMs: 2500, expected: open },
  { name: 'eventsource-same-origin', endpoint: 'control-same-origin', scenario: 'eventsource', windowMs: 2500, expected: open },
  { name: 'fetch-open', endpoint: 'control-wildcard', scenario: 'fetch', windowMs: 2500, expected: open },
  { name: 'fetch-preflighted-open', endpoint: 'control-preflight-api-key', scenario: 'fetch-header', windowMs: 2500, expected: { ...open, preflight: true } },
  { name: 'eventsource-blocked-acao-missing', endpoint: 'acao-missing', scenario: 'eventsource', windowMs: 4000, expected: { ...open, observed: 'blocked', corsError: 'MissingAllowOriginHeader' } },
  { name: 'eventsource-blocked-wildcard-credentials', endpoint: 'acao-wildcard', scenario: 'eventsource-credentials', windowMs: 4000, expected: { ...open, observed: 'blocked', corsError: 'WildcardOriginNotAllowed' } },
  { name: 'fetch-blocked-acao-missing', endpoint: 'acao-missing', scenario: 'fetch', windowMs: 4000, expected: { ...open, observed: 'blocked', corsError: 'MissingAllowOriginHeader' } },
  { name: 'fetch-blocked-at-preflight', endpoint: 'preflight-no-options-route', scenario: 'fetch-header', windowMs: 4000, expected: { ...open, observed: 'blocked', corsError: 'PreflightInvalidStatus', preflight: true } },
  { name: 'eventsource-failed-mime', endpoint: 'mime-text-plain', scenario: 'eventsource', windowMs: 4000, expected: { ...open, observed: 'failed' } },
  { name: 'eventsource-reconnect-loop', endpoint: 'reconnect-loop', scenario: 'eventsource', windowMs: 12_000, expected: { ...open, attempts: 3 } },
  { name: 'eventsource-redirect-null-origin', endpoint: 'redirect-api-to-api2-null', scenario: 'eventsource', windowMs: 4000, expected: { ...open, redirects: 1 } },
];

export interface CaseRun {
  readonly observation: PageObservation;
  readonly capture: CaptureObservation[];
  /** The URL the page opened (carries the case token). */
  readonly url: string;
}

/** Whether every captured request of the case has ended, and (with the hook) every stream too. */
function settled(capture: readonly CaptureObservation[], expectHook: boolean, expectDevtools: boolean): boolean {
  const started = new Set<string>();
  const ended = new Set<string>();
  let hookStreams = 0;
  let hookEnded = 0;
  for (const o of capture) {
    if (o.source === 'web-request') {
      if (o.observation.phase === 'start') started.add(o.observation.requestId);
      if (o.observation.phase === 'completed' || o.observation.phase === 'error') ended.add(o.observation.requestId);
    }
    if (o.source === 'page-hook') {
      const m = o.message;
      if (m.type === 'stream-created') hookStreams++;
      if (m.type === 'closed-by-page' || m.type === 'body-end' || (m.type === 'ready-state' && m.state === 2)) hookEnded++;
    }
  }
  if (started.size === 0 || [...started].some((id) => !ended.has(id))) return false;
  if (expectDevtools && !capture.some((o) => o.source === 'devtools-network')) return false;
  return !expectHook || (hookStreams > 0 && hookEnded >= hookStreams);
}

export async function runCase(browser: ExtensionBrowser, playground: Playground, c: CaptureCase, token: string, options: { devtools?: boolean } = {}): Promise<CaseRun> {
  const endpoint = playground.endpoints.find((e) => e.id === c.endpoint);
  if (!endpoint) throw new Error(`no playground endpoint ${c.endpoint}`);
  const url = new URL(playground.urlFor(endpoint.id, endpoint.startOn));
  url.searchParams.set(TRACE_PARAM, token);
  const page: Page = await browser.browser.newPage();
  const logPage: Page = await browser.browser.newPage();
  try {
    await page.goto(`${playground.pageOrigin}/?capture=${token}`);
    // Under tsx (the fixture recorder) serialized functions call esbuild's `__name` helper.
    await page.evaluate('globalThis.__name ??= (f) => f');
    const observation = await page.evaluate(observeInPage, url.href, c.scenario, c.windowMs);
    // The hook runs in Chromium; it reports fetch streams once a response arrived.
    const expectHook = browser.name === 'chromium' && (c.scenario.startsWith('eventsource') || observation.fetchStatus !== null);
    const capture = await until(async () => {
      const log = await readCapture(logPage, browser.extensionOrigin, `capture=${token}`);
      return settled(log, expectHook, options.devtools ?? false) ? log : null;
    }, `the capture of ${c.name} to settle`);
    return { observation, capture, url: url.href };
  } finally {
    await logPage.close();
    await page.close();
  }
}
