import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// WXT has no Preact module; the Vite preset is enough.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
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
