import { browser } from 'wxt/browser';
import { mountCaptureLog } from '../../lib/capture/capture-log-page';

// The raw capture log of one tab (?tab=<id> or ?url=<part of the tab's URL>), as JSON lines:
// what is attached to bug reports about the capture itself, and what real-browser tests read.
void mountCaptureLog(document, new URLSearchParams(location.search), {
  findTab: async (urlPart) => {
    const own = browser.runtime.getURL('/');
    const tabs = await browser.tabs.query({});
    return tabs.find((tab) => tab.url !== undefined && !tab.url.startsWith(own) && tab.url.includes(urlPart))?.id ?? null;
  },
  connect: (name) => browser.runtime.connect({ name }),
});
