import type { CapturedStream } from '../capture/captured';
import { buildReport, FORMAT_FILES, formatFindingMarkdown, formatReport, type ExportFormat, type Report } from '../report/index';
import type { Platform } from '../fixes/plan';

/**
 * The panel's exports: the captured streams as the CLI's report (schemaVersion 1), in any export
 * format, with what only the capture knows (when each stream was first seen, what the page
 * experienced). Redacted unless the user turns it off; each export gets its own random salt.
 */

export interface PanelExportOptions {
  readonly toolVersion: string;
  readonly generatedAt: Date;
  readonly platform: Platform;
  readonly redact: boolean;
  /** Random per export (see newRedactionSalt); fixed in tests. */
  readonly redactionSalt: string;
}

export interface ExportedFile {
  readonly fileName: string;
  readonly mediaType: string;
  readonly text: string;
}

export function panelReport(streams: readonly CapturedStream[], toolVersion: string, generatedAt: Date): Report {
  return buildReport(
    streams.map((stream) => ({ analysis: stream.analysis, startedAt: stream.startedAt, observed: stream.observed })),
    { toolVersion, generatedAt: generatedAt.toISOString() },
  );
}

export function exportStreams(streams: readonly CapturedStream[], format: ExportFormat, options: PanelExportOptions): ExportedFile {
  const report = panelReport(streams, options.toolVersion, options.generatedAt);
  const text = formatReport(report, format, { platform: options.platform, redact: options.redact, redactionSalt: options.redactionSalt });
  return { fileName: exportFileName(options.generatedAt, format), mediaType: FORMAT_FILES[format].mediaType, text };
}

/** One finding of one stream as Markdown, for "Copy as Markdown". */
export function findingMarkdown(stream: CapturedStream, findingIndex: number, options: PanelExportOptions): string {
  const report = panelReport([stream], options.toolVersion, options.generatedAt);
  return formatFindingMarkdown(report, 0, findingIndex, { platform: options.platform, redact: options.redact, redactionSalt: options.redactionSalt });
}

/** `sse-inspector-2026-11-25T20-00-00.json`: sortable, and valid on every file system. */
export function exportFileName(generatedAt: Date, format: ExportFormat = 'json'): string {
  return `sse-inspector-${generatedAt.toISOString().slice(0, 19).replace(/:/g, '-')}.${FORMAT_FILES[format].extension}`;
}

export function newRedactionSalt(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
