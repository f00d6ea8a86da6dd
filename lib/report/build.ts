import type { ObservedOutcome } from '../capture/captured';
import type { StreamAnalysis } from '../engine';
import type { ChromiumVerdict, FirefoxVerdict } from '../cors/verdict';
import type { Platform } from '../fixes/plan';
import { renderFix } from '../fixes/render';
import type { Exchange, StreamEvent } from '../model/record';
import type { Finding } from '../rules/define';
import type {
  Report,
  ReportChromiumVerdict,
  ReportEvent,
  ReportExchange,
  ReportFinding,
  ReportFirefoxVerdict,
  ReportStream,
} from './types';

export const REPORT_SCHEMA_VERSION = 1;
export const DEFAULT_MAX_EVENTS = 1000;
export const DEFAULT_MAX_DATA_PREVIEW = 1024;

/** A stream as a browser capture saw it: the analysis plus what only the capture knows. */
export interface CapturedSource {
  readonly analysis: StreamAnalysis;
  /** Epoch ms the stream was first seen. */
  readonly startedAt?: number;
  readonly observed?: ObservedOutcome;
}

export type ReportSource = StreamAnalysis | CapturedSource;

export interface BuildOptions {
  readonly toolVersion: string;
  readonly generatedAt?: string;
  /** Platforms to render fix snippets for; the renderer's default set when absent. */
  readonly platforms?: readonly Platform[];
  /** Events kept per stream; the rest are counted in `eventsOmitted`. */
  readonly maxEvents?: number;
  /** Characters of each event's data kept in the report. */
  readonly maxDataPreview?: number;
}

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true };
}

/** The fields both browsers' verdicts share, copied so the report never aliases engine objects. */
function verdictBaseOf(verdict: ChromiumVerdict | FirefoxVerdict) {
  return {
    outcome: verdict.outcome,
    cause: verdict.cause,
    message: verdict.message,
    console: [...verdict.console],
    exchangeIndex: verdict.exchangeIndex,
    attempt: verdict.attempt,
    preflightAssumed: verdict.preflightAssumed,
    requestOrigin: verdict.requestOrigin,
  };
}

function chromiumOf(verdict: ChromiumVerdict): ReportChromiumVerdict {
  return { ...verdictBaseOf(verdict), corsError: verdict.corsError, failedParameter: verdict.failedParameter };
}

function firefoxOf(verdict: FirefoxVerdict): ReportFirefoxVerdict {
  return { ...verdictBaseOf(verdict), reason: verdict.reason };
}

function findingOf(finding: Finding, platforms: readonly Platform[] | undefined): ReportFinding {
  const fix = renderFix(finding.fix, platforms);
  return {
    ruleId: finding.ruleId,
    messageId: finding.messageId,
    severity: finding.severity,
    title: finding.title,
    message: finding.message,
    data: { ...finding.data },
    evidence: finding.evidence.map((e) => ({ ...e })),
    fix: {
      summary: fix.summary,
      snippets: fix.snippets.map((s) => ({ platform: s.platform, language: s.language, code: s.code })),
    },
    docsUrl: finding.docsUrl,
  };
}

function exchangeOf(exchange: Exchange): ReportExchange {
  return {
    kind: exchange.kind,
    attempt: exchange.attempt,
    method: exchange.method,
    url: exchange.url,
    status: exchange.status,
    statusText: exchange.statusText,
    httpVersion: exchange.httpVersion,
    requestHeaders: exchange.requestHeaders.map(([name, value]) => [name, value] as const),
    responseHeaders: exchange.responseHeaders.map(([name, value]) => [name, value] as const),
    timing: { ...exchange.timing },
    bodyBytes: exchange.bodyBytes,
    bodyEnd: exchange.bodyEnd,
    error: exchange.error,
  };
}

function eventOf(event: StreamEvent, maxData: number): ReportEvent {
  const data = truncate(event.data, maxData);
  return {
    at: event.at,
    attempt: event.attempt,
    type: event.type,
    data: data.text,
    dataTruncated: data.truncated,
    id: event.id,
    size: event.size,
  };
}

function streamOf(source: ReportSource, options: BuildOptions): ReportStream {
  const captured = 'analysis' in source ? source : null;
  const analysis = captured ? captured.analysis : (source as StreamAnalysis);
  const { record, verdicts } = analysis;
  const maxEvents = Math.max(0, options.maxEvents ?? DEFAULT_MAX_EVENTS);
  const maxData = Math.max(0, options.maxDataPreview ?? DEFAULT_MAX_DATA_PREVIEW);
  const attempts = record.exchanges.reduce((max, e) => Math.max(max, e.attempt), 0);
  return {
    id: record.id,
    url: record.url,
    client: {
      kind: record.client.kind,
      pageOrigin: record.pageOrigin,
      credentials: record.client.credentials === 'include',
      credentialsMode: record.client.credentials,
      method: record.client.method,
      headers: record.client.headers.map(([name, value]) => [name, value] as const),
    },
    verdicts: { chromium: chromiumOf(verdicts.chromium), firefox: firefoxOf(verdicts.firefox) },
    findings: analysis.findings.map((f) => findingOf(f, options.platforms)),
    notApplicable: [...analysis.notApplicable],
    exchanges: record.exchanges.map(exchangeOf),
    attempts,
    readyStates: record.readyStates.map((t) => ({ ...t })),
    events: record.events.slice(0, maxEvents).map((e) => eventOf(e, maxData)),
    eventsOmitted: Math.max(0, record.events.length - maxEvents),
    droppedEvents: record.droppedEvents,
    retryValues: [...record.retryValues],
    observedFor: record.observedFor,
    originProbes: record.originProbes.map((probe) => ({ ...probe })),
    ...(captured?.startedAt === undefined ? {} : { startedAt: new Date(captured.startedAt).toISOString() }),
    ...(captured?.observed === undefined ? {} : { observed: captured.observed }),
  };
}

/** The schemaVersion 1 report of analyzed streams: plain data, safe to serialize as is. */
export function buildReport(analyses: readonly ReportSource[], options: BuildOptions): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'sse-inspector', version: options.toolVersion },
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    streams: analyses.map((a) => streamOf(a, options)),
  };
}
