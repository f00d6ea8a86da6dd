import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { CaptureObservation } from '../../lib/capture/protocol';
import { launchChromium, launchFirefox, type LaunchedBrowser } from '../browser-truth/browsers';

/**
 * Real browsers with the built extension loaded, for the capture suites: Chromium with
 * --load-extension (its MV3 service worker is a CDP target), Firefox with the add-on installed over
 * WebDriver BiDi under a fixed internal UUID, so its pages have a known moz-extension:// origin.
 * The capture is read back through the extension's capture-log page, the same in both browsers.
 */
export type BrowserName = 'chromium' | 'firefox';

const ROOT = join(import.meta.dirname, '../..');
const GECKO_ID = 'sse-inspector@sse-inspector.dev';
const FIREFOX_UUID = '5e1ec7ed-5e1e-4c7e-9d00-000000000001';

export interface ExtensionBrowser extends LaunchedBrowser {
  readonly name: BrowserName;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`. */
  readonly extensionOrigin: string;
}

export function extensionDir(name: BrowserName): string {
  const dir = join(ROOT, '.output', name === 'chromium' ? 'chrome-mv3' : 'firefox-mv2');
  if (!existsSync(join(dir, 'manifest.json'))) throw new Error(`build the extension first: ${name === 'chromium' ? 'npm run build' : 'npm run build:firefox'}`);
  return dir;
}

/** Polls `probe` until it returns a value: waiting for a condition, never for a fixed time. */
export async function until<T>(probe: () => Promise<T | null | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null && value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function launchWithExtension(name: BrowserName, options: { devtools?: boolean } = {}): Promise<ExtensionBrowser> {
  const dir = extensionDir(name);
  if (name === 'chromium') {
    const launched = await launchChromium({
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [`--load-extension=${dir}`, `--disable-extensions-except=${dir}`, ...(options.devtools ? ['--auto-open-devtools-for-tabs'] : [])],
    });
    const worker = await until(async () => launched.browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://')), 'the extension service worker');
    return { ...launched, name, extensionOrigin: `chrome-extension://${new URL(worker.url()).host}` };
  }
  const launched = await launchFirefox({ 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }) });
  await launched.browser.installExtension(dir);
  return { ...launched, name, extensionOrigin: `moz-extension://${FIREFOX_UUID}` };
}

/** The tab's capture as the extension holds it, read through its capture-log page. */
export async function readCapture(page: Page, extensionOrigin: string, urlPart: string): Promise<CaptureObservation[]> {
  const target = `${extensionOrigin}/capture-log.html?url=${encodeURIComponent(urlPart)}`;
  if (page.url() !== target) await page.goto(target);
  const text = await page.$eval('#log', (log) => log.textContent ?? '');
  return text === '' ? [] : text.split('\n').map((line) => JSON.parse(line) as CaptureObservation);
}

export async function newPage(browser: Browser): Promise<Page> {
  return browser.newPage();
}
