import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../playground/server';
import { launchFirefoxDriver, until, type FirefoxDriver } from '../capture/harness';
import { PANEL_CASES, ROW_ATTRIBUTES, caseUrls, expectPanelShowsCases, openClient, rowContract, type PanelDom } from '../extension/panel-cases';
import { FirefoxDevtoolsPanel, setDevtoolsTheme } from './devtools-panel';

/**
 * End to end in real Firefox ESR: the built add-on, its SSE Inspector tool selected in the DevTools
 * toolbox, and the playground streams of the Chromium suite opened by the inspected page. The panel
 * is read through the same DOM contract; `data-cors-error` is Chromium's name in Firefox too, and
 * `data-firefox-reason` is Firefox's own.
 */
let playground: Playground;
let firefox: FirefoxDriver;

beforeAll(async () => {
  playground = await startPlayground();
  firefox = await launchFirefoxDriver();
}, 60_000);
afterAll(async () => {
  await firefox?.close();
  await playground?.close();
});

function panelDom(panel: FirefoxDevtoolsPanel): PanelDom {
  return {
    rows: async () => (await panel.read('[data-testid="stream-row"]', ROW_ATTRIBUTES)).map((row) => rowContract(row.attributes)),
    clickRow: (url) => panel.click('[data-testid="stream-row"]', 'data-url', url),
    findingRuleIds: async () => (await panel.read('[data-testid="finding"]', ['data-rule-id'])).map((f) => f.attributes['data-rule-id'] ?? ''),
  };
}

describe('the panel in real Firefox, with live capture', () => {
  it('lists every stream with its outcome, error names, attempts and findings', async () => {
    const { marionette } = firefox;
    await marionette.newTab();
    const pageUrl = `${playground.pageOrigin}/?inspected=firefox-panel`;
    await marionette.navigate(pageUrl);
    const panel = await FirefoxDevtoolsPanel.open(marionette, pageUrl, 'SSE Inspector');
    expect(panel.url).toBe(`${firefox.extensionOrigin}/devtools-panel.html`);
    await until(async () => ((await panel.read('[data-testid="empty-nothing"], [data-testid="stream-row"]', [])).length > 0 ? true : null), 'the panel to render');

    await marionette.execute('window.sources = []');
    const urls = caseUrls(playground, 'firefox-panel');
    for (const [i, c] of PANEL_CASES.entries()) await marionette.execute(openClient(urls[i] as string, c.client));
    await expectPanelShowsCases(panelDom(panel), urls);
    await marionette.execute('window.sources.forEach((s) => s.close())');
  }, 120_000);

  it("opens in DevTools' theme and follows it when it changes", async () => {
    const { marionette } = firefox;
    // Relative luminance of an rgb() colour: the panel's background is light or dark, whatever its palette.
    const luminance = (rgb: string) => {
      const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number) as [number, number, number];
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    const themeOf = async (panel: FirefoxDevtoolsPanel) => {
      const [element] = await panel.read('[data-testid="panel"]', ['data-theme']);
      const [background] = await panel.style('html', 'background-color');
      return element && background ? { theme: element.attributes['data-theme'], dark: luminance(background) < 0.3 } : null;
    };
    const waitForTheme = (panel: FirefoxDevtoolsPanel, theme: string) =>
      until(async () => {
        const shown = await themeOf(panel);
        return shown?.theme === theme ? shown : null;
      }, `the panel to show the ${theme} theme`);

    expect(await setDevtoolsTheme(marionette, 'dark')).toBe('dark');
    await marionette.newTab();
    const pageUrl = `${playground.pageOrigin}/?inspected=firefox-theme`;
    await marionette.navigate(pageUrl);
    const panel = await FirefoxDevtoolsPanel.open(marionette, pageUrl, 'SSE Inspector');
    // devtools.panels.themeName when the panel loads.
    expect(await waitForTheme(panel, 'dark')).toEqual({ theme: 'dark', dark: true });
    // devtools.panels.onThemeChanged while it is open, both ways.
    await setDevtoolsTheme(marionette, 'light');
    expect(await waitForTheme(panel, 'light')).toEqual({ theme: 'light', dark: false });
    await setDevtoolsTheme(marionette, 'dark');
    expect(await waitForTheme(panel, 'dark')).toEqual({ theme: 'dark', dark: true });
  }, 60_000);
});
