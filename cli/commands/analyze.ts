import { readFile, stat } from 'node:fs/promises';
import type { Platform } from '../../lib/fixes/plan';
import { ImportError, importHar, importReport, reportFromImport, type ImportedFile } from '../../lib/report/import';
import { highestSeverity } from '../../lib/report/index';
import { clean } from '../../lib/report/text';
import { SEVERITY_RANK, type Severity } from '../../lib/rules/define';
import { renderReport, type OutputFormat } from '../output';
import { toolVersion } from '../version';

/**
 * `sse-inspector analyze <file>`: explains the event streams recorded in a HAR file (a browser's,
 * or one exported by SSE Inspector, restored exactly), or analyzes again the streams of an
 * SSE Inspector JSON report, e.g. to turn it into another format.
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

export async function analyzeCommand(path: string, options: AnalyzeOptions): Promise<CommandResult> {
  let imported: ImportedFile;
  try {
    const value = await readInput(path, options.maxBytes ?? MAX_HAR_BYTES);
    imported = isReport(value) ? importReport(value) : importHar(value);
  } catch (error) {
    if (error instanceof InputError || error instanceof ImportError) {
      return { output: `sse-inspector: ${path}: ${clean(error.message)}\n`, exitCode: 2 };
    }
    throw error;
  }
  const report = reportFromImport(imported, {
    toolVersion: options.toolVersion ?? toolVersion(),
    ...(options.generatedAt === undefined ? {} : { generatedAt: options.generatedAt }),
  });
  const exitCode = exitCodeFor(highestSeverity(report), options.failOn);
  const output = renderReport(report, options);
  // Notes (skipped entries, streams restored approximately) follow the text; other formats stay parseable.
  if (options.format !== 'text') return { output, exitCode, notes: imported.notes };
  return { output: output + imported.notes.map((note) => `note: ${clean(note)}\n`).join(''), exitCode };
}
