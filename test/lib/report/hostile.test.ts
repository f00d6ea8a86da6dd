import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, formatReport, formatText } from '@/lib/report/index';
import { importFile, reportFromImport } from '@/lib/report/import';
import { hostileReport, HUGE_LINE } from '@/test/support/hostile-corpus';
import { harSchemaErrors, sarifSchemaErrors } from '@/test/support/schema-validators';
import { SAMPLE_BUILD } from './sample';

/** The hostile corpus through every format without a browser (report-browser/ opens HTML and Markdown in Chromium). */
// Controls that rewrite a terminal, and bidi overrides that reorder what it shows (Trojan Source).
const UNSAFE_FOR_TERMINALS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('the hostile corpus in every format', () => {
  const report = hostileReport();

  for (const format of EXPORT_FORMATS) {
    it(`${format}: writes it, bounded, redacted or not`, () => {
      for (const redact of [true, false]) {
        const text = formatReport(report, format, { redact });
        expect(text.length).toBeGreaterThan(1000);
        // The report's events keep 300,000 characters of data; no export carries a huge line whole except JSON and HAR, which are data.
        if (format === 'markdown' || format === 'html' || format === 'sarif') expect(text).not.toContain(HUGE_LINE.slice(0, 5000));
        if (format === 'markdown' || format === 'html') expect(text).not.toMatch(UNSAFE_FOR_TERMINALS);
        if (format === 'sarif') expect(sarifSchemaErrors(JSON.parse(text))).toEqual([]);
        if (format === 'har') expect(harSchemaErrors(JSON.parse(text))).toEqual([]);
        if (format === 'json') expect(JSON.parse(text).streams).toHaveLength(report.streams.length);
      }
    });
  }

  it('text: nothing that rewrites a terminal', () => {
    expect(formatText(report, { color: false })).not.toMatch(UNSAFE_FOR_TERMINALS);
  });

  it('imports its own JSON and HAR exports again', () => {
    for (const format of ['json', 'har'] as const) {
      const imported = importFile(formatReport(report, format, { redact: false }));
      const again = reportFromImport(imported, SAMPLE_BUILD);
      // The HAR reader keeps URLs as browsers write them: serialized, so percent-encoded.
      const expected = report.streams.map((s) => (format === 'har' ? new URL(s.url).href : s.url));
      expect(again.streams.map((s) => s.url)).toEqual(expected);
    }
  });
});
