import type { Platform } from '../fixes/plan';
import { PLATFORM_LABELS } from '../fixes/plan';
import { SEVERITY_RANK, type Severity } from '../rules/define';
import type { Report, ReportEvidence, ReportFinding, ReportStream } from './types';

/**
 * The terminal rendering of a report. Every captured string is hostile: a header value or a
 * console line could carry ANSI escapes or bidi overrides that rewrite the user's terminal, so
 * they all pass through `clean` before they are printed.
 */

export interface TextOptions {
  readonly color: boolean;
  /** Platform whose fix snippet is printed; default `express`. */
  readonly platform?: Platform;
}

type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'green' | 'cyan';
const ANSI: Readonly<Record<Style, string>> = {
  bold: '\u001b[1m',
  dim: '\u001b[2m',
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  green: '\u001b[32m',
  cyan: '\u001b[36m',
};
const RESET = '\u001b[0m';

// C0/C1 controls (tab and newline aside), DEL, and the Unicode bidi controls (Trojan Source).
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Makes a captured string safe for a terminal: control characters become visible `\u{NN}` escapes. */
export function clean(text: string, multiline = false): string {
  const escaped = text.replace(UNSAFE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
  return multiline ? escaped : escaped.replace(/[\t\n]/g, (c) => (c === '\t' ? '\\t' : '\\n'));
}

const OUTCOME_STYLE = { open: 'green', blocked: 'red', failed: 'red', reconnecting: 'yellow' } as const;
const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = { error: 'red', warning: 'yellow', info: 'cyan' };

function painter(color: boolean) {
  return (style: Style, text: string): string => (color ? `${ANSI[style]}${text}${RESET}` : text);
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? prefix + line : line))
    .join('\n');
}

/** One piece of evidence in words: which exchange, which header line (or that it is missing), the rule's note. */
export function evidenceLine(stream: ReportStream, e: ReportEvidence): string {
  const parts: string[] = [];
  if (e.exchangeIndex !== null) {
    const exchange = stream.exchanges[e.exchangeIndex];
    parts.push(exchange ? `${exchange.kind} #${e.exchangeIndex + 1} (attempt ${exchange.attempt}, ${exchange.status ?? 'no response'})` : `exchange #${e.exchangeIndex + 1}`);
  }
  if (e.header !== null) {
    const side = e.side === null ? '' : `${e.side} `;
    parts.push(e.value === null ? `${side}header ${clean(e.header)} is missing` : `${side}header ${clean(e.header)}: ${clean(e.value)}`);
  }
  // Rules often note `missing` on a missing header, which the line above already says.
  if (e.note !== null && !(e.value === null && e.header !== null && e.note === 'missing')) parts.push(`(${clean(e.note)})`);
  return parts.join(' ');
}

function headerLines(stream: ReportStream, paint: ReturnType<typeof painter>): string[] {
  const { client } = stream;
  const credentials = client.credentials ? (client.kind === 'eventsource' ? ', withCredentials' : ", credentials: 'include'") : '';
  const custom = client.headers.length > 0 ? `, headers ${client.headers.map(([name]) => clean(name)).join(', ')}` : '';
  const method = client.kind === 'fetch' && client.method !== 'GET' ? `${clean(client.method)} ` : '';
  const attempts = stream.attempts > 1 ? `, ${stream.attempts} attempts` : '';
  return [
    paint('bold', clean(stream.url)),
    `  ${method}${clean(client.kind)} from ${clean(client.pageOrigin)}${credentials}${custom}${attempts}`,
  ];
}

function verdictLines(stream: ReportStream, paint: ReturnType<typeof painter>): string[] {
  const { chromium, firefox } = stream.verdicts;
  const rows = [
    { name: 'Chromium', outcome: chromium.outcome, code: chromium.corsError, cause: chromium.cause, message: chromium.message },
    { name: 'Firefox', outcome: firefox.outcome, code: firefox.reason, cause: firefox.cause, message: firefox.message },
  ];
  const lines: string[] = [];
  for (const row of rows) {
    // Everything here can come from an imported report: cleaned like captured text.
    const code = clean(row.code ?? (row.cause === 'ok' ? '' : `(${row.cause})`));
    const head = `  ${row.name.padEnd(8)}  ${paint(OUTCOME_STYLE[row.outcome] ?? 'bold', clean(row.outcome))}${code ? `  ${code}` : ''}`;
    lines.push(head);
    if (row.message !== null) lines.push(paint('dim', `            ${clean(row.message)}`));
  }
  return lines;
}

function findingLines(
  stream: ReportStream,
  finding: ReportFinding,
  platform: Platform,
  shown: Set<string>,
  paint: ReturnType<typeof painter>,
): string[] {
  const pad = '           ';
  const label = finding.severity.toUpperCase().padEnd(7);
  const lines = [
    `  ${paint(SEVERITY_STYLE[finding.severity] ?? 'bold', clean(label))}  ${paint('bold', clean(finding.title))}  ${paint('dim', `[${clean(finding.ruleId)}]`)}`,
    `${pad}${clean(finding.message)}`,
  ];
  for (const e of finding.evidence) {
    const line = evidenceLine(stream, e);
    if (line) lines.push(`${pad}evidence: ${line}`);
  }
  lines.push(`${pad}fix: ${clean(finding.fix.summary)}`);
  const snippet = finding.fix.snippets.find((s) => s.platform === platform) ?? finding.fix.snippets[0];
  if (snippet) {
    // Most findings of one stream share the same complete handler; print it once.
    if (shown.has(snippet.code)) {
      lines.push(paint('dim', `${pad}(${PLATFORM_LABELS[snippet.platform]}: same code as above)`));
    } else {
      shown.add(snippet.code);
      lines.push(`${pad}${PLATFORM_LABELS[snippet.platform]}:`);
      lines.push(indent(clean(snippet.code.replace(/\n+$/, ''), true), `${pad}  `));
    }
  }
  lines.push(paint('dim', `${pad}docs: ${clean(finding.docsUrl)}`));
  return lines;
}

function streamBlock(stream: ReportStream, options: TextOptions): string {
  const paint = painter(options.color);
  const lines = [...headerLines(stream, paint), ...verdictLines(stream, paint), ''];
  const findings = [...stream.findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  if (findings.length === 0) lines.push(`  ${paint('green', 'no problems found')}`, '');
  const shown = new Set<string>();
  for (const finding of findings) lines.push(...findingLines(stream, finding, options.platform ?? 'express', shown, paint), '');
  if (stream.eventsOmitted > 0 || stream.droppedEvents > 0) {
    lines.push(paint('dim', `  ${plural(stream.events.length, 'event')} shown, ${stream.eventsOmitted + stream.droppedEvents} more not kept`), '');
  }
  return lines.join('\n');
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function formatText(report: Report, options: TextOptions): string {
  if (report.streams.length === 0) return 'No event streams found.\n';
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const stream of report.streams) for (const f of stream.findings) counts[f.severity] += 1;
  const summary = `${plural(report.streams.length, 'stream')}: ${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info`;
  return `${report.streams.map((s) => streamBlock(s, options)).join('\n')}${summary}\n`;
}
