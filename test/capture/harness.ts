import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { CaptureObservation } from '../../lib/capture/protocol';
import { launchChromium } from '../browser-truth/browsers';
import { observeInPage, type PageObservation, type PageScenario } from '../browser-truth/observe';
import { Marionette } from '../firefox/marionette';

/**
 * Real browsers with the built extension loaded, for the capture suites, behind one small driver:
 * - Chromium over CDP (puppeteer-core) with --load-extension; its MV3 worker is a target;
 * - Firefox over Marionette with the add-on installed temporarily under a fixed internal UUID
 *   (WebDriver BiDi cannot open moz-extension:// pages).
 * The capture is read back through the extension's capture-log page, the same in both browsers.
 */
export type BrowserName = 'chromium' | 'firefox';

const ROOT = join(import.meta.dirname, '../..');
const GECKO_ID = 'sse-inspector@sse-inspector.dev';
const FIREFOX_UUID = '5e1ec7ed-5e1e-4c7e-9d00-000000000001';

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

/** A tab opened by a driver (a puppeteer Page, or a Marionette window handle). */
export interface Tab {
  close(): Promise<void>;
}

export interface CaptureDriver {
  readonly name: BrowserName;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`. */
  readonly extensionOrigin: string;
  /** Opens `pageUrl` in a new tab and runs the truth suite's observeInPage there; the tab stays open. */
  observe(pageUrl: string, url: string, scenario: PageScenario, windowMs: number): Promise<{ observation: PageObservation; tab: Tab }>;
  /** The capture of the first tab whose URL contains `urlPart`. */
  readCapture(urlPart: string): Promise<CaptureObservation[]>;
  close(): Promise<void>;
}

function parseLog(text: string): CaptureObservation[] {
  return text === '' ? [] : text.split('\n').map((line) => JSON.parse(line) as CaptureObservation);
}

const captureLogUrl = (origin: string, urlPart: string) => `${origin}/capture-log.html?url=${encodeURIComponent(urlPart)}`;

export interface ChromiumDriver extends CaptureDriver {
  readonly browser: Browser;
}

export async function launchChromiumDriver(options: { devtools?: boolean } = {}): Promise<ChromiumDriver> {
  const dir = extensionDir('chromium');
  const launched = await launchChromium({
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [`--load-extension=${dir}`, `--disable-extensions-except=${dir}`, ...(options.devtools ? ['--auto-open-devtools-for-tabs'] : [])],
  });
  const worker = await until(async () => launched.browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://')), 'the extension service worker');
  const extensionOrigin = `chrome-extension://${new URL(worker.url()).host}`;
  let logPage: Page | null = null;
  return {
    name: 'chromium',
    browser: launched.browser,
    extensionOrigin,
    async observe(pageUrl, url, scenario, windowMs) {
      const page = await launched.browser.newPage();
      await page.goto(pageUrl);
      // Under tsx (the fixture recorder) serialized functions call esbuild's `__name` helper.
      await page.evaluate('globalThis.__name ??= (f) => f');
      const observation = await page.evaluate(observeInPage, url, scenario, windowMs);
      return { observation, tab: { close: () => page.close() } };
    },
    async readCapture(urlPart) {
      logPage ??= await launched.browser.newPage();
      const target = captureLogUrl(extensionOrigin, urlPart);
      if (logPage.url() !== target) await logPage.goto(target);
      return parseLog(await logPage.$eval('#log', (log) => log.textContent ?? ''));
    },
    close: () => launched.close(),
  };
}

export interface FirefoxDriver extends CaptureDriver {
  /** The session itself, for what goes beyond capture (DevTools, screenshots). */
  readonly marionette: Marionette;
}

export async function launchFirefoxDriver(): Promise<FirefoxDriver> {
  const dir = extensionDir('firefox');
  const marionette = await Marionette.launch({ 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }) });
  try {
    await marionette.installAddon(dir);
  } catch (error) {
    await marionette.close();
    throw error;
  }
  const extensionOrigin = `moz-extension://${FIREFOX_UUID}`;
  const home = (await marionette.send<{ value: string }>('WebDriver:GetWindowHandle')).value;
  let logTab: string | null = null;
  let logUrl = '';
  // Marionette drives one tab at a time: every call switches to the tab it needs.
  return {
    name: 'firefox',
    marionette,
    extensionOrigin,
    async observe(pageUrl, url, scenario, windowMs) {
      const handle = await marionette.newTab();
      await marionette.navigate(pageUrl);
      const observation = await marionette.executeAsync<PageObservation>(
        // `__name`: under tsx (the fixture recorder) the function's source calls esbuild's helper.
        `const done = arguments[arguments.length - 1]; globalThis.__name ??= (f) => f; (${observeInPage.toString()})(arguments[0], arguments[1], arguments[2]).then(done);`,
        [url, scenario, windowMs],
        windowMs + 30_000,
      );
      return {
        observation,
        tab: {
          close: async () => {
            await marionette.switchTo(handle);
            await marionette.closeTab();
            await marionette.switchTo(home);
          },
        },
      };
    },
    async readCapture(urlPart) {
      logTab ??= await marionette.newTab();
      await marionette.switchTo(logTab);
      const target = captureLogUrl(extensionOrigin, urlPart);
      if (logUrl !== target) {
        await marionette.navigate(target);
        logUrl = target;
      }
      return parseLog(await marionette.execute<string>(`return document.getElementById('log')?.textContent ?? ''`));
    },
    close: () => marionette.close(),
  };
}

export function launchDriver(name: BrowserName, options: { devtools?: boolean } = {}): Promise<CaptureDriver> {
  return name === 'chromium' ? launchChromiumDriver(options) : launchFirefoxDriver();
}
