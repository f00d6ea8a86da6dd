import { PLATFORM_LABELS, type Platform } from '../fixes/plan';
import type { Severity } from '../rules/define';
import { mdCode, mdFence, mdLink, mdText } from './markup';
import { evidenceLine, plural } from './text';
import type { Report, ReportFinding, ReportStream } from './types';
import {
  bounded,
  intervalRange,
  retryValuesText,
  clientLine,
  codeSegments,
  formatMs,
  limitsOf,
  prepared,
  reportCounts,
  severityCounts,
  snippetFor,
  sortedFindings,
  timelineFacts,
  verdictCode,
  type ExportLimits,
  type ExportOptions,
} from './view';

/**
 * The Markdown report, for tickets and pull requests (GitHub Flavored Markdown): a summary table,
 * then per stream both browsers' verdicts and per finding its evidence and the fix for one server
 * stack. Every captured string goes through the escaping helpers of markup.ts.
 */

const SEVERITY_LABEL: Readonly<Record<Severity, string>> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** Prose with backtick code (rule titles and messages), escaped piece by piece. */
function prose(text: string, max: number, atLineStart = false): string {
  return codeSegments(text)
    .map((piece, i) => (piece.code ? mdCode(piece.text, { max }) : mdText(piece.text, max, atLineStart && i === 0)))
    .join('');
}

function countsText(counts: Record<Severity, number>): string {
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info`;
}

function findingsCell(stream: ReportStream): string {
  if (stream.findings.length === 0) return 'none';
  const counts = severityCounts(stream.findings);
  const parts = (['error', 'warning', 'info'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.join(', ');
}

function verdictCell(outcome: string, code: string): string {
  return code ? `${mdText(outcome)} ${mdCode(code, { cell: true, max: 100 })}` : mdText(outcome);
}

function summaryTable(report: Report, limits: ExportLimits): string[] {
  const { shown, omitted } = bounded(report.streams, limits.summaryRows);
  const lines = ['| # | Stream | Client | Chromium | Firefox | Findings |', '| ---: | --- | --- | --- | --- | --- |'];
  shown.forEach((stream, i) => {
    const { chromium, firefox } = stream.verdicts;
    const client = `${stream.client.kind}${stream.client.credentials ? ' (credentials)' : ''}`;
    lines.push(
      `| ${i + 1} | ${mdCode(stream.url, { cell: true, max: 200 })} | ${mdText(client)} | ${verdictCell(chromium.outcome, verdictCode(chromium.corsError, chromium.cause))} | ${verdictCell(firefox.outcome, verdictCode(firefox.reason, firefox.cause))} | ${findingsCell(stream)} |`,
    );
  });
  if (omitted > 0) lines.push('', `${omitted} more streams omitted.`);
  return lines;
}

function verdictTable(stream: ReportStream, limits: ExportLimits): string[] {
  const { chromium, firefox } = stream.verdicts;
  const rows = [
    { name: 'Chromium', outcome: chromium.outcome, code: verdictCode(chromium.corsError, chromium.cause), message: chromium.message },
    { name: 'Firefox', outcome: firefox.outcome, code: verdictCode(firefox.reason, firefox.cause), message: firefox.message },
  ];
  return [
    '| Browser | Outcome | Code | Console |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.name} | ${mdText(row.outcome)} | ${row.code ? mdCode(row.code, { cell: true, max: 100 }) : ''} | ${row.message === null ? '' : mdText(row.message, limits.textLength)} |`),
  ];
}

function findingBlock(stream: ReportStream, finding: ReportFinding, platform: Platform, shownSnippets: Set<string>, limits: ExportLimits, headingLevel: string): string[] {
  const lines = [
    `${headingLevel} ${SEVERITY_LABEL[finding.severity]}: ${prose(finding.title, limits.textLength)}`,
    '',
    // Not starting the line with a code span: some renderers would take its backticks for a fence.
    `Rule ${mdCode(finding.ruleId, { max: 100 })} · ${mdLink('docs', finding.docsUrl)}`,
    '',
    prose(finding.message, limits.textLength, true),
  ];
  const evidence = finding.evidence.map((e) => evidenceLine(stream, e)).filter((line) => line !== '');
  if (evidence.length > 0) lines.push('', 'Evidence:', '', ...evidence.map((line) => `- ${mdText(line, limits.textLength)}`));
  lines.push('', `**Fix:** ${prose(finding.fix.summary, limits.textLength)}`);
  const snippet = snippetFor(finding, platform);
  if (snippet) {
    const label = PLATFORM_LABELS[snippet.platform] ?? snippet.platform;
    // Findings of one stream mostly share one complete handler; it is printed once.
    if (shownSnippets.has(snippet.code)) lines.push('', `${mdText(label)}: the same code as above.`);
    else {
      shownSnippets.add(snippet.code);
      lines.push('', `${mdText(label)}:`, '', mdFence(snippet.code, snippet.language, limits.snippetLength));
    }
  }
  return lines;
}

