import { createHookRelay, offerPageHookChannel } from '../lib/capture/page-hook-channel';

// The isolated-world end of the page hook's private channel. It validates and buffers what the
// hook reports; the background hop comes later (issue 5). Only where the hook runs (Chromium).
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  exclude: ['firefox'],
  main() {
    const relay = createHookRelay();
    // Readable by the extension's own tests and benchmarks; the isolated world's globals are not the page's.
    Object.defineProperty(globalThis, '__sseInspectorRelay', { value: relay });
    offerPageHookChannel(window, (data) => relay.receive(data));
  },
});
