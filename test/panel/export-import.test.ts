import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from '../browser-truth/browsers';
import { FIXTURES } from '../lib/report/sample';
import { seriousViolations } from '../support/axe';
import { serveBuiltExtension, type DemoServer } from './demo-server';

/**
 * The Export menu and Import in the built panel (panel-demo.html, plain-page host) in real
 * Chromium: a real file chooser opens the sample HAR read-only, the export code loads on demand,
 * and axe-core finds no serious or critical violation with the menu open or on the imported view.
 */
describe('Export and Import in the built panel (Chromium)', () => {
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
    it(`imports a HAR through the file chooser and stays accessible (${theme})`, async () => {
      const page = await chromium.browser.newPage();
      await page.setViewport({ width: 1280, height: 800 });
      const found: string[] = [];
      await page.goto(`${server.url}/panel-demo.html?theme=${theme}`);
      await page.waitForSelector('[data-testid="finding"]');

      await page.click('[data-testid="export-menu-button"]');
      await page.click('[data-testid="export-redact"]');
      await page.waitForSelector('[data-testid="export-warning"]');
      found.push(...(await seriousViolations(page, 'export menu, redaction off')));
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid="export-panel"]', { hidden: true });

      const [chooser] = await Promise.all([page.waitForFileChooser(), page.click('[data-testid="import-button"]')]);
      await chooser.accept([join(FIXTURES, 'sample.har')]);
      await page.waitForSelector('[data-testid="read-only-banner"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="stream-row"]').length === 6);
      const urls = await page.$$eval('[data-testid="stream-row"]', (rows) => rows.map((r) => r.getAttribute('data-url')));
      expect(urls[0]).toBe('http://127.0.0.1:18181/sse/acao-wildcard');
      expect(await page.$('[data-testid="record-button"]')).toBeNull();
      found.push(...(await seriousViolations(page, 'imported view')));

      await page.click('[data-testid="close-import"]');
      await page.waitForSelector('[data-testid="record-button"]');
      await page.close();
      expect(found).toEqual([]);
    }, 60_000);
  }
});
