import { readFile, stat } from 'node:fs/promises';
import type { Platform } from '../../lib/fixes/plan';
import { ImportError, importHar, reportFromImport, type ImportedFile } from '../../lib/report/import';
import { highestSeverity, type Report } from '../../lib/report/index';
import { recordsFromReport, ReportError } from '../../lib/report/read';
import type { ReportWhatIf } from '../../lib/report/types';
import { clean } from '../../lib/report/text';
import { SEVERITY_RANK, type Severity } from '../../lib/rules/define';
import { renderReport, type OutputFormat } from '../output';
import { toolVersion } from '../version';

/**
 * `sse-inspector analyze <file>`: explains the event streams recorded in a HAR file (a browser's,
 * or one exported by SSE Inspector, restored exactly), or re-evaluates every stream of a report
 * (as exported by the CLI or the panel, a what-if scenario, or one edited by hand), so header
 * scenarios kept in a repository can be asserted in CI, or turned into another format.
 * Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 unreadable input.
 */

export interface AnalyzeOptions {
  format: OutputFormat;
  failOn: 'error' | 'warning' | 'none';
  color: boolean;
  /** Platform of the fix snippet in text, Markdown and HTML output (default express). */
  platform?: Platform;
  /** Replace secrets by markers (default true). */
  redact?: boolean;
  redactionSalt?: string;
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
  /** One-line notes for stderr, when the output is a file format that must stay parseable. */
  notes?: readonly string[];
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

function isReport(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'schemaVersion' in value;
}

/** The what-if marks of the input, carried over: the re-evaluated stream is still that scenario. */
function withMarks(report: Report, marks: readonly (ReportWhatIf | null)[]): Report {
  if (!marks.some((mark) => mark !== null)) return report;
  return { ...report, streams: report.streams.map((stream, i) => (marks[i] ? { ...stream, whatIf: marks[i] } : stream)) };
}

export async function analyzeCommand(path: string, options: AnalyzeOptions): Promise<CommandResult> {
  let imported: ImportedFile;
  let marks: readonly (ReportWhatIf | null)[] = [];
  try {
    const value = await readInput(path, options.maxBytes ?? MAX_HAR_BYTES);
    if (isReport(value)) {
      // Read strictly, with defaults for what a hand-written scenario leaves out; a malformed
      // report is named by its JSON path (a scenario kept in a repository must not be half-read).
      const { streams, ...facts } = recordsFromReport(value);
      marks = streams.map((stream) => stream.whatIf);
      imported = { kind: 'report', ...facts, notes: [], streams: streams.map(({ whatIf, ...stream }) => stream) };
    } else imported = importHar(value);
  } catch (error) {
    if (error instanceof InputError || error instanceof ImportError || error instanceof ReportError) {
      return { output: `sse-inspector: ${path}: ${clean(error.message)}\n`, exitCode: 2 };
    }
    throw error;
  }
  const report = withMarks(
    reportFromImport(imported, {
      toolVersion: options.toolVersion ?? toolVersion(),
      ...(options.generatedAt === undefined ? {} : { generatedAt: options.generatedAt }),
    }),
    marks,
  );
  const exitCode = exitCodeFor(highestSeverity(report), options.failOn);
  const output = renderReport(report, options);
  const scenarios = marks.filter((mark) => mark !== null).length;
  const notes = [...imported.notes, ...(scenarios > 0 ? [`${scenarios === 1 ? '1 stream is a what-if scenario' : `${scenarios} streams are what-if scenarios`} (edited headers), not a capture`] : [])];
  // Notes (skipped entries, streams restored approximately) follow the text; other formats stay parseable.
  if (options.format !== 'text') return { output, exitCode, notes };
  return { output: output + notes.map((note) => `note: ${clean(note)}\n`).join(''), exitCode };
}
