import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPlayground } from '../../playground/server';
import { CAPTURE_CASES, runCase } from './cases';
import { launchDriver, type BrowserName } from './harness';

/**
 * Records the capture fixtures the merger's unit tests read: for each case, the tab's raw capture
 * log from real Chromium and Firefox, with what the page saw. Run after building both targets:
 *   npm run build && npm run build:firefox && npx tsx test/capture/record-fixtures.ts [case regex] [chromium,firefox]
 * Ports in the recorded URLs differ per run; the tests read them from the fixture itself.
 */
const OUT = join(import.meta.dirname, '../fixtures/capture');
const only = process.argv[2] ? new RegExp(process.argv[2]) : null;
const browsers = (process.argv[3]?.split(',') ?? ['chromium', 'firefox']) as BrowserName[];

const playground = await startPlayground();
try {
  for (const name of browsers) {
    const browser = await launchDriver(name);
    try {
      mkdirSync(join(OUT, name), { recursive: true });
      for (const c of CAPTURE_CASES) {
        if (only && !only.test(c.name)) continue;
        const run = await runCase(browser, playground, c, `${c.name}`);
        const fixture = { browser: name, case: c, pageOrigin: playground.pageOrigin, url: run.url, observation: run.observation, capture: run.capture };
        writeFileSync(join(OUT, name, `${c.name}.json`), `${JSON.stringify(fixture, null, 1)}\n`);
        console.log(`${name} ${c.name}: ${run.capture.length} observations`);
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await playground.close();
}
