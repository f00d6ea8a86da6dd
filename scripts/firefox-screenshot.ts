import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPlayground } from '../playground/server';
import { launchFirefoxDriver, until } from '../test/capture/harness';
import { PANEL_CASES, caseUrls, openClient } from '../test/extension/panel-cases';
import { FirefoxDevtoolsPanel, setDevtoolsTheme } from '../test/firefox/devtools-panel';

/**
 * Screenshots of the panel in real Firefox ESR, for the README: the built add-on (`npm run
 * build:firefox` first), DevTools docked at the bottom of a playground page that opened the panel
 * suite's streams, a CORS-blocked stream selected. Writes docs/firefox-panel-<theme>.png.
 * Run: `npx tsx scripts/firefox-screenshot.ts`.
 */
const ROOT = join(import.meta.dirname, '..');
const SELECTED = 'acao-wildcard';

const playground = await startPlayground();
const firefox = await launchFirefoxDriver();
try {
  const { marionette } = firefox;
  await marionette.inChrome(async () => {
    await marionette.setWindowSize(1280, 860);
    // DevTools taller than its default 250 px, so the list and the diagnosis both show.
    await marionette.execute(`Services.prefs.setIntPref('devtools.toolbox.footer.height', 560);`);
  });
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  for (const theme of ['light', 'dark'] as const) {
    await setDevtoolsTheme(marionette, theme);
    await marionette.newTab();
    const pageUrl = `${playground.pageOrigin}/?inspected=screenshot-${theme}`;
    await marionette.navigate(pageUrl);
    const panel = await FirefoxDevtoolsPanel.open(marionette, pageUrl, 'SSE Inspector');
    await marionette.execute('window.sources = []');
    const urls = caseUrls(playground, `screenshot-${theme}`);
    for (const [i, c] of PANEL_CASES.entries()) await marionette.execute(openClient(urls[i] as string, c.client));
    await until(async () => ((await panel.read('[data-testid="stream-row"]', [])).length === PANEL_CASES.length ? true : null), 'every stream in the panel');
    const selected = urls[PANEL_CASES.findIndex((c) => c.endpoint === SELECTED)] as string;
    await panel.click('[data-testid="stream-row"]', 'data-url', selected);
    await until(async () => ((await panel.read('[data-testid="finding"][data-rule-id="acao-wildcard-with-credentials"]', [])).length > 0 ? true : null), 'the diagnosis');
    await until(async () => ((await panel.read(`[data-testid="panel"][data-theme="${theme}"]`, [])).length > 0 ? true : null), `the ${theme} theme`);
    const file = join(ROOT, 'docs', `firefox-panel-${theme}.png`);
    writeFileSync(file, await panel.screenshot());
    console.log(`wrote ${file}`);
    await marionette.execute('window.sources.forEach((s) => s.close())');
  }
} finally {
  await firefox.close();
  await playground.close();
}
