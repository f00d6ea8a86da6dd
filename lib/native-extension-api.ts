/**
 * The extension API as the browser gives it, not through wxt/browser: with WXT's polyfill module
 * that is webextension-polyfill (about 10 KB minified), which every page's frames would parse for
 * the relay and the panel would load first. The calls made through this are promise-based natively
 * (Chromium's MV3 `chrome`, Firefox's `browser`). Chosen the way @wxt-dev/browser chooses:
 * Firefox's `browser` when it is the extension API, else `chrome`.
 */
export function nativeExtensionApi(): typeof chrome {
  const firefox = (globalThis as { browser?: typeof chrome }).browser;
  return firefox?.runtime?.id ? firefox : chrome;
}
