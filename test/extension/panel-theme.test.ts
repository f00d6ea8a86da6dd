import type { Frame } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { until } from '../capture/harness';
import { openPanel, setDevtoolsTheme, usePanelSuite } from './panel-harness';

/**
 * DevTools' theme, changed while the panel is open, in real Chromium: DevTools keeps the panel
 * loaded (it is not reloaded in the new theme), and the panel follows through
 * devtools.panels.setThemeChangeHandler. test/firefox/panel-capture.test.ts does the same in Firefox.
 */
const suite = usePanelSuite();

/** The panel's theme attribute, whether its background is dark, and whether it is still the page it was. */
function shownTheme(panel: Frame) {
  return panel.evaluate(() => {
    const [r, g, b] = (getComputedStyle(document.documentElement).backgroundColor.match(/\d+/g) ?? []).map(Number) as [number, number, number];
    return {
      theme: document.querySelector('[data-testid="panel"]')?.getAttribute('data-theme') ?? null,
      dark: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.3,
      samePage: (window as unknown as { loadedOnce?: boolean }).loadedOnce === true,
    };
  });
}

describe("the panel in real Chromium follows DevTools' theme", () => {
  it('switches to dark and back while it stays open', async () => {
    const { playground, chromium } = suite;
    const { page, panel, devtools } = await openPanel(chromium, `${playground.pageOrigin}/?inspected=theme`);
    await panel.evaluate(() => {
      (window as unknown as { loadedOnce: boolean }).loadedOnce = true;
    });
    expect(await shownTheme(panel)).toEqual({ theme: 'light', dark: false, samePage: true });
    await setDevtoolsTheme(devtools, 'dark');
    const dark = await until(async () => ((await shownTheme(panel)).theme === 'dark' ? shownTheme(panel) : null), 'the dark theme');
    expect(dark).toEqual({ theme: 'dark', dark: true, samePage: true });
    await setDevtoolsTheme(devtools, 'default');
    const light = await until(async () => ((await shownTheme(panel)).theme === 'light' ? shownTheme(panel) : null), 'the light theme');
    expect(light).toEqual({ theme: 'light', dark: false, samePage: true });
    await page.close();
  }, 60_000);
});
