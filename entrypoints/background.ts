import { browser } from 'wxt/browser';
import { startCaptureBackground, type BackgroundApis } from '../lib/capture/background';
import type { WebRequestApi } from '../lib/capture/web-request';

// Capture for every tab from page load (lib/capture/background.ts). Everything is registered in
// the first run of the script, so a stopped MV3 worker is woken by the events it listens to.
export default defineBackground(() => {
  const apis: BackgroundApis = {
    // The polyfill's types describe Firefox's API; both browsers' objects fit this slice.
    webRequest: browser.webRequest as unknown as WebRequestApi,
    session: browser.storage.session,
    onMessage: browser.runtime.onMessage,
    onConnect: browser.runtime.onConnect,
    onTabRemoved: browser.tabs.onRemoved,
    extensionOrigin: new URL(browser.runtime.getURL('/')).origin,
  };
  startCaptureBackground(apis);
});
