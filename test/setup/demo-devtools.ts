import type { Browser, PuppeteerNode } from 'puppeteer-core';

const SHOW_TIMEOUT_MS = 10_000;

/**
 * Brings an extension's DevTools panel to the front, so the demo opens on it rather than on Elements.
 * DevTools has no switch or preference for this (a saved `panel-selected-tab` is not applied to
 * extension tabs, which arrive after the built-in ones), so it asks the DevTools front end itself, as
 * ../../shared/reference/real-browser-testing.md describes. Best effort: false if it did not work.
 */
export async function showExtensionPanel(puppeteer: PuppeteerNode, debuggingPort: number, panelTitle: string): Promise<boolean> {
  let browser: Browser;
  try {
    browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${debuggingPort}`, defaultViewport: null });
  } catch {
    return false;
  }
  try {
    const deadline = Date.now() + SHOW_TIMEOUT_MS;
    // The panel's tab id is the extension's origin followed by the title without spaces.
    const suffix = JSON.stringify(panelTitle.replace(/\s+/g, ''));
    // Source text, not a function: the DevTools modules are imported relative to the front end's URL.
    const show = `(async () => {
      const common = await import('./core/common/common.js');
      if (!common.Settings.Settings.hasInstance()) return null;
      const legacy = await import('./ui/legacy/legacy.js');
      const view = legacy.InspectorView.InspectorView.instance();
      const tab = view.tabbedPane.tabIds().find((id) => id.startsWith('chrome-extension://') && id.endsWith(${suffix}));
      if (!tab) return null;
      await view.showPanel(tab);
      return tab;
    })()`;
    // Every DevTools window there is (the start-up tab's may still be closing), asked again each round.
    for (;;) {
      for (const target of browser.targets().filter((t) => t.url().startsWith('devtools://devtools/bundled/devtools_app.html'))) {
        const devtools = await target.asPage().catch(() => null);
        if (!devtools) continue;
        const panelFrame = devtools.frames().some((frame) => /^chrome-extension:\/\/[a-p]{32}\//.test(frame.url()) && !frame.url().endsWith('/devtools.html'));
        if (panelFrame) return true;
        try {
          await devtools.evaluate(show);
        } catch {
          // DevTools is still starting (or closing): evaluating too early throws.
        }
      }
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch {
    return false;
  } finally {
    // Leaves Chromium running: only this connection ends.
    await browser.disconnect();
  }
}
