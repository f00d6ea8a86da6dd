import { expect } from 'vitest';
import type { Playground } from '../../playground/server';
import { TRACE_PARAM } from '../../playground/sse';
import { until } from '../capture/harness';
import type { PageClient } from './panel-harness';

/**
 * The end-to-end panel cases, shared by the Chromium and Firefox suites: playground streams opened
 * by the inspected page, then read back through the panel's DOM contract (README, "DOM contract").
 * Expected values are what the truth suite measured in the real browsers
 * (../shared/reference/browser-facts.md §2 and §4): Chromium's corsError, Firefox's reason key.
 * The two browsers agree on every outcome here (the charset case, where they differ, is not one).
 */
export interface PanelCase {
  readonly endpoint: string;
  readonly client: PageClient;
  /** Outcomes the row may show (a reconnect loop is open or reconnecting depending on the moment). */
  readonly outcomes: readonly string[];
  /** Chromium's Network.CorsError name: the row carries it in either browser. */
  readonly corsError: string;
  /** Firefox's "(Reason: …)" key. */
  readonly firefoxReason: string;
  readonly minAttempts?: number;
  readonly ruleId?: string;
}

export const PANEL_CASES: readonly PanelCase[] = [
  { endpoint: 'control-wildcard', client: 'eventsource', outcomes: ['open'], corsError: '', firefoxReason: '' },
  { endpoint: 'control-same-origin', client: 'eventsource', outcomes: ['open'], corsError: '', firefoxReason: '' },
  { endpoint: 'acao-missing', client: 'eventsource', outcomes: ['blocked'], corsError: 'MissingAllowOriginHeader', firefoxReason: 'CORSMissingAllowOrigin', ruleId: 'acao-missing' },
  {
    endpoint: 'acao-wildcard',
    client: 'eventsource-credentials',
    outcomes: ['blocked'],
    corsError: 'WildcardOriginNotAllowed',
    firefoxReason: 'CORSNotSupportingCredentials',
    ruleId: 'acao-wildcard-with-credentials',
  },
  {
    endpoint: 'acao-trailing-slash',
    client: 'eventsource',
    outcomes: ['blocked'],
    corsError: 'AllowOriginMismatch',
    firefoxReason: 'CORSAllowOriginNotMatchingOrigin',
    ruleId: 'acao-mismatch',
  },
  { endpoint: 'acac-missing', client: 'eventsource-credentials', outcomes: ['blocked'], corsError: 'InvalidAllowCredentials', firefoxReason: 'CORSMissingAllowCredentials' },
  { endpoint: 'mime-text-plain', client: 'eventsource', outcomes: ['failed'], corsError: '', firefoxReason: '', ruleId: 'content-type-not-event-stream' },
  { endpoint: 'reconnect-loop', client: 'eventsource', outcomes: ['open', 'reconnecting'], corsError: '', firefoxReason: '', minAttempts: 3 },
  { endpoint: 'acao-missing', client: 'fetch', outcomes: ['blocked'], corsError: 'MissingAllowOriginHeader', firefoxReason: 'CORSMissingAllowOrigin' },
  { endpoint: 'control-preflight-api-key', client: 'fetch-header', outcomes: ['open'], corsError: '', firefoxReason: '' },
  { endpoint: 'control-wildcard', client: 'xhr', outcomes: ['open'], corsError: '', firefoxReason: '' },
  { endpoint: 'acao-missing', client: 'xhr', outcomes: ['blocked'], corsError: 'MissingAllowOriginHeader', firefoxReason: 'CORSMissingAllowOrigin' },
];

/** Each case's stream URL, tagged so its row is found even when two cases share an endpoint. */
export function caseUrls(playground: Playground, tag: string): string[] {
  return PANEL_CASES.map((c, i) => {
    const endpoint = playground.endpoints.find((e) => e.id === c.endpoint);
    if (!endpoint) throw new Error(`no endpoint ${c.endpoint}`);
    const url = new URL(playground.urlFor(endpoint.id, endpoint.startOn));
    url.searchParams.set(TRACE_PARAM, `${tag}-${i}`);
    return url.href;
  });
}

// The page script that opens a case's client is shared with the other panel suites.
export { openClient } from './panel-harness';

export interface RowContract {
  readonly url: string;
  readonly outcome: string;
  readonly corsError: string;
  readonly firefoxReason: string;
  readonly attempts: number;
}

/** How a suite reads the panel: the same DOM contract, reached through each browser's driver. */
export interface PanelDom {
  rows(): Promise<RowContract[]>;
  /** Clicks the row of `url`; false when there is none. */
  clickRow(url: string): Promise<boolean>;
  findingRuleIds(): Promise<string[]>;
}

export const ROW_ATTRIBUTES = ['data-url', 'data-outcome', 'data-cors-error', 'data-firefox-reason', 'data-attempts'] as const;

export function rowContract(attributes: Readonly<Record<string, string | null>>): RowContract {
  return {
    url: attributes['data-url'] ?? '',
    outcome: attributes['data-outcome'] ?? '',
    corsError: attributes['data-cors-error'] ?? '',
    firefoxReason: attributes['data-firefox-reason'] ?? '',
    attempts: Number(attributes['data-attempts']),
  };
}

/**
 * Waits for each case's row to reach one of its outcomes (and its attempts), then checks both
 * browsers' error names; then selects each case with a known rule and waits for that finding.
 */
export async function expectPanelShowsCases(panel: PanelDom, urls: readonly string[]): Promise<void> {
  for (const [i, c] of PANEL_CASES.entries()) {
    const url = urls[i] as string;
    const row = await until(async () => {
      const found = (await panel.rows()).find((r) => r.url === url);
      if (!found || !c.outcomes.includes(found.outcome) || found.attempts < (c.minAttempts ?? 1)) return null;
      return found;
    }, `the row of ${c.endpoint} (${c.client}) to show ${c.outcomes.join('/')}`);
    // The row is live: its outcome can come from webRequest before the page hook's report of the
    // request (withCredentials, headers) reaches the panel, which completes the verdicts. Wait for
    // the names as long as for the outcome, then compare what the row shows.
    const named = await until(async () => {
      const found = (await panel.rows()).find((r) => r.url === url);
      return found && found.corsError === c.corsError && found.firefoxReason === c.firefoxReason ? found : null;
    }, `the row of ${c.endpoint} (${c.client}) to name ${c.corsError || 'no error'} / ${c.firefoxReason || 'no reason'}`).catch(async () => (await panel.rows()).find((r) => r.url === url) ?? row);
    expect({ endpoint: c.endpoint, corsError: named.corsError, firefoxReason: named.firefoxReason }).toEqual({ endpoint: c.endpoint, corsError: c.corsError, firefoxReason: c.firefoxReason });
  }

  // A diagnosed stream names the rule that explains it.
  for (const c of PANEL_CASES.filter((known) => known.ruleId)) {
    const url = urls[PANEL_CASES.indexOf(c)] as string;
    expect(await panel.clickRow(url)).toBe(true);
    const ruleIds = await until(async () => {
      const ids = await panel.findingRuleIds();
      return ids.includes(c.ruleId as string) ? ids : null;
    }, `finding ${c.ruleId} for ${c.endpoint}`);
    expect(ruleIds).toContain(c.ruleId);
  }
}
