import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChromiumCorsError, FirefoxReason } from '@/lib/cors/vocabulary';
import { analyzeStream, analyzeStreams } from '@/lib/engine';
import { stream } from '@/lib/model/builders';
import { buildReport, formatJson, formatText, highestSeverity, type Report, type ReportFinding } from '@/lib/report/index';
import { reportSchemaErrors } from '@/test/support/schema-validators';

// Exhaustive by type: adding a code to lib/cors/vocabulary.ts fails to compile until it is listed here.
const CHROMIUM: Readonly<Record<ChromiumCorsError, true>> = {
  MissingAllowOriginHeader: true, MultipleAllowOriginValues: true, InvalidAllowOriginValue: true, AllowOriginMismatch: true,
  WildcardOriginNotAllowed: true, InvalidAllowCredentials: true, PreflightMissingAllowOriginHeader: true,
  PreflightMultipleAllowOriginValues: true, PreflightInvalidAllowOriginValue: true, PreflightAllowOriginMismatch: true,
  PreflightWildcardOriginNotAllowed: true, PreflightInvalidAllowCredentials: true, PreflightInvalidStatus: true,
  PreflightDisallowedRedirect: true, MethodDisallowedByPreflightResponse: true, HeaderDisallowedByPreflightResponse: true,
  InvalidAllowMethodsPreflightResponse: true, InvalidAllowHeadersPreflightResponse: true, RedirectContainsCredentials: true,
};
const FIREFOX: Readonly<Record<FirefoxReason, true>> = {
  CORSMissingAllowOrigin: true, CORSMultipleAllowOriginNotAllowed: true, CORSAllowOriginNotMatchingOrigin: true,
  CORSNotSupportingCredentials: true, CORSMissingAllowCredentials: true, CORSPreflightDidNotSucceed: true,
  CORSExternalRedirectNotAllowed: true, CORSMethodNotFound: true, CORSInvalidAllowMethod: true, CORSInvalidAllowHeader: true,
  CORSMissingAllowHeaderFromPreflight: true, CORSDidNotSucceed: true,
};
const CHROMIUM_CORS_ERRORS = Object.keys(CHROMIUM);
const FIREFOX_REASONS = Object.keys(FIREFOX);

const schema = JSON.parse(readFileSync(new URL('../../../schema/report.schema.json', import.meta.url), 'utf8')) as { $defs: Record<string, { enum: string[] }> };
const OPTIONS = { toolVersion: '1.2.3', generatedAt: '2025-03-01T10:00:00.000Z' };
const blocked = () => stream({ pageOrigin: 'https://app.test' });
// Cache-Control and Vary too, so that no rule of the full catalogue has anything to say.
const open = () => stream({ pageOrigin: 'https://app.test', acao: 'https://app.test', headers: [['Cache-Control', 'no-cache'], ['Vary', 'Origin']] });

function reportOf(...records: ReturnType<typeof stream>[]): Report {
  return buildReport(analyzeStreams(records), OPTIONS);
}

