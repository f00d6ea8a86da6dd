import type { Frame, Page } from 'puppeteer-core';
import { describe, it } from 'vitest';
import { until } from '../capture/harness';
import { PANEL_CASES, ROW_ATTRIBUTES, caseUrls, expectPanelShowsCases, openClient, rowContract, type PanelDom } from './panel-cases';
import { openPanel, usePanelSuite } from './panel-harness';

/**
 * End to end in real Chromium: the built extension, its panel open in DevTools, and playground
 * streams opened by the inspected page. The panel must list each stream with the outcome the page
 * is living through and both browsers' error names, read through the panel's DOM contract.
 * test/firefox/panel-capture.test.ts runs the same cases in Firefox.
 */
const suite = usePanelSuite();


/** The panel is an out-of-process frame of the DevTools page: puppeteer queries it directly. */
function panelDom(panel: Frame): PanelDom {
  return {
    rows: () =>
      panel.$$eval(
        '[data-testid="stream-row"]',
        (rows, names) => rows.map((row) => Object.fromEntries(names.map((name) => [name, row.getAttribute(name)]))),
        [...ROW_ATTRIBUTES],
      ).then((rows) => rows.map(rowContract)),
    clickRow: (url) =>
      panel.$$eval('[data-testid="stream-row"]', (rows, wanted) => {
        const row = rows.find((r) => r.getAttribute('data-url') === wanted) as HTMLElement | undefined;
        row?.click();
        return Boolean(row);
      }, url),
    findingRuleIds: () => panel.$$eval('[data-testid="finding"]', (findings) => findings.map((f) => f.getAttribute('data-rule-id') ?? '')),
  };
}

describe('the panel in real Chromium, with live capture', () => {
  it('lists every stream with its outcome, error names, attempts and findings', async () => {
    const { playground, chromium } = suite;
    const { page, panel } = await openPanel(chromium, `${playground.pageOrigin}/`);
    await page.evaluate('window.sources = []');
    const urls = caseUrls(playground, 'panel');
    for (const [i, c] of PANEL_CASES.entries()) await page.evaluate(openClient(urls[i] as string, c.client));
    await expectPanelShowsCases(panelDom(panel), urls);
    await page.evaluate('window.sources.forEach((s) => s.close())');
    await page.close();
  }, 120_000);
});
