import type { CapturedStream } from '../capture/captured';
import { buildReport, formatJson } from '../report/index';

/** The panel's export: the CLI's JSON report contract (schemaVersion 1) over the captured streams. */
export function exportReportJson(streams: readonly CapturedStream[], toolVersion: string, generatedAt: Date): string {
  return formatJson(buildReport(streams.map((stream) => stream.analysis), { toolVersion, generatedAt: generatedAt.toISOString() }));
}

/** `sse-inspector-2026-11-25T20-00-00.json`: sortable, and valid on every file system. */
export function exportFileName(generatedAt: Date): string {
  return `sse-inspector-${generatedAt.toISOString().slice(0, 19).replace(/:/g, '-')}.json`;
}
