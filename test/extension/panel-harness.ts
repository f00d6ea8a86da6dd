import type { Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { startPlayground, type Playground } from '../../playground/server';
import { launchChromiumDriver, until, type ChromiumDriver } from '../capture/harness';

/**
 * The SSE Inspector panel in real Chromium's DevTools (see real-browser-testing.md): a page is
 * opened at `pageUrl` with DevTools auto-opened, the extension's tab is shown through DevTools'
 * own InspectorView, and the panel's out-of-process frame is returned to query its DOM contract.
 */
export async function openPanel(chromium: ChromiumDriver, pageUrl: string): Promise<{ page: Page; panel: Frame; devtools: Page }> {
  const { browser, extensionOrigin } = chromium;
  const page = await browser.newPage();
  await page.goto(pageUrl);
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
    const tab = view.tabbedPane.tabIds().find((t) => t.startsWith('${extensionOrigin}'));
    if (!tab) return null;
    await view.showPanel(tab);
    return tab;
  })()`;
  await until(() => devtools.evaluate(showPanel) as Promise<string | null>, 'the SSE Inspector tab');
  const panel = await until(async () => devtools.frames().find((f) => f.url().startsWith(`${extensionOrigin}/devtools-panel.html`)), 'the panel frame');
  await until(() => panel.$('[data-testid="empty-nothing"], [data-testid="stream-row"]'), 'the panel to render');
  return { page, panel, devtools };
}

export type DevtoolsThemeSetting = 'systemPreferred' | 'default' | 'dark';

/** Picks a theme in DevTools' settings, as the user does in Settings > Preferences > Appearance. */
export async function setDevtoolsTheme(devtools: Page, theme: DevtoolsThemeSetting): Promise<void> {
  // Passed as source text, like showPanel above.
  await devtools.evaluate(`(async () => {
    const common = await import('./core/common/common.js');
    common.Settings.Settings.instance().moduleSetting('ui-theme').set(${JSON.stringify(theme)});
  })()`);
}

/**
 * 'fetch-sse-header' is how SSE fetch libraries ask: `Accept: text/event-stream` (CORS-safelisted)
 * and `X-API-Key: demo`. The Accept line is what marks a fetch as a stream before any response, so
 * it is the client whose refusal at the preflight reaches the panel.
 */
export type PageClient = 'eventsource' | 'eventsource-credentials' | 'fetch' | 'fetch-header' | 'fetch-sse-header' | 'xhr';

/** Page code that opens `url` with `client` (sources are kept on window.sources to close them later). */
export function openClient(url: string, client: PageClient): string {
  if (client.startsWith('eventsource')) return `window.sources.push(new EventSource(${JSON.stringify(url)}, { withCredentials: ${client === 'eventsource-credentials'} }))`;
  // An XMLHttpRequest event stream, as SSE libraries built on XHR open one; close() aborts it.
  if (client === 'xhr') return `{ const xhr = new XMLHttpRequest(); xhr.open('GET', ${JSON.stringify(url)}); xhr.setRequestHeader('Accept', 'text/event-stream'); xhr.send(); window.sources.push({ close: () => xhr.abort() }); }`;
  const headers = client === 'fetch-header' ? `{ 'X-API-Key': 'demo' }` : client === 'fetch-sse-header' ? `{ Accept: 'text/event-stream', 'X-API-Key': 'demo' }` : '{}';
  return `fetch(${JSON.stringify(url)}, { headers: ${headers} }).then((r) => r.body.getReader().read()).catch(() => undefined)`;
}

export interface PanelSuite {
  readonly playground: Playground;
  readonly chromium: ChromiumDriver;
}

/**
 * For a panel suite: the playground and a Chromium with the built extension whose tabs open with
 * DevTools, started before the file's tests and closed after them. Read the fields inside tests.
 */
export function usePanelSuite(): PanelSuite {
  const suite = {} as { playground: Playground; chromium: ChromiumDriver };
  beforeAll(async () => {
    suite.playground = await startPlayground();
    suite.chromium = await launchChromiumDriver({ devtools: true });
  }, 60_000);
  afterAll(async () => {
    await suite.chromium?.close();
    await suite.playground?.close();
  });
  return suite;
}
