import type { StreamAnalysis } from '../engine';
import type { Platform } from '../fixes/plan';
import { SEVERITY_RANK, type Severity } from '../rules/define';
import { buildReport as build } from './build';
import { formatText as renderText } from './text';
import type { Report } from './types';

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

export function buildReport(analyses: readonly StreamAnalysis[], options: ReportOptions): Report {
  return build(analyses, options);
}

/** Pretty JSON with a trailing newline, as written to files and stdout. */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
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
