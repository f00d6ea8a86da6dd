import type { ObservedOutcome } from '../../lib/capture/captured';
import type { CaptureObservation } from '../../lib/capture/protocol';
import type { Playground } from '../../playground/server';
import { TRACE_PARAM } from '../../playground/sse';
import type { PageObservation, PageScenario } from '../browser-truth/observe';
import { until, type CaptureDriver } from './harness';

/**
 * The capture suite's cases: playground endpoints opened by a real page (the truth suite's
 * `observeInPage`), then the tab's capture read back from the extension. Each case runs in its own
 * tab whose URL carries the case token, so the capture-log page finds it.
 */
export interface CaptureCase {
  readonly name: string;
  readonly endpoint: string;
  readonly scenario: PageScenario;
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
  { name: 'fetch-blocked-at-preflight', endpoint: 'preflight-no-options-route', scenario: 'fetch-header', windowMs: 4000, expected: { ...open, observed: 'blocked', corsError: 'PreflightMissingAllowOriginHeader', preflight: true } },
  { name: 'eventsource-failed-mime', endpoint: 'mime-text-plain', scenario: 'eventsource', windowMs: 4000, expected: { ...open, observed: 'failed' } },
  { name: 'eventsource-reconnect-loop', endpoint: 'reconnect-loop', scenario: 'eventsource', windowMs: 12_000, expected: { ...open, attempts: 3 } },
  // XMLHttpRequest streams (Accept: text/event-stream set): fetch-style streams to the engine.
  { name: 'xhr-same-origin', endpoint: 'control-same-origin', scenario: 'xhr', windowMs: 2500, expected: open },
  { name: 'xhr-blocked-acao-missing', endpoint: 'acao-missing', scenario: 'xhr', windowMs: 4000, expected: { ...open, observed: 'blocked', corsError: 'MissingAllowOriginHeader' } },
  { name: 'eventsource-redirect-null-origin', endpoint: 'redirect-api-to-api2-null', scenario: 'eventsource', windowMs: 4000, expected: { ...open, redirects: 1 } },
];

export interface CaseRun {
  readonly observation: PageObservation;
  readonly capture: CaptureObservation[];
  /** The URL the page opened (carries the case token). */
  readonly url: string;
}

/** Whether every captured request of the case has ended, and (with the hook) every stream too. */
function settled(capture: readonly CaptureObservation[], expectHook: boolean): boolean {
  const started = new Set<string>();
  const ended = new Set<string>();
  const requests = new Set<string>();
  let hookStreams = 0;
  let hookEnded = 0;
  let opens = 0;
  for (const o of capture) {
    if (o.source === 'web-request') {
      if (o.observation.phase === 'start') started.add(o.observation.requestId);
      if (o.observation.phase === 'start' && o.observation.method !== 'OPTIONS') requests.add(o.observation.requestId);
      if (o.observation.phase === 'completed' || o.observation.phase === 'error') ended.add(o.observation.requestId);
    }
    if (o.source === 'page-hook') {
      const m = o.message;
      if (m.type === 'stream-created') hookStreams++;
      if (m.type === 'open') opens++;
      if (m.type === 'closed-by-page' || m.type === 'body-end' || m.type === 'fetch-failed' || (m.type === 'ready-state' && m.state === 2)) hookEnded++;
    }
  }
  if (started.size === 0 || [...started].some((id) => !ended.has(id))) return false;
  // Hook and webRequest reach the background on different paths: every open the page saw must
  // have its request in the log too.
  if (requests.size < opens) return false;
  return !expectHook || (hookStreams > 0 && hookEnded >= hookStreams);
}

function describeObservation(o: CaptureObservation): string {
  const what = o.source === 'web-request' ? `${o.observation.phase}:${o.observation.requestId}` : o.source === 'page-hook' ? `hook:${o.message.type}` : o.source;
  return `${o.seq}:${what}`;
}

export async function runCase(driver: CaptureDriver, playground: Playground, c: CaptureCase, token: string): Promise<CaseRun> {
  const endpoint = playground.endpoints.find((e) => e.id === c.endpoint);
  if (!endpoint) throw new Error(`no playground endpoint ${c.endpoint}`);
  const url = new URL(playground.urlFor(endpoint.id, endpoint.startOn));
  url.searchParams.set(TRACE_PARAM, token);
  const { observation, tab } = await driver.observe(`${playground.pageOrigin}/?capture=${token}`, url.href, c.scenario, c.windowMs);
  try {
    // The hook reports every EventSource, and a fetch once it got a response (observeInPage's fetch
    // does not send Accept: text/event-stream, which is what makes a refused fetch reportable; its
    // XHR does).
    const expectHook = c.scenario.startsWith('eventsource') || c.scenario === 'xhr' || observation.fetchStatus !== null;
    let last: CaptureObservation[] = [];
    const capture = await until(async () => {
      last = await driver.readCapture(`capture=${token}`);
      return settled(last, expectHook) ? last : null;
    }, `the capture of ${c.name} to settle`).catch((error: unknown) => {
      // Say what the log held when it gave up: sequence numbers show a clear (one number skipped).
      throw new Error(`${String(error)}; page saw ${JSON.stringify(observation)}; log: ${last.map(describeObservation).join(' ')}`);
    });
    return { observation, capture, url: url.href };
  } finally {
    await tab.close();
  }
}
