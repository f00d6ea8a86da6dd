import { readFile, stat } from 'node:fs/promises';
import { HarError, recordsFromHar, type HarImport } from '../../lib/capture/har';
import { analyzeStreams } from '../../lib/engine';
import type { Platform } from '../../lib/fixes/plan';
import { buildReport, formatJson, formatText, highestSeverity, type Report } from '../../lib/report/index';
import { isReport, recordsFromReport, ReportError } from '../../lib/report/read';
import type { ReportWhatIf } from '../../lib/report/types';
import { clean } from '../../lib/report/text';
import { SEVERITY_RANK, type Severity } from '../../lib/rules/define';
import { toolVersion } from '../version';

/**
 * `sse-inspector analyze <file>`: explains the event streams recorded in a HAR file, or
 * re-evaluates every stream of a report (as exported by the CLI or the panel, a what-if scenario,
 * or one edited by hand), so header scenarios kept in a repository can be asserted in CI.
 * Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 unreadable input.
 */

export interface AnalyzeOptions {
  format: 'text' | 'json';
  failOn: 'error' | 'warning' | 'none';
  color: boolean;
  /** Platform of the fix snippet in text output (default express). */
  platform?: Platform;
  /** Defaults to the version in package.json. */
  toolVersion?: string;
  /** Fixed time for reproducible output (tests, golden files). */
  generatedAt?: string;
  /** Largest file read, in bytes. */
  maxBytes?: number;
}

export interface CommandResult {
  output: string;
  exitCode: number;
}

export const MAX_HAR_BYTES = 200 * 1024 * 1024;

class InputError extends Error {}

function describeFsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return error instanceof Error ? firstLine(error.message) : 'cannot be read';
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.floor(bytes / (1024 * 1024))} MB` : `${bytes} bytes`;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

async function readInput(path: string, maxBytes: number): Promise<unknown> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError('is a directory');
    if (info.size > maxBytes) throw new InputError(`is larger than ${sizeText(maxBytes)}`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(describeFsError(error));
  }
  try {
    // A BOM is common in HAR files saved by Windows tools; JSON.parse rejects it.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    // V8's message quotes part of the file, which is hostile: escape it for the terminal.
    throw new InputError(`not valid JSON (${error instanceof Error ? clean(firstLine(error.message)) : 'parse error'})`);
  }
}

function exitCodeFor(highest: Severity | null, failOn: AnalyzeOptions['failOn']): number {
  if (failOn === 'none' || highest === null) return 0;
  return SEVERITY_RANK[highest] >= SEVERITY_RANK[failOn] ? 1 : 0;
}

interface Imported {
  readonly records: HarImport['records'];
  /** HAR entries that could not be read. */
  readonly skipped: number;
  /** Each stream's what-if mark when the input is a report (same order as records). */
  readonly whatIf: readonly (ReportWhatIf | null)[];
}

function importInput(json: unknown): Imported {
  if (isReport(json)) {
    const { records, whatIf } = recordsFromReport(json);
    return { records, skipped: 0, whatIf };
  }
  const { records, skipped } = recordsFromHar(json);
  return { records, skipped, whatIf: [] };
}

/** The what-if marks of the input, carried over: the re-evaluated stream is still that scenario. */
function withMarks(report: Report, marks: readonly (ReportWhatIf | null)[]): Report {
  if (!marks.some((mark) => mark !== null)) return report;
  return { ...report, streams: report.streams.map((stream, i) => (marks[i] ? { ...stream, whatIf: marks[i] } : stream)) };
}

export async function analyzeCommand(path: string, options: AnalyzeOptions): Promise<CommandResult> {
  let imported: Imported;
  try {
    imported = importInput(await readInput(path, options.maxBytes ?? MAX_HAR_BYTES));
  } catch (error) {
    if (error instanceof InputError || error instanceof HarError || error instanceof ReportError) {
      return { output: `sse-inspector: ${path}: ${clean(error.message)}\n`, exitCode: 2 };
    }
    throw error;
  }
  const { records, skipped, whatIf } = imported;
  const built = buildReport(analyzeStreams(records), {
    toolVersion: options.toolVersion ?? toolVersion(),
    ...(options.generatedAt === undefined ? {} : { generatedAt: options.generatedAt }),
  });
  const report = withMarks(built, whatIf);
  const exitCode = exitCodeFor(highestSeverity(report), options.failOn);
  if (options.format === 'json') return { output: formatJson(report), exitCode };
  const notes: string[] = [];
  if (skipped > 0) notes.push(`note: ${skipped} HAR ${skipped === 1 ? 'entry' : 'entries'} could not be read and ${skipped === 1 ? 'was' : 'were'} skipped\n`);
  const scenarios = whatIf.filter((mark) => mark !== null).length;
  if (scenarios > 0) notes.push(`note: ${scenarios === 1 ? '1 stream is a what-if scenario' : `${scenarios} streams are what-if scenarios`} (edited headers), not a capture\n`);
  return { output: formatText(report, { color: options.color, ...(options.platform ? { platform: options.platform } : {}) }) + notes.join(''), exitCode };
}
