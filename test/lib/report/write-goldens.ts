import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_FORMATS, formatReport } from '../../../lib/report/index';
import { FIXTURES, GOLDEN_FILES, GOLDEN_OPTIONS, sampleReport } from './sample';

/**
 * Regenerates the report golden files from the committed sample capture. The goldens are reviewed
 * expectations: run this after a deliberate change to an exporter, then read the diff before
 * committing it (`git diff test/fixtures/report`). golden.test.ts fails until they agree.
 */
const report = sampleReport();
for (const format of EXPORT_FORMATS) {
  const path = join(FIXTURES, GOLDEN_FILES[format]);
  writeFileSync(path, formatReport(report, format, GOLDEN_OPTIONS));
  console.log(`wrote ${path}`);
}
