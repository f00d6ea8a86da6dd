import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeStreams } from '../../../lib/engine';
import type { StreamRecord } from '../../../lib/model/record';
import { buildReport, type ExportFormat, type Report } from '../../../lib/report/index';
import type { ExportOptions } from '../../../lib/report/view';

/** The committed sample capture (record-sample.ts) and the report its golden files render. */

// From the file path, not `new URL(…, import.meta.url)`: DOM test environments replace URL.
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/report');
export const SAMPLE_BUILD = { toolVersion: '0.1.0', generatedAt: '2026-11-25T20:00:00.000Z' } as const;
/** A fixed salt, so the golden files' redaction markers are stable. */
export const GOLDEN_OPTIONS: ExportOptions = { platform: 'express', redactionSalt: 'golden-sample' };

export const GOLDEN_FILES: Readonly<Record<ExportFormat, string>> = {
  json: 'sample.json',
  markdown: 'sample.md',
  html: 'sample.html',
  sarif: 'sample.sarif',
  har: 'sample.har',
};

export function sampleRecords(): StreamRecord[] {
  return JSON.parse(readFileSync(join(FIXTURES, 'sample-capture.json'), 'utf8')) as StreamRecord[];
}

export function sampleReport(): Report {
  return buildReport(analyzeStreams(sampleRecords()), SAMPLE_BUILD);
}