describe('buildReport', () => {
  it('writes the schemaVersion 1 envelope', () => {
    const report = reportOf(open());
    expect(report.schemaVersion).toBe(1);
    expect(report.tool).toEqual({ name: 'sse-inspector', version: '1.2.3' });
    expect(report.generatedAt).toBe('2025-03-01T10:00:00.000Z');
    expect(report.streams).toHaveLength(1);
  });

  it('stamps the current time when no generatedAt is given', () => {
    const report = buildReport([], { toolVersion: '1' });
    expect(Number.isNaN(Date.parse(report.generatedAt))).toBe(false);
  });

  it('carries the client, both verdicts and the findings of a blocked stream', () => {
    const [s] = reportOf(stream({ pageOrigin: 'https://app.test', client: 'fetch', credentials: true, requestHeaders: [['X-Api-Key', 'k']] })).streams;
    expect(s?.client).toEqual({
      kind: 'fetch',
      pageOrigin: 'https://app.test',
      credentials: true,
      credentialsMode: 'include',
      method: 'GET',
      headers: [['X-Api-Key', 'k']],
    });
    expect(s?.verdicts.chromium).toMatchObject({ outcome: 'blocked', corsError: expect.any(String) });
    expect(s?.verdicts.firefox).toMatchObject({ outcome: 'blocked', reason: expect.any(String) });
  });

  it('uses null, not absence, for the codes of an open stream', () => {
    const [s] = reportOf(open()).streams;
    expect(s?.verdicts.chromium).toMatchObject({ outcome: 'open', corsError: null, failedParameter: null, message: null });
    expect(s?.verdicts.firefox).toMatchObject({ outcome: 'open', reason: null, message: null });
    expect(s?.findings).toEqual([]);
  });

  it('renders each fix for the platforms asked for', () => {
    const report = buildReport([analyzeStream(blocked())], { ...OPTIONS, platforms: ['nginx', 'go'] });
    const finding = report.streams[0]?.findings[0];
    expect(finding?.ruleId).toBe('acao-missing');
    expect(finding?.fix.summary.length).toBeGreaterThan(0);
    expect(finding?.fix.snippets.map((s) => s.platform)).toEqual(['nginx', 'go']);
  });

  it('renders every platform by default', () => {
    const finding = reportOf(blocked()).streams[0]?.findings[0];
    expect(finding?.fix.snippets.length).toBe(11);
  });

  it('caps the events of a stream and counts the rest', () => {
    const events = Array.from({ length: 12 }, (_, i) => ({ data: `event ${i}` }));
    const report = buildReport([analyzeStream(stream({ events }))], { ...OPTIONS, maxEvents: 5 });
    const s = report.streams[0];
    expect(s?.events.map((e) => e.data)).toEqual(['event 0', 'event 1', 'event 2', 'event 3', 'event 4']);
    expect(s?.eventsOmitted).toBe(7);
  });

  it('keeps 1000 events by default', () => {
    const events = Array.from({ length: 1003 }, () => ({ data: 'x' }));
    const s = reportOf(stream({ events })).streams[0];
    expect(s?.events).toHaveLength(1000);
    expect(s?.eventsOmitted).toBe(3);
  });

  it('cuts long event data without splitting a surrogate pair', () => {
    const data = `${'a'.repeat(9)}😀tail`;
    const report = buildReport([analyzeStream(stream({ events: [{ data }, { data: 'short' }] }))], { ...OPTIONS, maxDataPreview: 10 });
    const [long, short] = report.streams[0]?.events ?? [];
    expect(long).toMatchObject({ data: 'a'.repeat(9), dataTruncated: true, size: data.length + 7 });
    expect(short).toMatchObject({ data: 'short', dataTruncated: false });
  });

  it('counts attempts and keeps every exchange', () => {
    const s = reportOf(stream({ acao: '*', attempts: 3, preflight: { acao: '*' }, client: 'fetch' })).streams[0];
    expect(s?.attempts).toBe(3);
    expect(s?.exchanges.map((e) => `${e.attempt}:${e.kind}`)).toEqual(['1:preflight', '1:response', '2:preflight', '2:response', '3:preflight', '3:response']);
  });

  it('is plain data: JSON round-trips it unchanged', () => {
    const report = reportOf(blocked(), open());
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe('report schema', () => {
  const records = {
    blocked: blocked(),
    open: open(),
    credentialedWildcard: stream({ acao: '*', credentials: true }),
    preflightFetch: stream({ client: 'fetch', method: 'POST', requestHeaders: [['Authorization', 'Bearer x']], preflight: { acao: 'https://app.test', allowHeaders: 'authorization' }, acao: 'https://app.test' }),
    redirect: stream({ redirects: [{ location: 'https://other.test/events', acao: '*' }], acao: '*' }),
    reconnecting: stream({ acao: '*', attempts: 4, events: [{ data: 'a', id: '1' }, { data: 'b', type: 'tick' }] }),
    networkError: stream({ error: 'net::ERR_CONNECTION_REFUSED' }),
    sameOriginWrongType: stream({ url: 'https://app.test/events', contentType: 'text/html' }),
    opaqueOrigin: stream({ pageOrigin: 'null', acao: 'null' }),
    readyStates: stream({ acao: '*', readyStates: [{ at: 0, state: 0, attempt: 1 }, { at: 5, state: 1, attempt: 1 }], retryValues: [500], observedFor: 1000 }),
  };

  for (const [name, record] of Object.entries(records)) {
    it(`validates the report of a ${name} stream`, () => {
      expect(reportSchemaErrors(reportOf(record))).toEqual([]);
    });
  }

  it('validates an empty report', () => {
    expect(reportSchemaErrors(buildReport([], OPTIONS))).toEqual([]);
  });

  it('is strict enough to catch a wrong report', () => {
    const report = reportOf(blocked());
    const s = report.streams[0];
    if (!s) throw new Error('no stream');
    const broken = [
      { ...report, schemaVersion: 2 },
      { ...report, extra: true },
      { ...report, streams: [{ ...s, client: { ...s.client, kind: 'websocket' } }] },
      { ...report, streams: [{ ...s, verdicts: { ...s.verdicts, chromium: { ...s.verdicts.chromium, corsError: 'NotACode' } } }] },
      { ...report, streams: [{ ...s, verdicts: { ...s.verdicts, firefox: { ...s.verdicts.firefox, reason: undefined } } }] },
      { ...report, streams: [{ ...s, exchanges: [{ ...s.exchanges[0], requestHeaders: [['only-a-name']] }] }] },
    ];
    for (const value of broken) expect(reportSchemaErrors(value)).not.toEqual([]);
  });

  it('names every Chromium CORS error and Firefox reason of the engine', () => {
    const defs = (schema as { $defs: Record<string, { enum: string[] }> }).$defs;
    expect(new Set(defs.ChromiumCorsError?.enum)).toEqual(new Set(CHROMIUM_CORS_ERRORS));
    expect(new Set(defs.FirefoxReason?.enum)).toEqual(new Set(FIREFOX_REASONS));
  });
});

describe('formatJson', () => {
  it('pretty-prints with two spaces and a trailing newline', () => {
    const report = reportOf(open());
    const json = formatJson(report, { redact: false });
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.split('\n')[1]).toBe('  "schemaVersion": 1,');
    expect(JSON.parse(json)).toEqual(report);
    // Redacted by default (an open stream has no secret, so only the flag differs).
    expect(JSON.parse(formatJson(report))).toEqual({ ...report, redacted: true });
  });
});

describe('highestSeverity', () => {
  const withSeverities = (...severities: ReportFinding['severity'][]): Report => {
    const report = reportOf(blocked());
    const finding = report.streams[0]?.findings[0] as ReportFinding;
    return { ...report, streams: report.streams.map((s) => ({ ...s, findings: severities.map((severity) => ({ ...finding, severity })) })) };
  };

  it('is null without findings', () => {
    expect(highestSeverity(reportOf(open()))).toBeNull();
    expect(highestSeverity(buildReport([], OPTIONS))).toBeNull();
  });

  it('is the most severe finding of any stream', () => {
    expect(highestSeverity(reportOf(blocked()))).toBe('error');
    expect(highestSeverity(withSeverities('info', 'warning', 'info'))).toBe('warning');
    expect(highestSeverity(withSeverities('info'))).toBe('info');
  });
});
