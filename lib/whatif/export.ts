import type { StreamAnalysis } from '../engine';
import { buildReport, formatJson } from '../report/index';
import type { Report, ReportWhatIf } from '../report/types';
import { editsOf, requestEditsOf } from './edits';
import type { WhatIfEvaluation } from './evaluate';

/**
 * The edited scenario as a report: the JSON contract of the CLI and the panel's export, its
 * verdicts and findings those of the edited headers, and a `whatIf` mark on the stream that says
 * what was edited from which capture. `sse-inspector analyze` reads it back and re-evaluates it.
 */
export function whatIfReport(evaluation: WhatIfEvaluation, captured: StreamAnalysis, toolVersion: string, generatedAt: Date): Report {
  const report = buildReport([evaluation.analysis], { toolVersion, generatedAt: generatedAt.toISOString() });
  const { state } = evaluation;
  const { chromium, firefox } = captured.verdicts;
  const mark = {
    basedOn: state.captured.id,
    captured: { chromium: { outcome: chromium.outcome, corsError: chromium.corsError }, firefox: { outcome: firefox.outcome, reason: firefox.reason } },
    edits: editsOf(state),
  };
  // Both are absent when empty: readers of version 1 that predate them keep the rest of the mark intact.
  const requestEdits = requestEditsOf(state);
  // Only whatIfFrom makes a final without a captured exchange: the browser never sent that request.
  const assumed = state.exchanges.filter((draft) => draft.captured === null && draft.slot === 'final').map((draft) => draft.slot);
  const whatIf: ReportWhatIf = {
    ...mark,
    ...(requestEdits.length > 0 ? { requestEdits } : {}),
    ...(assumed.length > 0 ? { assumed } : {}),
    fixesApplied: [...state.fixesApplied],
    body: state.body,
  };
  return { ...report, streams: report.streams.map((stream) => ({ ...stream, whatIf })) };
}

export function whatIfReportJson(evaluation: WhatIfEvaluation, captured: StreamAnalysis, toolVersion: string, generatedAt: Date): string {
  return formatJson(whatIfReport(evaluation, captured, toolVersion, generatedAt));
}

/** `sse-inspector-what-if-2026-11-25T20-00-00.json`: sortable, and valid on every file system. */
export function whatIfFileName(generatedAt: Date): string {
  return `sse-inspector-what-if-${generatedAt.toISOString().slice(0, 19).replace(/:/g, '-')}.json`;
}

/** The command that re-evaluates the exported scenario, from the directory it was saved in. */
export function analyzeCommand(fileName: string): string {
  return `sse-inspector analyze ${fileName}`;
}
