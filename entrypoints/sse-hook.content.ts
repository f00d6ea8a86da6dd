import { connectPageHook } from '../lib/capture/page-hook-channel';

/** Runs in the page's world (named: the build calls it without WXT's wrapper, see wxt.config.ts). */
export function main(): void {
  connectPageHook(window);
}

// The page-world hook (lib/capture/page-hook.ts), in both browsers (Firefox 128+ runs MAIN-world
// manifest content scripts in MV2 too). No global name: nothing of ours is left on `window`.
export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  matchAboutBlank: true,
  world: 'MAIN',
  globalName: false,
  main,
});
