import { browser } from 'wxt/browser';
import { createCaptureFeed } from '../capture/panel-feed';
import type { PanelHost } from './host';
import { parseSettings, type PanelSettings } from './settings';

const SETTINGS_KEY = 'panelSettings';

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

  return {
    // Chromium says 'default' or 'dark', Firefox 'light' or 'dark'.
    theme: browser.devtools.panels.themeName === 'dark' ? 'dark' : 'light',
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
