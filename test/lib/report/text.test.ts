import { describe, expect, it } from 'vitest';
import { analyzeStreams } from '@/lib/engine';
import { stream } from '@/lib/model/builders';
import type { StreamRecord } from '@/lib/model/record';
import { buildReport, formatText, type Report, type ReportFinding } from '@/lib/report/index';

const OPTIONS = { toolVersion: '1.0.0', generatedAt: '2025-03-01T10:00:00.000Z' };
const ESC = '\u001b';

function reportOf(records: StreamRecord[], platforms?: Parameters<typeof buildReport>[1]['platforms']): Report {
  return buildReport(analyzeStreams(records), platforms ? { ...OPTIONS, platforms } : OPTIONS);
}

const blocked = stream({ id: 'a', url: 'https://api.test/events', pageOrigin: 'https://app.test' });
const open = stream({ id: 'b', url: 'https://api.test/open', pageOrigin: 'https://app.test', acao: 'https://app.test', headers: [['Cache-Control', 'no-cache'], ['Vary', 'Origin']] });

describe('formatText', () => {
  it('prints a header, one line per browser with its code, and the console message', () => {
    const lines = formatText(reportOf([blocked]), { color: false }).split('\n');
    expect(lines[0]).toBe('https://api.test/events');
    expect(lines[1]).toBe('  eventsource from https://app.test');
    expect(lines[2]).toBe('  Chromium  blocked  MissingAllowOriginHeader');
    expect(lines[3]).toMatch(/^ {12}Access to resource at 'https:\/\/api\.test\/events' from origin 'https:\/\/app\.test' has been blocked by CORS policy/);
    expect(lines[4]).toBe('  Firefox   blocked  CORSMissingAllowOrigin');
    expect(lines[5]).toMatch(/^ {12}Cross-Origin Request Blocked/);
  });

  it('describes credentialed fetch clients and their custom headers', () => {
    const record = stream({ client: 'fetch', method: 'POST', credentials: true, requestHeaders: [['Authorization', 'x']], acao: '*', preflight: { acao: '*' } });
    const lines = formatText(reportOf([record]), { color: false }).split('\n');
    expect(lines[1]).toBe("  POST fetch from https://app.test, credentials: 'include', headers Authorization");
  });

  it('shows the cause when the browser gives no code', () => {
    const text = formatText(reportOf([stream({ url: 'https://app.test/events', contentType: 'text/html' })]), { color: false });
    expect(text).toContain('  Chromium  failed  (mime)\n');
    expect(text).toContain('  Firefox   failed  (mime)\n');
  });

  it('prints each finding with its evidence, fix summary and one snippet', () => {
    const text = formatText(reportOf([blocked]), { color: false });
    expect(text).toContain('  ERROR    Access-Control-Allow-Origin is missing  [acao-missing]');
    expect(text).toMatch(/evidence: response #1 \(attempt 1, 200\) response header Access-Control-Allow-Origin is missing\n/);
    expect(text).toMatch(/fix: .+/);
    expect(text).toContain('           Express:\n');
    expect(text).toContain('app.get("/events"');
    expect(text).not.toContain('Fastify');
  });

  it('prints the snippet of the platform asked for', () => {
    const text = formatText(reportOf([blocked]), { color: false, platform: 'nginx' });
    expect(text).toContain('           nginx:\n');
    expect(text).not.toContain('Express:');
  });

  it('falls back to the first rendered platform when the asked one was not rendered', () => {
    const text = formatText(reportOf([blocked], ['go']), { color: false });
    expect(text).toContain('Go net/http:');
  });

  it('orders findings by severity', () => {
    const report = reportOf([blocked]);
    const finding = report.streams[0]?.findings[0] as ReportFinding;
    const mixed: Report = {
      ...report,
      streams: report.streams.map((s) => ({
        ...s,
        findings: [
          { ...finding, severity: 'info', title: 'Third' },
          { ...finding, severity: 'error', title: 'First' },
          { ...finding, severity: 'warning', title: 'Second' },
        ],
      })),
    };
    const text = formatText(mixed, { color: false });
    const order = ['First', 'Second', 'Third'].map((title) => text.indexOf(`  ${title}  `));
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text.match(/same code as above/g)).toHaveLength(2);
    expect(text).toContain('1 stream: 1 error, 1 warning, 1 info\n');
  });

  it('says so when a stream has no problem', () => {
    const text = formatText(reportOf([open]), { color: false });
    expect(text).toContain('  Chromium  open\n');
    expect(text).toContain('  no problems found\n');
  });

  it('summarizes several streams', () => {
    const text = formatText(reportOf([blocked, open]), { color: false });
    expect(text.endsWith('2 streams: 1 error, 0 warnings, 0 info\n')).toBe(true);
    expect(text.indexOf('https://api.test/open')).toBeGreaterThan(text.indexOf('https://api.test/events'));
  });

  it('reports an empty report in one line', () => {
    expect(formatText(buildReport([], OPTIONS), { color: false })).toBe('No event streams found.\n');
  });

  it('uses ANSI colour only when asked', () => {
    const report = reportOf([blocked, open]);
    expect(formatText(report, { color: false })).not.toContain(ESC);
    const colored = formatText(report, { color: true });
    expect(colored).toContain(`${ESC}[31mblocked${ESC}[0m`);
    expect(colored).toContain(`${ESC}[32mopen${ESC}[0m`);
    expect(colored).toContain(`${ESC}[31mERROR  ${ESC}[0m`);
  });

  it('escapes control and bidi characters from captured data', () => {
    const hostile = stream({ url: 'https://api.test/ev\u001b[2Jents', pageOrigin: 'https://app.test', acao: 'https://evil.test\u001b]0;pwned\u0007\u202e' });
    const text = formatText(reportOf([hostile]), { color: false });
    expect(text).not.toContain(ESC);
    expect(text).not.toContain('\u0007');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('\\u{1b}');
  });

  it('mentions events that the report did not keep', () => {
    const many = stream({ acao: 'https://app.test', events: Array.from({ length: 3 }, () => ({ data: 'x' })) });
    const report = buildReport(analyzeStreams([many]), { ...OPTIONS, maxEvents: 1 });
    expect(formatText(report, { color: false })).toContain('  1 event shown, 2 more not kept\n');
  });
});
