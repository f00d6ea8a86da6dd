import { browser } from 'wxt/browser';
import type { PanelFeed } from '../capture/captured';
import type { PanelHost } from './host';
import { parseSettings, type PanelSettings } from './settings';

const SETTINGS_KEY = 'panelSettings';

/**
 * The panel's host inside the extension.
 *
 * STUB for the feed: `connect` and `send` do not reach the capture pipeline yet. The capture
 * engineer replaces them with the DevTools page -> panel messages (lib/capture/captured.ts
 * PanelFeed / PanelCommand); until then the panel shows its "nothing captured" state, and the
 * capture controls only change the panel's own idea of the capture state.
 * Settings, theme, version and reload are real.
 */
export function createExtensionHost(): PanelHost {
  const listeners = new Set<(feed: PanelFeed) => void>();
  let recording = true;
  let preserveLog = false;
  const emit = (feed: PanelFeed) => listeners.forEach((listener) => listener(feed));

  return {
    // Chromium says 'default' or 'dark', Firefox 'light' or 'dark'.
    theme: browser.devtools.panels.themeName === 'dark' ? 'dark' : 'light',
    toolVersion: browser.runtime.getManifest().version,
    reloadInspectedPage: () => void browser.devtools.inspectedWindow.reload({}),
    connect(onFeed) {
      listeners.add(onFeed);
      onFeed({ type: 'capture-state', recording, preserveLog });
      return () => listeners.delete(onFeed);
    },
    send(command) {
      switch (command.type) {
        case 'set-recording':
          recording = command.recording;
          return emit({ type: 'capture-state', recording, preserveLog });
        case 'set-preserve-log':
          preserveLog = command.preserve;
          return emit({ type: 'capture-state', recording, preserveLog });
        case 'clear':
          return emit({ type: 'reset', reason: 'cleared' });
      }
    },
    async loadSettings() {
      const stored = await browser.storage.local.get(SETTINGS_KEY);
      return parseSettings(stored[SETTINGS_KEY]);
    },
    saveSettings(settings: PanelSettings) {
      void browser.storage.local.set({ [SETTINGS_KEY]: settings });
    },
  };
}
