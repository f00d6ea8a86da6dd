import { createCaptureFeed } from '../capture/panel-feed';
import type { DevtoolsToBackground } from '../capture/protocol';
import type { PortLike } from '../capture/subscription';
import type { PanelHost } from './host';
import { parseSettings, type PanelSettings } from './settings';
import { nativeExtensionApi } from '../native-extension-api';

const SETTINGS_KEY = 'panelSettings';

type DevtoolsTheme = 'light' | 'dark';

interface ThemeChangedEvent {
  addListener(listener: (themeName: string) => void): void;
  removeListener(listener: (themeName: string) => void): void;
}

/** What the panel's host uses of the extension API: `chrome` in Chromium, `browser` in Firefox. */
export interface PanelExtensionApi {
  readonly devtools: {
    readonly inspectedWindow: { readonly tabId: number; reload(options?: object): void };
    readonly panels: {
      /** Chromium says 'default' or 'dark', Firefox 'light' or 'dark'. */
      readonly themeName: string;
      /** Chromium 99+: one handler per page, replaced by the next call, removed by a call without one. */
      setThemeChangeHandler?(handler?: (themeName: string) => void): void;
      /** Firefox. */
      readonly onThemeChanged?: ThemeChangedEvent;
    };
  };
  readonly runtime: {
    connect(connectInfo: { name: string }): PortLike;
    sendMessage(message: DevtoolsToBackground): Promise<unknown>;
    getManifest(): { readonly version: string };
  };
  readonly storage: {
    readonly local: {
      get(key: string): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    };
  };
}

const themeOf = (themeName: string): DevtoolsTheme => (themeName === 'dark' ? 'dark' : 'light');

/**
 * DevTools' theme changes while the panel is open, where the browser tells: Firefox's
 * devtools.panels.onThemeChanged, Chromium's devtools.panels.setThemeChangeHandler (Chromium 156
 * keeps the panel loaded when the theme changes: without it the panel stayed in the old theme).
 * Chromium takes one handler per page, so one is installed for every watcher and removed after the last.
 */
function themeWatcher(panels: PanelExtensionApi['devtools']['panels']): PanelHost['watchTheme'] {
  const { onThemeChanged, setThemeChangeHandler } = panels;
  if (onThemeChanged) {
    return (onTheme) => {
      const listener = (themeName: string) => onTheme(themeOf(themeName));
      onThemeChanged.addListener(listener);
      return () => onThemeChanged.removeListener(listener);
    };
  }
  if (!setThemeChangeHandler) return undefined;
  const watchers = new Set<(theme: DevtoolsTheme) => void>();
  const dispatch = (themeName: string) => {
    for (const watcher of [...watchers]) watcher(themeOf(themeName));
  };
  return (onTheme) => {
    // A function of its own per watch, so one watcher watching twice is stopped once per watch.
    const watcher = (theme: DevtoolsTheme) => onTheme(theme);
    if (watchers.size === 0) setThemeChangeHandler.call(panels, dispatch);
    watchers.add(watcher);
    return () => {
      if (!watchers.delete(watcher) || watchers.size > 0) return;
      setThemeChangeHandler.call(panels);
    };
  };
}

/**
 * The panel's host inside the extension: the live capture of the inspected tab
 * (lib/capture/panel-feed.ts: the background's log for this tab, merged into streams), the
 * DevTools theme, settings in extension storage, and reloading the inspected page.
 */
export function createExtensionHost(api: PanelExtensionApi = nativeExtensionApi()): PanelHost {
  const feed = createCaptureFeed({
    tabId: api.devtools.inspectedWindow.tabId,
    browser: import.meta.env.FIREFOX ? 'firefox' : 'chromium',
    connect: (name) => api.runtime.connect({ name }),
    send: (message) => void api.runtime.sendMessage(message).catch(() => undefined),
    devtoolsOpenedAt: Date.now(),
  });
  const watchTheme = themeWatcher(api.devtools.panels);

  return {
    theme: themeOf(api.devtools.panels.themeName),
    ...(watchTheme ? { watchTheme } : {}),
    toolVersion: api.runtime.getManifest().version,
    reloadInspectedPage: () => void api.devtools.inspectedWindow.reload({}),
    connect: (onFeed) => feed.connect(onFeed),
    send: (command) => feed.send(command),
    async loadSettings() {
      const stored = await api.storage.local.get(SETTINGS_KEY);
      return parseSettings(stored[SETTINGS_KEY]);
    },
    saveSettings(settings: PanelSettings) {
      void api.storage.local.set({ [SETTINGS_KEY]: settings });
    },
  };
}
