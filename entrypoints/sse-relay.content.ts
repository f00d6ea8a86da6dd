import { offerPageHookChannel } from '../lib/capture/page-hook-channel';
import { createHookRelay, windowScheduler } from '../lib/capture/page-hook-relay';

// The isolated-world end of the page hook's private channel. It validates what the hook reports,
// parses fetch and XHR stream bodies, and buffers the result; the background hop comes later
// (issue 5). Only where the hook runs (Chromium).
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  exclude: ['firefox'],
  main() {
    const relay = createHookRelay({ scheduler: windowScheduler(window), baseUrl: () => document.baseURI });
    // Readable by the extension's own tests and benchmarks; the isolated world's globals are not the page's.
    Object.defineProperty(globalThis, '__sseInspectorRelay', { value: relay });
    offerPageHookChannel(window, (read) => relay.receiveLater(read));
  },
});
