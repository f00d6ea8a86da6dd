import type { Platform } from '../fixes/plan';
import { SEVERITY_RANK, type Severity } from '../rules/define';
import { redactReport } from './redact';
import type { Report, ReportExchange, ReportFinding, ReportSnippet, ReportStream } from './types';

/**
 * What the Markdown and HTML reports show, computed once from a report: counts, the per-attempt
 * timeline, which header lines the findings point at, and the caps that keep an export bounded.
 */

export interface ExportLimits {
  /** Streams in the summary table. */
  readonly summaryRows: number;
  /** Streams shown in detail. */
  readonly streams: number;
  readonly findingsPerStream: number;
  readonly exchangesPerStream: number;
  /** Lines of one header list. */
  readonly headerLines: number;
  /** Messages listed per stream (HTML). */
  readonly eventsPerStream: number;
  /** Characters of any one value. */
  readonly textLength: number;
  /** Characters of one fix snippet. */
  readonly snippetLength: number;
}

export const DEFAULT_EXPORT_LIMITS: ExportLimits = {
  summaryRows: 1000,
  streams: 100,
  findingsPerStream: 50,
  exchangesPerStream: 50,
  headerLines: 100,
  eventsPerStream: 50,
  textLength: 2000,
  snippetLength: 20_000,
};

export function limitsOf(partial: Partial<ExportLimits> | undefined): ExportLimits {
  return { ...DEFAULT_EXPORT_LIMITS, ...partial };
}

/** The first `max` items and how many were left out. */
export function bounded<T>(items: readonly T[], max: number): { readonly shown: readonly T[]; readonly omitted: number } {
  return items.length <= max ? { shown: items, omitted: 0 } : { shown: items.slice(0, max), omitted: items.length - max };
}

export function severityCounts(findings: readonly ReportFinding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

export function reportCounts(report: Report): Record<Severity, number> {
  return severityCounts(report.streams.flatMap((s) => s.findings));
}

/** Findings most severe first (the report already orders them; imported reports may not). */
export function sortedFindings(stream: ReportStream): ReportFinding[] {
  return [...stream.findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

/** The snippet for `platform`, else the first one the report carries. */
export function snippetFor(finding: ReportFinding, platform: Platform): ReportSnippet | null {
  return finding.fix.snippets.find((s) => s.platform === platform) ?? finding.fix.snippets[0] ?? null;
}

/** The browser's own code for a verdict: Chromium's corsError or Firefox's reason, else the cause. */
export function verdictCode(code: string | null, cause: string): string {
  return code ?? (cause === 'ok' ? '' : cause);
}

export function clientLine(stream: ReportStream): string {
  const { client } = stream;
  const credentials = client.credentials ? (client.kind === 'eventsource' ? ', withCredentials' : ", credentials: 'include'") : '';
  const method = client.kind === 'fetch' && client.method !== 'GET' ? `${client.method} ` : '';
  const custom = client.headers.length > 0 ? `, headers ${client.headers.map(([name]) => name).join(', ')}` : '';
  return `${method}${client.kind} from ${client.pageOrigin}${credentials}${custom}`;
}

export interface AttemptFacts {
  readonly attempt: number;
  readonly startedAt: number;
  /** When the final exchange's response headers arrived. */
  readonly responseAt: number | null;
  readonly status: number | null;
  readonly endedAt: number | null;
  readonly bodyEnd: ReportExchange['bodyEnd'];
  readonly error: string | null;
  /** Exchanges of this attempt: preflight, redirect hops, response. */
  readonly exchanges: number;
}

export interface TimelineFacts {
  readonly attempts: readonly AttemptFacts[];
  /** From the first request to the first byte of the first response; null without one. */
  readonly timeToFirstByte: number | null;
  readonly firstEventAt: number | null;
  /** ms between consecutive attempt starts. */
  readonly reconnectIntervals: readonly number[];
  /** Last moment anything happened: the axis of the HTML timeline. */
  readonly span: number;
}

export function timelineFacts(stream: ReportStream): TimelineFacts {
  const byAttempt = new Map<number, ReportExchange[]>();
  for (const exchange of stream.exchanges) {
    const list = byAttempt.get(exchange.attempt) ?? [];
    list.push(exchange);
    byAttempt.set(exchange.attempt, list);
  }
  const attempts = [...byAttempt.entries()]
    .sort(([a], [b]) => a - b)
    .map(([attempt, exchanges]): AttemptFacts => {
      const final = exchanges[exchanges.length - 1] as ReportExchange;
      return {
        attempt,
        startedAt: Math.min(...exchanges.map((e) => e.timing.startedAt)),
        responseAt: final.timing.responseAt,
        status: final.status,
        endedAt: final.timing.endedAt,
        bodyEnd: final.bodyEnd,
        error: final.error,
        exchanges: exchanges.length,
      };
    });
  const first = stream.exchanges[0];
  const firstResponse = stream.exchanges.find((e) => e.kind === 'response' && e.timing.firstByteAt !== null);
  let span = stream.observedFor ?? 0;
  for (const e of stream.exchanges) span = Math.max(span, e.timing.startedAt, e.timing.responseAt ?? 0, e.timing.endedAt ?? 0);
  for (const s of stream.readyStates) span = Math.max(span, s.at);
  const lastEvent = stream.events[stream.events.length - 1];
  if (lastEvent) span = Math.max(span, lastEvent.at);
  return {
    attempts,
    timeToFirstByte: first && firstResponse?.timing.firstByteAt != null ? firstResponse.timing.firstByteAt - first.timing.startedAt : null,
    firstEventAt: stream.events[0]?.at ?? null,
    reconnectIntervals: attempts.slice(1).map((a, i) => a.startedAt - (attempts[i] as AttemptFacts).startedAt),
    span: Math.max(1, span),
  };
}

export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export const READY_STATE_NAMES = ['CONNECTING', 'OPEN', 'CLOSED'] as const;

export interface ExportOptions {
  /** Server stack of the fix snippets in Markdown and HTML (default express). */
  readonly platform?: Platform;
  /** Replace secrets by markers before writing (default true; see redact.ts). */
  readonly redact?: boolean;
  readonly redactionSalt?: string;
  readonly limits?: Partial<ExportLimits>;
}

/** The report as an exporter writes it: redacted unless asked not to be. */
export function prepared(report: Report, options: ExportOptions): Report {
  return options.redact === false ? report : redactReport(report, { salt: options.redactionSalt ?? '' });
}

/**
 * Rule titles and messages mark code with backticks (`Access-Control-Allow-Origin: *`). Split on
 * them so exporters can show code as code; each piece is still escaped as the exporter's text,
 * so a backtick inside captured data only moves a boundary, it never opens markup.
 */
export function codeSegments(text: string): { readonly text: string; readonly code: boolean }[] {
  return text.split('`').map((piece, index) => ({ text: piece, code: index % 2 === 1 })).filter((piece) => piece.text !== '');
}

/** "every 302-305 ms" (or "after 3.00 s" for one): a reconnect loop's rhythm in a few words. */
export function intervalRange(intervals: readonly number[]): string {
  if (intervals.length === 0) return '';
  const min = Math.min(...intervals);
  const max = Math.max(...intervals);
  const word = intervals.length === 1 ? 'after' : 'every';
  return formatMs(min) === formatMs(max) ? `${word} ${formatMs(min)}` : `${word} ${formatMs(min).replace(/ (ms|s)$/, '')}-${formatMs(max)}`;
}

/** The `retry:` values a server sent, distinct, in order of first appearance, with how often. */
export function retryValuesText(values: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ms${count > 1 ? ` (×${count})` : ''}`).join(', ');
}
