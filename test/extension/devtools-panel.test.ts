import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromiumDriver, until, type ChromiumDriver } from '../capture/harness';
import { openPanel } from './panel-harness';

/**
 * The built extension loads in real Chromium and adds an "SSE Inspector" tab to DevTools, which
 * renders the real panel through the extension host (settings read from extension storage).
 * Follows ../shared/reference/real-browser-testing.md (see panel-harness.ts).
 */
describe('extension in Chromium', () => {
  let chromium: ChromiumDriver;
  let server: http.Server;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('<!doctype html><title>inspected</title>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    chromium = await launchChromiumDriver({ devtools: true });
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
    server?.close();
  });

  it('shows an "SSE Inspector" DevTools panel', async () => {
    const { panel } = await openPanel(chromium, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(panel.url()).toBe(`${chromium.extensionOrigin}/devtools-panel.html`);
    const heading = await until(() => panel.$eval('h1', (h) => h.textContent), 'the panel content');
    expect(heading).toBe('SSE Inspector');
    const emptyState = await until(() => panel.$eval('[data-testid="empty-nothing"]', (e) => e.textContent), 'the empty state');
    expect(emptyState).toContain('No event streams captured yet.');
  }, 60_000);
});
