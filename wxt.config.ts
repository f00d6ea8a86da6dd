import { defineConfig, type WxtUnimportOptions } from 'wxt';
import preact from '@preact/preset-vite';

// Auto-imports only in entrypoints/: in lib/ and components/ unimport mistook parameters named
// `browser` (the engine's 'chromium' | 'firefox') for the extension global and pulled
// webextension-polyfill into the engine, which then threw outside an extension (the panel demo).
// `exclude` is read by unimport's Vite plugin, which WXT hands these options to; WXT's type omits it.
const autoImports: WxtUnimportOptions & { exclude: RegExp[] } = {
  exclude: [/[\\/]node_modules[\\/]/, /[\\/]\.git[\\/]/, /[\\/]lib[\\/]/, /[\\/]components[\\/]/],
};

// WXT has no Preact module; the Vite preset is enough.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: autoImports,
  manifest: {
    name: 'SSE Inspector',
    description: 'Explains why Server-Sent Events streams fail, in Chromium\'s and Firefox\'s own terms.',
    // webRequest + all hosts: every SSE request, its preflight and redirects, from page load.
    permissions: ['storage', 'webRequest'],
    host_permissions: ['<all_urls>'],
    browser_specific_settings: {
      gecko: {
        id: 'sse-inspector@sse-inspector.dev',
        strict_min_version: '128.0',
      },
    },
  },
  vite: () => ({
    plugins: [preact()],
  }),
});