function timelineLine(stream: ReportStream): string {
  const facts = timelineFacts(stream);
  const parts = [plural(facts.attempts.length, 'attempt'), `time to first byte ${formatMs(facts.timeToFirstByte)}`];
  if (facts.firstEventAt !== null) parts.push(`first event at ${formatMs(facts.firstEventAt)}`);
  if (facts.reconnectIntervals.length > 0) parts.push(`${plural(facts.reconnectIntervals.length, 'reconnect')} ${intervalRange(facts.reconnectIntervals)}`);
  if (stream.retryValues.length > 0) parts.push(`retry: ${retryValuesText(stream.retryValues)}`);
  const events = stream.events.length + stream.eventsOmitted + stream.droppedEvents;
  parts.push(plural(events, 'event'));
  if (stream.observedFor !== null) parts.push(`watched for ${formatMs(stream.observedFor)}`);
  return `Timeline: ${parts.join(' · ')}.`;
}

function exchangeTable(stream: ReportStream, limits: ExportLimits): string[] {
  const { shown, omitted } = bounded(stream.exchanges, limits.exchangesPerStream);
  const lines = ['| # | Attempt | Kind | Request | Status |', '| ---: | ---: | --- | --- | --- |'];
  shown.forEach((e, i) => {
    const status = e.status === null ? mdText(e.error ?? 'no response', 200) : `${e.status}${e.statusText ? ` ${mdText(e.statusText, 100)}` : ''}`;
    lines.push(`| ${i + 1} | ${e.attempt} | ${e.kind} | ${mdCode(`${e.method} ${e.url}`, { cell: true, max: 300 })} | ${status} |`);
  });
  if (omitted > 0) lines.push('', `${omitted} more exchanges omitted.`);
  return lines;
}

function streamSection(stream: ReportStream, index: number, platform: Platform, limits: ExportLimits): string[] {
  const lines = [`## ${index + 1}. ${mdCode(stream.url, { max: 500 })}`, '', mdText(clientLine(stream), limits.textLength, true)];
  if (stream.observed !== undefined) lines.push('', `Observed in the browser: ${mdText(stream.observed)}.`);
  lines.push('', ...verdictTable(stream, limits), '', timelineLine(stream));
  const { shown, omitted } = bounded(sortedFindings(stream), limits.findingsPerStream);
  if (shown.length === 0) lines.push('', 'No problems found: both browsers receive this stream and no rule has anything to say.');
  const snippets = new Set<string>();
  for (const finding of shown) lines.push('', ...findingBlock(stream, finding, platform, snippets, limits, '###'));
  if (omitted > 0) lines.push('', `${omitted} more findings omitted.`);
  lines.push('', '<details>', '<summary>Exchanges</summary>', '', ...exchangeTable(stream, limits), '', '</details>');
  return lines;
}

function redactionNote(report: Report): string {
  return report.redacted
    ? '> Secrets are redacted: each `[redacted:…]` marker keeps a short hash, so equal values share a marker.'
    : '> **Not redacted:** this report holds Authorization headers, cookies and tokens as they were captured.';
}

/** The whole report as GitHub Flavored Markdown. */
export function formatMarkdown(input: Report, options: ExportOptions = {}): string {
  const report = prepared(input, options);
  const limits = limitsOf(options.limits);
  const platform = options.platform ?? 'express';
  const header = [
    '# SSE Inspector report',
    '',
    `${plural(report.streams.length, 'stream')}: ${countsText(reportCounts(report))}. Written by sse-inspector ${mdText(report.tool.version, 50)} at ${mdText(report.generatedAt, 50)}.`,
    '',
    redactionNote(report),
  ];
  if (report.streams.length === 0) return `${[...header, '', 'No event streams found.'].join('\n')}\n`;
  const { shown, omitted } = bounded(report.streams, limits.streams);
  const sections = shown.flatMap((stream, i) => ['', ...streamSection(stream, i, platform, limits)]);
  const tail = omitted > 0 ? ['', `${omitted} more streams omitted from the details.`] : [];
  return `${[...header, '', ...summaryTable(report, limits), ...sections, ...tail].join('\n')}\n`;
}

/** One finding as Markdown, for the panel's "Copy as Markdown": which stream, then the finding. */
export function formatFindingMarkdown(input: Report, streamIndex: number, findingIndex: number, options: ExportOptions = {}): string {
  const report = prepared(input, options);
  const limits = limitsOf(options.limits);
  const stream = report.streams[streamIndex];
  const finding = stream?.findings[findingIndex];
  if (!stream || !finding) return '';
  const lines = [
    ...findingBlock(stream, finding, options.platform ?? 'express', new Set(), limits, '####'),
    '',
    `Stream: ${mdCode(stream.url, { max: 500 })} (${mdText(clientLine(stream), limits.textLength)})`,
  ];
  return `${lines.join('\n')}\n`;
}
