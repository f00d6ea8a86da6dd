import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../playground/server';
import { TRACE_PARAM } from '../../playground/sse';
import { launchChromiumDriver, until, type ChromiumDriver } from '../capture/harness';
import { openClient, openPanel, type PageClient } from './panel-harness';

/**
 * End to end in real Chromium: the built extension, its panel open in DevTools, and playground
 * streams opened by the inspected page. The panel must list each stream with the outcome the page
 * is living through and Chromium's CORS error, read through the panel's DOM contract.
 */
interface PanelCase {
  readonly endpoint: string;
  readonly client: PageClient;
  /** Outcomes the row may show (a reconnect loop is open or reconnecting depending on the moment). */
  readonly outcomes: readonly string[];
  readonly corsError: string;
  readonly minAttempts?: number;
  readonly ruleId?: string;
}

const CASES: readonly PanelCase[] = [
  { endpoint: 'control-wildcard', client: 'eventsource', outcomes: ['open'], corsError: '' },
  { endpoint: 'control-same-origin', client: 'eventsource', outcomes: ['open'], corsError: '' },
  { endpoint: 'acao-missing', client: 'eventsource', outcomes: ['blocked'], corsError: 'MissingAllowOriginHeader', ruleId: 'acao-missing' },
  { endpoint: 'acao-wildcard', client: 'eventsource-credentials', outcomes: ['blocked'], corsError: 'WildcardOriginNotAllowed', ruleId: 'acao-wildcard-with-credentials' },
  { endpoint: 'acao-trailing-slash', client: 'eventsource', outcomes: ['blocked'], corsError: 'AllowOriginMismatch', ruleId: 'acao-mismatch' },
  { endpoint: 'acac-missing', client: 'eventsource-credentials', outcomes: ['blocked'], corsError: 'InvalidAllowCredentials' },
  { endpoint: 'mime-text-plain', client: 'eventsource', outcomes: ['failed'], corsError: '', ruleId: 'content-type-not-event-stream' },
  { endpoint: 'reconnect-loop', client: 'eventsource', outcomes: ['open', 'reconnecting'], corsError: '', minAttempts: 3 },
  { endpoint: 'acao-missing', client: 'fetch', outcomes: ['blocked'], corsError: 'MissingAllowOriginHeader' },
  { endpoint: 'control-preflight-api-key', client: 'fetch-header', outcomes: ['open'], corsError: '' },
];

let playground: Playground;
let chromium: ChromiumDriver;

beforeAll(async () => {
  playground = await startPlayground();
  chromium = await launchChromiumDriver({ devtools: true });
}, 60_000);
afterAll(async () => {
  await chromium?.close();
  await playground?.close();
});

describe('the panel in real Chromium, with live capture', () => {
  it('lists every stream with its outcome, CORS error, attempts and findings', async () => {
    const { page, panel } = await openPanel(chromium, `${playground.pageOrigin}/`);
    await page.evaluate('window.sources = []');
    const urls = CASES.map((c, i) => {
      const endpoint = playground.endpoints.find((e) => e.id === c.endpoint);
      if (!endpoint) throw new Error(`no endpoint ${c.endpoint}`);
      const url = new URL(playground.urlFor(endpoint.id, endpoint.startOn));
      url.searchParams.set(TRACE_PARAM, `panel-${i}`);
      return url.href;
    });
    for (const [i, c] of CASES.entries()) await page.evaluate(openClient(urls[i] as string, c.client));

    for (const [i, c] of CASES.entries()) {
      const url = urls[i] as string;
      const row = await until(async () => {
        const found = await panel.$$eval('[data-testid="stream-row"]', (rows, wanted) => {
          const match = rows.find((r) => r.getAttribute('data-url') === wanted);
          return match ? { outcome: match.getAttribute('data-outcome'), corsError: match.getAttribute('data-cors-error'), attempts: Number(match.getAttribute('data-attempts')) } : null;
        }, url);
        if (!found || !c.outcomes.includes(found.outcome ?? '') || found.attempts < (c.minAttempts ?? 1)) return null;
        return found;
      }, `the row of ${c.endpoint} (${c.client}) to show ${c.outcomes.join('/')}`);
      expect(row.corsError).toBe(c.corsError);
    }

    // A blocked stream's diagnosis names the rule that explains it.
    for (const c of CASES.filter((known) => known.ruleId)) {
      const url = urls[CASES.indexOf(c)] as string;
      await panel.$$eval('[data-testid="stream-row"]', (rows, wanted) => (rows.find((r) => r.getAttribute('data-url') === wanted) as HTMLElement | undefined)?.click(), url);
      const ruleIds = await until(async () => {
        const ids = await panel.$$eval('[data-testid="finding"]', (findings) => findings.map((f) => f.getAttribute('data-rule-id')));
        return ids.includes(c.ruleId as string) ? ids : null;
      }, `finding ${c.ruleId} for ${c.endpoint}`);
      expect(ruleIds).toContain(c.ruleId);
    }
    await page.evaluate('window.sources.forEach((s) => s.close())');
    await page.close();
  }, 120_000);
});
