import { randomBytes } from 'node:crypto';
import type { Platform } from '../lib/fixes/plan';
import { EXPORT_FORMATS, formatReport, formatText, redactReport, type ExportFormat, type Report } from '../lib/report/index';

/**
 * How `check` and `analyze` print a report: the terminal text or one of the export formats,
 * redacted unless --no-redact. Each run hashes with its own random salt, so a short secret
 * cannot be recovered by hashing guesses; within one report equal secrets share a marker.
 */

export const OUTPUT_FORMATS = ['text', ...EXPORT_FORMATS] as const;
export type OutputFormat = 'text' | ExportFormat;

export interface OutputOptions {
  readonly format: OutputFormat;
  readonly color: boolean;
  /** Fix snippets in text, Markdown and HTML (default express). */
  readonly platform?: Platform;
  /** Default true. */
  readonly redact?: boolean;
  /** Fixed salt for reproducible output (tests); random per run otherwise. */
  readonly redactionSalt?: string;
}

export function renderReport(report: Report, options: OutputOptions): string {
  const redact = options.redact !== false;
  const salt = options.redactionSalt ?? randomBytes(16).toString('hex');
  const platform = options.platform ? { platform: options.platform } : {};
  if (options.format === 'text') return formatText(redact ? redactReport(report, { salt }) : report, { color: options.color, ...platform });
  return formatReport(report, options.format, { redact, redactionSalt: salt, ...platform });
}
