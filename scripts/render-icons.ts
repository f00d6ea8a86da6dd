import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../test/browser-truth/browsers';

/**
 * Renders assets/icon.svg to the PNG sizes the stores and browsers ask for, into public/icon/
 * (WXT puts `icon/<size>.png` into the manifest's `icons`). Chrome does not take SVG icons.
 * Run after changing the SVG: `npx tsx scripts/render-icons.ts`.
 */
const ROOT = join(import.meta.dirname, '..');
const SIZES = [16, 32, 48, 96, 128];

const svg = readFileSync(join(ROOT, 'assets/icon.svg'), 'utf8');
const outDir = join(ROOT, 'public/icon');
mkdirSync(outDir, { recursive: true });
const chromium = await launchChromium();
try {
  const page = await chromium.browser.newPage();
  for (const size of SIZES) {
    await page.setViewport({ width: size, height: size, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
    const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    writeFileSync(join(outDir, `${size}.png`), png);
  }
} finally {
  await chromium.close();
}
console.log(`wrote ${SIZES.map((s) => `public/icon/${s}.png`).join(', ')}`);
