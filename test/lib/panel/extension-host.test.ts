import { describe, expect, it } from 'vitest';
import type { PortLike } from '@/lib/capture/subscription';
import { createExtensionHost, type PanelExtensionApi } from '@/lib/panel/extension-host';

/** The port the capture feed opens on creation: it only has to exist here. */
const idlePort: PortLike = {
  postMessage: () => undefined,
  onMessage: { addListener: () => undefined },
  onDisconnect: { addListener: () => undefined },
  disconnect: () => undefined,
};

function extensionApi(panels: PanelExtensionApi['devtools']['panels']): PanelExtensionApi {
  return {
    devtools: { inspectedWindow: { tabId: 7, reload: () => undefined }, panels },
    runtime: { connect: () => idlePort, sendMessage: async () => undefined, getManifest: () => ({ version: '1.2.3' }) },
    storage: { local: { get: async () => ({}), set: async () => undefined } },
  };
}

/** Chromium's devtools.panels: themeName, and at most one theme handler per page. */
function chromiumPanels(themeName: 'default' | 'dark') {
  const panels = {
    themeName,
    handler: null as ((themeName: string) => void) | null,
    setThemeChangeHandler(handler?: (themeName: string) => void) {
      panels.handler = handler ?? null;
    },
    /** What DevTools does when the user picks another theme. */
    switchTo(name: 'default' | 'dark') {
      panels.themeName = name;
      panels.handler?.(name);
    },
  };
  return panels;
}

/** Firefox's devtools.panels: themeName and an onThemeChanged event. */
function firefoxPanels(themeName: 'light' | 'dark') {
  const listeners = new Set<(themeName: string) => void>();
  return {
    themeName,
    onThemeChanged: { addListener: (l: (t: string) => void) => void listeners.add(l), removeListener: (l: (t: string) => void) => void listeners.delete(l) },
    switchTo: (name: 'light' | 'dark') => listeners.forEach((l) => l(name)),
    listeners,
  };
}

describe('the extension host follows DevTools\' theme', () => {
  it('in Chromium: starts from themeName, follows setThemeChangeHandler, and removes its handler after the last watcher stops', () => {
    const panels = chromiumPanels('default');
    const host = createExtensionHost(extensionApi(panels));
    expect(host.theme).toBe('light');
    const first: string[] = [];
    const second: string[] = [];
    const stopFirst = host.watchTheme!((theme) => first.push(theme));
    const stopSecond = host.watchTheme!((theme) => second.push(theme));
    panels.switchTo('dark');
    expect([first, second]).toEqual([['dark'], ['dark']]);
    stopFirst();
    panels.switchTo('default');
    expect([first, second]).toEqual([['dark'], ['dark', 'light']]);
    expect(panels.handler).not.toBeNull();
    stopSecond();
    expect(panels.handler).toBeNull();
    // Stopping twice does not take another watcher's handler away.
    const third: string[] = [];
    host.watchTheme!((theme) => third.push(theme));
    stopSecond();
    panels.switchTo('dark');
    expect(third).toEqual(['dark']);
  });

  it('in Firefox: starts from themeName and follows onThemeChanged until stopped', () => {
    const panels = firefoxPanels('dark');
    const host = createExtensionHost(extensionApi(panels));
    expect(host.theme).toBe('dark');
    const seen: string[] = [];
    const stop = host.watchTheme!((theme) => seen.push(theme));
    panels.switchTo('light');
    stop();
    panels.switchTo('dark');
    expect(seen).toEqual(['light']);
    expect(panels.listeners.size).toBe(0);
  });

  it('cannot watch where the browser cannot tell', () => {
    const host = createExtensionHost(extensionApi({ themeName: 'dark' }));
    expect(host.theme).toBe('dark');
    expect(host.watchTheme).toBeUndefined();
  });
});
