import { browser } from 'wxt/browser';
import { forwardDevtoolsNetwork, type DevtoolsNetworkApi } from '../../lib/capture/devtools-network';

// The DevTools page lives as long as the inspected tab's DevTools window: it registers the panel
// and forwards what devtools.network sees of event streams to the background (lib/capture).
const tabId = browser.devtools.inspectedWindow.tabId;
// The polyfill types devtools.network as Firefox's; both browsers' objects fit this slice.
forwardDevtoolsNetwork(browser.devtools.network as unknown as DevtoolsNetworkApi, tabId, (message) => void browser.runtime.sendMessage(message).catch(() => undefined));
void browser.devtools.panels.create('SSE Inspector', '', '/devtools-panel.html');
