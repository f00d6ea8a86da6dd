import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedBrowser } from '../browser-truth/browsers';

/**
 * The built extension loads in real Chromium and adds an "SSE Inspector" tab to DevTools.
 * Follows ../shared/reference/real-browser-testing.md: --auto-open-devtools-for-tabs, then the
 * DevTools front end's InspectorView shows the extension's panel, an out-of-process frame.
 */
const EXTENSION = join(__dirname, '../../.output/chrome-mv3');

async function until<T>(probe: () => Promise<T | null | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
    } catch {
      // DevTools is still starting: evaluating too early throws.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('extension in Chromium', () => {
  let chromium: LaunchedBrowser;
  let server: http.Server;

  beforeAll(async () => {
    if (!existsSync(join(EXTENSION, 'manifest.json'))) throw new Error('build the extension first: npm run build');
    server = http.createServer((_req, res) => res.end('<!doctype html><title>inspected</title>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    chromium = await launchChromium({
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [`--load-extension=${EXTENSION}`, `--disable-extensions-except=${EXTENSION}`, '--auto-open-devtools-for-tabs'],
    });
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    server?.close();
  });

  it('shows an "SSE Inspector" DevTools panel', async () => {
    const { browser } = chromium;
    const extensionTarget = await until(async () => browser.targets().find((t) => t.url().startsWith('chrome-extension://')), 'the extension');
    const extensionId = new URL(extensionTarget.url()).host;
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);

    // Every tab gets its own DevTools window; the newest belongs to the page just opened.
    const devtoolsTarget = await until(
      async () => browser.targets().filter((t) => t.type() === 'other' && t.url().startsWith('devtools://devtools/bundled/devtools_app.html')).at(-1),
      'the DevTools front end',
    );
    const devtools = (await devtoolsTarget.asPage()) as Page;
    // Passed as source text: the test runner would rewrite a real dynamic import() in a function.
    const showPanel = `(async () => {
      const common = await import('./core/common/common.js');
      if (!common.Settings.Settings.hasInstance()) return null;
      const legacy = await import('./ui/legacy/legacy.js');
      const view = legacy.InspectorView.InspectorView.instance();
      const tab = view.tabbedPane.tabIds().find((t) => t.startsWith('chrome-extension://${extensionId}'));
      if (!tab) return null;
      await view.showPanel(tab);
      return tab;
    })()`;
    const tabId = await until(() => devtools.evaluate(showPanel) as Promise<string | null>, 'the SSE Inspector tab');
    expect(tabId).toContain('SSEInspector');

    const panel = await until(async () => devtools.frames().find((f: Frame) => f.url().startsWith(`chrome-extension://${extensionId}/devtools-panel.html`)), 'the panel frame');
    const heading = await until(() => panel.$eval('h1', (h) => h.textContent), 'the panel content');
    expect(heading).toBe('SSE Inspector');
    // The real App rendered through the extension host (settings read from extension storage).
    const emptyState = await until(() => panel.$eval('[data-testid="empty-nothing"]', (e) => e.textContent), 'the empty state');
    expect(emptyState).toContain('No event streams captured yet.');
  }, 60_000);
});
