import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type LaunchOptions } from 'puppeteer-core';

/** Debian's browsers, launched the way ../shared/reference/real-browser-testing.md describes. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export function requireExecutable(path: string, aptPackage: string): void {
  if (!existsSync(path)) throw new Error(`${path} not found: install it with 'apt-get install ${aptPackage}' (npm test does this when run as root)`);
}

// Without the networking flags Chromium keeps trying to reach the internet, which this machine refuses.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export interface LaunchedBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(extra: Partial<LaunchOptions> = {}): Promise<LaunchedBrowser> {
  requireExecutable(CHROMIUM_PATH, 'chromium');
  const userDataDir = mkdtempSync(join(tmpdir(), 'sse-truth-chromium-'));
  const browser = await puppeteer.launch({
    ...extra,
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    userDataDir,
    args: [...CHROMIUM_ARGS, ...(extra.args ?? [])],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function launchFirefox(extraPrefs: Record<string, unknown> = {}): Promise<LaunchedBrowser> {
  requireExecutable(FIREFOX_PATH, 'firefox-esr');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: {
      // Keep Firefox off the network: no updates, telemetry or captive-portal checks.
      'network.captive-portal-service.enabled': false,
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.connectivity-service.enabled': false,
      ...extraPrefs,
    },
  });
  return { browser, close: () => browser.close() };
}
