import { createCaptureFeed } from '../capture/panel-feed';
import type { PanelHost } from './host';
import { parseSettings, type PanelSettings } from './settings';

/**
 * The extension API as the browser gives it, not through wxt/browser: with WXT's polyfill module
 * that is webextension-polyfill, 2.9 KB gzipped of the panel's initial JS, and every call made
 * here is promise-based natively (Chromium's MV3 `chrome`, Firefox's `browser`). Chosen the way
 * @wxt-dev/browser chooses: Firefox's `browser` when it is the extension API, else `chrome`.
 */
const browser: typeof chrome = (globalThis as { browser?: typeof chrome }).browser?.runtime?.id ? (globalThis as { browser: typeof chrome }).browser : chrome;

const SETTINGS_KEY = 'panelSettings';

interface ThemeChangedEvent {
  addListener(listener: (themeName: string) => void): void;
  removeListener(listener: (themeName: string) => void): void;
}

// Chromium says 'default' or 'dark', Firefox 'light' or 'dark'.
const themeOf = (themeName: string): 'light' | 'dark' => (themeName === 'dark' ? 'dark' : 'light');

/**
 * The panel's host inside the extension: the live capture of the inspected tab
 * (lib/capture/panel-feed.ts: the background's log for this tab, merged into streams), the
 * DevTools theme, settings in extension storage, and reloading the inspected page.
 */
export function createExtensionHost(): PanelHost {
  const feed = createCaptureFeed({
    tabId: browser.devtools.inspectedWindow.tabId,
    browser: import.meta.env.FIREFOX ? 'firefox' : 'chromium',
    connect: (name) => browser.runtime.connect({ name }),
    send: (message) => void browser.runtime.sendMessage(message).catch(() => undefined),
    devtoolsOpenedAt: Date.now(),
  });

  // Firefox only: Chromium's devtools.panels has no such event, and WXT's (Chromium) types omit it.
  const themeChanged = (browser.devtools.panels as { onThemeChanged?: ThemeChangedEvent }).onThemeChanged;
  return {
    theme: themeOf(browser.devtools.panels.themeName),
    ...(themeChanged
      ? {
          watchTheme(onTheme: (theme: 'light' | 'dark') => void) {
            const listener = (themeName: string) => onTheme(themeOf(themeName));
            themeChanged.addListener(listener);
            return () => themeChanged.removeListener(listener);
          },
        }
      : {}),
    toolVersion: browser.runtime.getManifest().version,
    reloadInspectedPage: () => void browser.devtools.inspectedWindow.reload({}),
    connect: (onFeed) => feed.connect(onFeed),
    send: (command) => feed.send(command),
    async loadSettings() {
      const stored = await browser.storage.local.get(SETTINGS_KEY);
      return parseSettings(stored[SETTINGS_KEY]);
    },
    saveSettings(settings: PanelSettings) {
      void browser.storage.local.set({ [SETTINGS_KEY]: settings });
    },
  };
}
