import { browser } from 'wxt/browser';
import { offerPageHookChannel } from '../lib/capture/page-hook-channel';
import { parsePageHookBatch } from '../lib/capture/protocol';
import { createRelayForwarder } from '../lib/capture/relay-forwarder';

// The isolated-world end of the page hook's private channel: validates what the hook reports and
// forwards it to the background, which files it under this tab and frame.
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  main() {
    const forwarder = createRelayForwarder({
      send: (message) => browser.runtime.sendMessage(message),
      retryLater: (callback, ms) => setTimeout(callback, ms),
      document: crypto.randomUUID(),
    });
    offerPageHookChannel(window, (data) => {
      const batch = parsePageHookBatch(data);
      forwarder.push(batch.messages);
      forwarder.rejected(batch.rejected);
    });
  },
});
