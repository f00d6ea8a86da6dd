import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'puppeteer-core';
import { startPlayground } from '../playground/server';
import { launchChromiumDriver, until } from '../test/capture/harness';
import { PANEL_CASES, caseUrls, openClient } from '../test/extension/panel-cases';
import { openPanel, setDevtoolsTheme } from '../test/extension/panel-harness';

/**
 * Screenshots of the panel in real Chromium's DevTools, for the README: the built extension
 * (`npm run build` first), a playground page that opened the panel suite's ten streams, then in
 * DevTools' light and its dark theme (switched with the panel open, which it follows) a blocked
 * stream's Diagnosis and a reconnect loop's Timeline. Writes docs/panel-<view>-<theme>.png.
 * Run: `npm run screenshots` (scripts/firefox-screenshot.ts takes Firefox's).
 */
const ROOT = join(import.meta.dirname, '..');
const BLOCKED = 'acao-wildcard';
const LOOP = 'reconnect-loop';
/** Attempts of the loop to wait for, so its Timeline shows the loop. */
const LOOP_ATTEMPTS = 12;

const nextFrames = (panel: Frame) => panel.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));

async function selectRow(panel: Frame, url: string): Promise<void> {
  await panel.$$eval('[data-testid="stream-row"]', (rows, wanted) => (rows.find((r) => r.getAttribute('data-url') === wanted) as HTMLElement | undefined)?.click(), url);
  await until(() => panel.$(`[data-testid="stream-row"][aria-selected="true"][data-url="${url}"]`), `the row of ${url} selected`);
}

async function openTab(panel: Frame, id: string): Promise<void> {
  await panel.click(`#tab-${id}`);
  await until(() => panel.$(`#tab-${id}[aria-selected="true"]`), `the ${id} tab`);
  // Every tab but Diagnosis loads its code when first opened.
  await until(async () => ((await panel.$('[data-testid="lazy-loading"]')) === null ? true : null), `the ${id} tab's code`);
}

async function shoot(devtools: Page, panel: Frame, name: string): Promise<void> {
  await nextFrames(panel);
  const file = join(ROOT, 'docs', `${name}.png`);
  writeFileSync(file, await devtools.screenshot({ type: 'png' }));
  console.log(`wrote ${file}`);
}

const playground = await startPlayground();
const chromium = await launchChromiumDriver({ devtools: true });
try {
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  const { page, panel, devtools } = await openPanel(chromium, `${playground.pageOrigin}/?inspected=screenshots`);
  // Undocked, DevTools fills its window; docked, half the shot would be the page's empty place.
  await devtools.evaluate(`(async () => {
    const legacy = await import('./ui/legacy/legacy.js');
    legacy.DockController.DockController.instance().setDockSide('undocked');
  })()`);
  await devtools.setViewport({ width: 1100, height: 720 });
  await page.evaluate('window.sources = []');
  const urls = caseUrls(playground, 'screenshot');
  for (const [i, c] of PANEL_CASES.entries()) await page.evaluate(openClient(urls[i] as string, c.client));
  await until(async () => ((await panel.$$('[data-testid="stream-row"]')).length === PANEL_CASES.length ? true : null), 'every stream in the panel');
  const blocked = urls[PANEL_CASES.findIndex((c) => c.endpoint === BLOCKED)] as string;
  const loop = urls[PANEL_CASES.findIndex((c) => c.endpoint === LOOP)] as string;
  await until(
    () => panel.$eval(`[data-testid="stream-row"][data-url="${loop}"]`, (row, wanted) => Number(row.getAttribute('data-attempts')) >= wanted || null, LOOP_ATTEMPTS),
    `${LOOP_ATTEMPTS} attempts of the loop`,
  );

  for (const theme of ['light', 'dark'] as const) {
    await setDevtoolsTheme(devtools, theme === 'dark' ? 'dark' : 'default');
    await until(() => panel.$(`[data-testid="panel"][data-theme="${theme}"]`), `the panel in the ${theme} theme`);

    await selectRow(panel, blocked);
    await openTab(panel, 'diagnosis');
    await until(() => panel.$('[data-testid="finding"][data-rule-id="acao-wildcard-with-credentials"] [data-testid="fix-snippet"]'), 'the diagnosis and its fix');
    await shoot(devtools, panel, `panel-diagnosis-${theme}`);

    await selectRow(panel, loop);
    await openTab(panel, 'timeline');
    await until(() => panel.$('[data-testid="retry-interval"]'), 'the reconnect interval');
    await shoot(devtools, panel, `panel-retry-loop-${theme}`);
  }
  await page.evaluate('window.sources.forEach((s) => s.close())');
} finally {
  await chromium.close();
  await playground.close();
}
