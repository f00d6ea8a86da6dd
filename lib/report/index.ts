import type { Platform } from '../fixes/plan';
import { SEVERITY_RANK, type Severity } from '../rules/define';
import { buildReport as build, type ReportSource } from './build';
import { formatText as renderText } from './text';
import { formatHar } from './har-export';
import { formatHtml } from './html';
import { formatMarkdown } from './markdown';
import { formatSarif } from './sarif';
import type { Report } from './types';
import { prepared, type ExportOptions } from './view';

/**
 * The report API shared by the CLI and the panel's export: build once from analyses, then
 * format. Exporters only turn a report into a string; they never fetch or touch the file system.
 */

export interface ReportOptions {
  toolVersion: string;
  generatedAt?: string;
  platforms?: readonly Platform[];
  /** Events kept per stream (default 1000); the rest are counted in `eventsOmitted`. */
  maxEvents?: number;
  /** Characters of each event's data kept (default 1024). */
  maxDataPreview?: number;
}

export function buildReport(analyses: readonly ReportSource[], options: ReportOptions): Report {
  return build(analyses, options);
}

/**
 * Pretty JSON with a trailing newline, as written to files and stdout. Redacted unless
 * `redact: false` (the CLI and the panel pass a random salt; see redact.ts).
 */
export function formatJson(report: Report, options: ExportOptions = {}): string {
  return `${JSON.stringify(prepared(report, options), null, 2)}\n`;
}

export const EXPORT_FORMATS = ['json', 'markdown', 'html', 'sarif', 'har'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** File name extension and media type of each format, for saving. */
export const FORMAT_FILES: Readonly<Record<ExportFormat, { readonly extension: string; readonly mediaType: string }>> = {
  json: { extension: 'json', mediaType: 'application/json' },
  markdown: { extension: 'md', mediaType: 'text/markdown' },
  html: { extension: 'html', mediaType: 'text/html' },
  sarif: { extension: 'sarif', mediaType: 'application/sarif+json' },
  har: { extension: 'har', mediaType: 'application/json' },
};

/** Every exporter behind one call: `(report, options) => string`, no I/O. */
export function formatReport(report: Report, format: ExportFormat, options: ExportOptions = {}): string {
  switch (format) {
    case 'json':
      return formatJson(report, options);
    case 'markdown':
      return formatMarkdown(report, options);
    case 'html':
      return formatHtml(report, options);
    case 'sarif':
      return formatSarif(report, options);
    case 'har':
      return formatHar(report, options);
  }
}

export function formatText(report: Report, options: { color: boolean; platform?: Platform }): string {
  return renderText(report, options);
}

/** The most severe finding in the report, or null when there is none (drives exit codes). */
export function highestSeverity(report: Report): Severity | null {
  let highest: Severity | null = null;
  for (const stream of report.streams) {
    for (const finding of stream.findings) {
      if (highest === null || SEVERITY_RANK[finding.severity] > SEVERITY_RANK[highest]) highest = finding.severity;
    }
  }
  return highest;
}

export { DEFAULT_MAX_DATA_PREVIEW, DEFAULT_MAX_EVENTS, REPORT_SCHEMA_VERSION } from './build';
export type { Report, ReportStream, ReportFinding } from './types';
export { formatFindingMarkdown, formatMarkdown } from './markdown';
export { formatHtml } from './html';
export { formatSarif } from './sarif';
export { formatHar } from './har-export';
export { redactReport } from './redact';
export type { ExportOptions, ExportLimits } from './view';
