import { connectPageHook } from '../lib/capture/page-hook-channel';

// The page-world hook (lib/capture/page-hook.ts). Chromium only: Firefox's MV2 build has no MAIN
// world for manifest content scripts (issue 8). No global name: nothing of ours is left on `window`.
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  world: 'MAIN',
  exclude: ['firefox'],
  globalName: false,
  main() {
    connectPageHook(window);
  },
});
