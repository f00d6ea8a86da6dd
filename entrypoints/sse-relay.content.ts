import { offerPageHookChannel } from '../lib/capture/page-hook-channel';
import { createHookRelay, windowScheduler } from '../lib/capture/page-hook-relay';
import { createRelayForwarder } from '../lib/capture/relay-forwarder';
import { nativeExtensionApi } from '../lib/native-extension-api';

// The isolated-world end of the page hook's private channel: validates what the hook reports,
// parses fetch stream bodies, and forwards the observations to the background, which files them
// under this tab and frame (lib/capture).
/** Runs in the isolated world (named: the build calls it without WXT's wrapper, see wxt.config.ts). */
export function main(): void {
  // Native, not wxt/browser: the polyfill would be parsed in every frame of every page.
  const runtime = nativeExtensionApi().runtime;
  const forwarder = createRelayForwarder({
    send: (message) => runtime.sendMessage(message),
    retryLater: (callback, ms) => setTimeout(callback, ms),
    document: crypto.randomUUID(),
  });
  let reported = 0;
  const relay = createHookRelay({
    scheduler: windowScheduler(window),
    baseUrl: () => document.baseURI,
    deliver: (messages) => {
      forwarder.push(messages);
      forwarder.rejected(relay.rejected - reported);
      reported = relay.rejected;
    },
  });
  // Readable by the extension's own benchmarks; the isolated world's globals are not the page's.
  Object.defineProperty(globalThis, '__sseInspectorRelay', { value: relay });
  offerPageHookChannel(window, (read) => relay.receiveLater(read));
}

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  globalName: false,
  main,
});
