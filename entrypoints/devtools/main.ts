import { browser } from 'wxt/browser';
import { forwardDevtoolsNetwork, type DevtoolsNetworkApi } from '../../lib/capture/devtools-network';

// The DevTools page lives as long as the inspected tab's DevTools window: it registers the panel
// and forwards what devtools.network sees of event streams to the background (lib/capture).
const tabId = browser.devtools.inspectedWindow.tabId;
// The polyfill types devtools.network as Firefox's; both browsers' objects fit this slice.
const network = forwardDevtoolsNetwork(browser.devtools.network as unknown as DevtoolsNetworkApi, tabId, (message) => void browser.runtime.sendMessage(message).catch(() => undefined));
// With the polyfill (Chromium) and natively (Firefox), create() gives a promise of the panel; the
// types describe Chromium's callback form.
interface ExtensionPanel {
  readonly onShown: { addListener(callback: () => void): void };
  readonly onHidden: { addListener(callback: () => void): void };
}
const panels = browser.devtools.panels as unknown as { create(title: string, iconPath: string, pagePath: string): Promise<ExtensionPanel> };
void panels.create('SSE Inspector', '', '/devtools-panel.html').then((panel) => {
  // Chromium hands each finished request over whole, an EventSource's every message included, on
  // the thread the panel shares with this page: while the panel is shown, none are taken in (see
  // devtools-network.ts). Firefox's entries carry no messages (bodies are asked for, bounded), and
  // its devtools.network stays live.
  if (import.meta.env.FIREFOX) return;
  panel.onShown.addListener(() => network.pause());
  panel.onHidden.addListener(() => network.resume());
});
