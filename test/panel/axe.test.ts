import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from '../browser-truth/browsers';
import { seriousViolations } from '../support/axe';
import { serveBuiltExtension, type DemoServer } from './demo-server';

/**
 * axe-core over the panel in real Chromium (colour contrast needs real layout and styles),
 * in DevTools' light and dark themes, on every tab and on the empty states. The panel runs
 * in its plain-page host on the recorded demo feed (entrypoints/panel-demo).
 */
async function clickTab(page: Page, name: string): Promise<void> {
  await page.evaluate((label) => {
    const tab = [...document.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => t.textContent?.startsWith(label));
    tab?.click();
  }, name);
  await page.waitForSelector(`[role="tab"][aria-selected="true"][id="tab-${name.toLowerCase().replace(/ /g, '')}"]`);
  // Every tab but Diagnosis loads its code when first opened: check the tab, not its placeholder.
  await page.waitForFunction(() => !document.querySelector('[data-testid="lazy-loading"]'));
}

async function selectStream(page: Page, path: string): Promise<void> {
  await page.click(`[data-testid="stream-row"][data-url$="${path}"]`);
  await page.waitForSelector(`[data-testid="stream-row"][data-url$="${path}"][aria-selected="true"]`);
}

describe('panel accessibility (axe-core in Chromium)', () => {
  let chromium: LaunchedBrowser;
  let server: DemoServer;

  beforeAll(async () => {
    server = await serveBuiltExtension();
    chromium = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`has no serious or critical violations in the ${theme} theme`, async () => {
      const page = await chromium.browser.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      const found: string[] = [];

      await page.goto(`${server.url}/panel-demo.html?theme=${theme}&feed=empty`);
      await page.waitForSelector('[data-testid="empty-nothing"]');
      found.push(...(await seriousViolations(page, 'empty')));

      await page.goto(`${server.url}/panel-demo.html?theme=${theme}&firehose=2000`);
      await page.waitForSelector('[data-testid="finding"]');
      // The fix's renderer loads on first use: check the page with the snippet in it.
      await page.waitForSelector('[data-testid="fix-snippet"]');
      expect(await page.$eval('[data-testid="panel"]', (panel) => panel.getAttribute('data-theme'))).toBe(theme);
      found.push(...(await seriousViolations(page, 'diagnosis of a blocked stream')));

      await clickTab(page, 'Headers');
      found.push(...(await seriousViolations(page, 'headers')));

      await selectStream(page, '/sse/ends-immediately');
      await clickTab(page, 'Timeline');
      found.push(...(await seriousViolations(page, 'timeline of a retry loop')));

      await selectStream(page, '/sse/firehose');
      await clickTab(page, 'Messages');
      await page.click('[data-testid="message-row"]');
      await page.waitForSelector('[data-testid="message-detail"]');
      found.push(...(await seriousViolations(page, 'messages')));

      await clickTab(page, 'Validate');
      found.push(...(await seriousViolations(page, 'validate')));

      await selectStream(page, '/sse/preflight-header');
      await clickTab(page, 'What if');
      await page.waitForSelector('[data-testid="whatif-response-headers"][data-exchange="preflight"]');
      await page.type('[data-testid="whatif-response-headers"][data-exchange="preflight"]', '\nnot a header line');
      await page.waitForSelector('[data-testid="whatif-problem"]');
      found.push(...(await seriousViolations(page, 'what if, with a malformed line')));

      await page.close();
      expect(found).toEqual([]);
    }, 60_000);
  }
});
