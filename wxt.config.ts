import { defineConfig, type WxtUnimportOptions } from 'wxt';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';

// Auto-imports only in entrypoints/: in lib/ and components/ unimport mistook parameters named
// `browser` (the engine's 'chromium' | 'firefox') for the extension global and pulled
// webextension-polyfill into the engine, which then threw outside an extension (the panel demo).
// `exclude` is read by unimport's Vite plugin, which WXT hands these options to; WXT's type omits it.
const autoImports: WxtUnimportOptions & { exclude: RegExp[] } = {
  exclude: [/[\\/]node_modules[\\/]/, /[\\/]\.git[\\/]/, /[\\/]lib[\\/]/, /[\\/]components[\\/]/],
};

// Firefox's built-in data consent (https://mzl.la/firefox-builtin-data-consent): the add-on sends
// nothing anywhere, so it declares `none`. The key exists from Firefox 140 (ESR 140) and Firefox for
// Android 142, hence the minimum versions (128 would make web-ext lint warn). WXT 0.21's manifest
// type does not know the key yet; a typed constant (not a fresh literal) passes it through unchanged.
const gecko: { id: string; strict_min_version: string; data_collection_permissions: { required: ['none'] } } = {
  id: 'sse-inspector@sse-inspector.dev',
  strict_min_version: '140.0',
  data_collection_permissions: { required: ['none'] },
};

/**
 * Preact's renderer carries one innerHTML sink, `dom.innerHTML = props.dangerouslySetInnerHTML.__html`
 * (src/diff/index.js), which addons-linter rightly flags (UNSAFE_VAR_ASSIGNMENT) in the bundled
 * panel. The panel never uses dangerouslySetInnerHTML (STYLE.md: no innerHTML with captured data), so
 * the build replaces that assignment with a throw: the shipped code has no innerHTML sink at all
 * and a future use fails loudly instead of parsing markup. The build fails if Preact's code changes
 * shape, so an upgrade cannot silently bring the sink back.
 */
function preactWithoutInnerHtml(): Plugin {
  const SINK = /\b([A-Za-z_$][\w$]*)\.innerHTML=([A-Za-z_$][\w$]*)\.__html\b/g;
  return {
    name: 'sse-inspector:preact-without-inner-html',
    enforce: 'pre',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').endsWith('/node_modules/preact/dist/preact.mjs')) return null;
      const sinks = code.match(SINK) ?? [];
      if (sinks.length !== 1) this.error(`expected exactly one innerHTML assignment in preact.mjs, found ${sinks.length}: update this plugin for the new Preact`);
      return { code: code.replace(SINK, '(()=>{throw new Error("SSE Inspector renders no raw HTML (dangerouslySetInnerHTML)")})()'), map: null };
    },
  };
}

/**
 * WXT wraps a content script's `main()` in an async try/catch with a logger that prints nothing in
 * production builds and an empty plugin initializer, keeps the whole definition object (matches,
 * runAt...) in the bundle and, in the isolated world, builds a ContentScriptContext, which brings
 * webextension-polyfill with it. The page hook and its relay run in every frame of every page and use
 * none of it (the relay calls the browser's own runtime API, lib/native-extension-api.ts): for
 * entries that export a named `main`, this calls it directly, which behaves the same (a throw still
 * surfaces as an uncaught error). The hook saves about 450 bytes (of 5.1 KB), the relay about
 * 14 KB. The definition is still what WXT reads for the manifest. The build fails if the entry has no
 * `main` export.
 */
function bareContentScriptEntries(): Plugin {
  const VIRTUAL = /^\0virtual:wxt-content-script-(?:main|isolated)-world-entrypoint\?/;
  const BARE = /[\\/]entrypoints[\\/]sse-(?:hook|relay)\.content\.ts$/;
  return {
    name: 'sse-inspector:bare-content-script-entries',
    enforce: 'pre',
    load(id) {
      const prefix = VIRTUAL.exec(id)?.[0];
      const entry = prefix ? id.slice(prefix.length) : '';
      if (!prefix || !BARE.test(entry)) return null;
      return `import { main } from ${JSON.stringify(entry)};\nmain();\n`;
    },
  };
}

/**
 * Property names of the page hook's private state (lib/capture/page-hook.ts: EventSourceTap,
 * XhrTap, and PageHookLimits, which in the extension is always the hook's own default), which
 * never leave its bundle: the hook's build shortens them like local variables. Anything the hook
 * shares with other code (wire tuples, DOM properties) keeps its name. The relay's bundle is not
 * affected; test/lib/capture runs the source, the real-browser suites the build.
 */
const HOOK_PRIVATE_PROPERTIES = /^(?:types|events|dropped|request|requestedAt|seen|id|maxEventsPerStream|maxPendingMessages|maxDelayMs|pinned)$/;

/**
 * The page hook is minified by terser rather than esbuild: it is injected into every frame of
 * every page, and terser's extra passes take about 140 bytes more off it. Only safe transforms:
 * the hook relies on `this` in its methods, on every getter it calls being called, and on its
 * class being named `EventSource` (as the native), which `keep_classnames` leaves for the page.
 */
const HOOK_TERSER_OPTIONS = {
  ecma: 2020,
  compress: { passes: 3, keep_classnames: /^EventSource$/ },
  mangle: { keep_classnames: /^EventSource$/ },
  format: { comments: false },
} as const;

// WXT has no Preact module; the Vite preset is enough.
export default defineConfig({
  hooks: {
    // Only the MAIN-world hook's build (private property names shortened, terser): every other
    // bundle keeps its property names and Vite's esbuild minifier.
    'vite:build:extendConfig'(entrypoints, config) {
      if (!entrypoints.some((entry) => entry.name === 'sse-hook')) return;
      config.esbuild = { ...(config.esbuild || {}), mangleProps: HOOK_PRIVATE_PROPERTIES };
      config.build = { ...config.build, minify: 'terser', terserOptions: HOOK_TERSER_OPTIONS };
    },
  },
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: autoImports,
  manifest: ({ browser }) => ({
    name: 'SSE Inspector',
    description: 'Explains why Server-Sent Events streams fail, in Chromium\'s and Firefox\'s own terms.',
    // webRequest + all hosts: every SSE request, its preflight and redirects, from page load.
    permissions: ['storage', 'webRequest'],
    host_permissions: ['<all_urls>'],
    // Firefox only: Chrome warns about the unknown key on chrome://extensions.
    ...(browser === 'firefox' ? { browser_specific_settings: { gecko, gecko_android: { strict_min_version: '142.0' } } } : {}),
  }),
  // The README's screenshots are not needed to rebuild the add-on from the sources archive.
  zip: { excludeSources: ['docs/**'] },
  vite: () => ({
    plugins: [preactWithoutInnerHtml(), bareContentScriptEntries(), preact()],
    // No modulepreload links, polyfill or preload helper: an extension page loads its chunks from
    // the package on disk, where discovering them as imports costs a millisecond, and the helper
    // and polyfill were 0.9 KB gzipped of the panel's 60 KB budget (test/panel/bundle-size.test.ts).
    build: { modulePreload: false },
  }),
});
