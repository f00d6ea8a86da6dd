import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeStreams } from '@/lib/engine';
import { stream } from '@/lib/model/builders';
import {
  buildReport,
  EXPORT_FORMATS,
  formatFindingMarkdown,
  formatHar,
  formatHtml,
  formatJson,
  formatMarkdown,
  formatReport,
  formatSarif,
  type Report,
} from '@/lib/report/index';
import { rfc3986Uri } from '@/lib/report/sarif';
import { harSchemaErrors, reportSchemaErrors, sarifSchemaErrors } from '@/test/support/schema-validators';
import { FIXTURES, GOLDEN_FILES, GOLDEN_OPTIONS, SAMPLE_BUILD, sampleReport } from './sample';

describe('golden files: the committed sample capture in every format', () => {
  const report = sampleReport();
  for (const format of EXPORT_FORMATS) {
    it(`${format} matches ${GOLDEN_FILES[format]} (regenerate with test/lib/report/write-goldens.ts, then review the diff)`, () => {
      expect(formatReport(report, format, GOLDEN_OPTIONS)).toBe(readFileSync(join(FIXTURES, GOLDEN_FILES[format]), 'utf8'));
    });
  }
});

describe('JSON export', () => {
  it('validates against schema/report.schema.json, redacted or not, with every optional field', () => {
    const record = stream({
      acao: 'https://app.test',
      originProbes: [{ kind: 'null', origin: 'null', status: 200, allowOrigin: 'null', allowCredentials: 'true' }],
    });
    const captured = buildReport([{ analysis: analyzeStreams([record])[0]!, startedAt: 0, observed: 'open' }], SAMPLE_BUILD);
    for (const report of [sampleReport(), captured]) {
      for (const options of [{}, { redact: false }]) {
        expect(reportSchemaErrors(JSON.parse(formatJson(report, options)))).toEqual([]);
      }
    }
  });

  it('redacts by default and says so', () => {
    const text = formatJson(sampleReport());
    expect(JSON.parse(text).redacted).toBe(true);
    expect(text).not.toContain('sample-bearer-token-8f3a2c');
    expect(formatJson(sampleReport(), { redact: false })).toContain('sample-bearer-token-8f3a2c');
  });
});

describe('SARIF export', () => {
  const report = sampleReport();
  const sarif = JSON.parse(formatSarif(report, GOLDEN_OPTIONS)) as {
    version: string;
    runs: { tool: { driver: { rules: { id: string; helpUri?: string; help: { text: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; partialFingerprints: Record<string, string> }[] }[];
  };

  it('validates against the full SARIF 2.1.0-rtm.5 schema, redacted or not, and names it', () => {
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarifSchemaErrors(JSON.parse(formatSarif(report, { redact: false })))).toEqual([]);
    expect((sarif as unknown as { $schema: string }).$schema).toBe('https://json.schemastore.org/sarif-2.1.0-rtm.5.json');
  });

  it('the schema check is strict enough to catch a wrong log: structure, formats, patterns, uniqueItems', () => {
    const run = sarif.runs[0]!;
    const broken = [
      { ...sarif, version: '2.0.0' },
      { ...sarif, runs: [{ ...run, tool: {} }] },
      { ...sarif, runs: [{ ...run, results: [{ ...run.results[0], message: {} }] }] },
      { ...sarif, runs: [{ ...run, results: [{ ...run.results[0], level: 'fatal' }] }] },
      { ...sarif, runs: [{ ...run, results: [{ ...run.results[0], location: 'typo' }] }] },
      // What the full schema adds to the structure: RFC 3986 URIs (a redaction marker's brackets in
      // a query are not one), RFC 3339 times, GUID patterns, unique tags.
      { ...sarif, runs: [{ ...run, results: [{ ...run.results[0], locations: [{ physicalLocation: { artifactLocation: { uri: 'http://x.test/?token=[redacted:00000000]' } } }] }] }] },
      { ...sarif, runs: [{ ...run, invocations: [{ executionSuccessful: true, endTimeUtc: 'yesterday' }] }] },
      { ...sarif, runs: [{ ...run, results: [{ ...run.results[0], guid: 'not-a-guid' }] }] },
      { ...sarif, runs: [{ ...run, tool: { driver: { ...run.tool.driver, rules: [run.tool.driver.rules[0], run.tool.driver.rules[0]] } } }] },
    ];
    for (const value of broken) expect(sarifSchemaErrors(value)).not.toEqual([]);
  });

  it('has one result per finding, located at the stream URL, with its rule described once', () => {
    const run = sarif.runs[0]!;
    const findings = report.streams.flatMap((s) => s.findings.map((f) => ({ url: s.url, ruleId: f.ruleId, severity: f.severity })));
    expect(run.results).toHaveLength(findings.length);
    const redactedUrls = JSON.parse(formatJson(report, GOLDEN_OPTIONS)).streams.map((s: { url: string }) => s.url) as string[];
    run.results.forEach((result, i) => {
      const finding = findings[i]!;
      expect(result.ruleId).toBe(finding.ruleId);
      expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(finding.ruleId);
      expect(result.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[finding.severity]);
      expect(redactedUrls.map(rfc3986Uri)).toContain(result.locations[0]?.physicalLocation.artifactLocation.uri);
    });
    expect(new Set(run.tool.driver.rules.map((r) => r.id)).size).toBe(run.tool.driver.rules.length);
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri).toMatch(/^https:\/\//);
      expect(rule.help.text.length).toBeGreaterThan(40);
    }
  });

  it('keeps fingerprints stable when only the redaction salt changes', () => {
    const other = JSON.parse(formatSarif(report, { redactionSalt: 'another-run' })) as typeof sarif;
    expect(other.runs[0]?.results.map((r) => r.partialFingerprints)).toEqual(sarif.runs[0]?.results.map((r) => r.partialFingerprints));
    expect(other.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri)).not.toEqual(
      sarif.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri),
    );
  });
});

describe('HAR export', () => {
  const har = JSON.parse(formatHar(sampleReport(), GOLDEN_OPTIONS)) as { log: { entries: Record<string, unknown>[]; pages: { title: string }[] } & Record<string, unknown> };

  it('validates against HAR 1.2, and every non-standard field starts with an underscore', () => {
    expect(harSchemaErrors(har)).toEqual([]);
    const standard = new Set(['log', 'version', 'creator', 'browser', 'pages', 'entries', 'comment', 'name', 'value', 'startedDateTime', 'id', 'title', 'pageTimings', 'onContentLoad', 'onLoad', 'pageref', 'time', 'request', 'response', 'cache', 'timings', 'method', 'url', 'httpVersion', 'cookies', 'headers', 'queryString', 'headersSize', 'bodySize', 'status', 'statusText', 'content', 'redirectURL', 'size', 'mimeType', 'text', 'blocked', 'dns', 'connect', 'send', 'wait', 'receive', 'ssl']);
    const custom = new Set<string>();
    const walk = (value: unknown, inCustom: boolean): void => {
      if (Array.isArray(value)) return value.forEach((item) => walk(item, inCustom));
      if (typeof value !== 'object' || value === null) return;
      for (const [key, child] of Object.entries(value)) {
        if (!inCustom && !standard.has(key)) custom.add(key);
        walk(child, inCustom || key.startsWith('_'));
      }
    };
    walk(har, false);
    expect([...custom].filter((key) => !key.startsWith('_'))).toEqual([]);
  });

  it('lists one entry per exchange in time order, messages on the responses that delivered them', () => {
    const report = sampleReport();
    expect(har.log.entries).toHaveLength(report.streams.reduce((n, s) => n + s.exchanges.length, 0));
    const times = har.log.entries.map((e) => Date.parse(e.startedDateTime as string));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const messages = har.log.entries.flatMap((e) => (e._eventSourceMessages as unknown[] | undefined) ?? []);
    expect(messages).toHaveLength(report.streams.reduce((n, s) => n + s.events.length, 0));
    expect(har.log.pages.map((p) => p.title)).toEqual(['http://localhost:18180/']);
  });
});

describe('Markdown export', () => {
  const report = sampleReport();
  const markdown = formatMarkdown(report, GOLDEN_OPTIONS);

  it('has a summary row per stream and every finding with its rule id', () => {
    const rows = markdown.split('\n').filter((line) => /^\| \d+ \| `/.test(line));
    expect(rows).toHaveLength(report.streams.length);
    for (const finding of report.streams.flatMap((s) => s.findings)) expect(markdown).toContain(`\`${finding.ruleId}\``);
  });

  it('shows the fix for the platform asked for', () => {
    const nginx = formatMarkdown(report, { ...GOLDEN_OPTIONS, platform: 'nginx' });
    expect(nginx).toContain('```nginx\n');
    expect(nginx).not.toContain('```javascript\n');
  });

  it('copies one finding as Markdown, redacted, naming its stream', () => {
    const streamIndex = report.streams.findIndex((s) => s.findings.some((f) => f.ruleId === 'preflight-triggered-by-request-headers' && s.client.headers.length > 0));
    const stream = report.streams[streamIndex]!;
    const text = formatFindingMarkdown(report, streamIndex, 0, GOLDEN_OPTIONS);
    expect(text.startsWith(`#### Info: Stream request triggers a CORS preflight\n`)).toBe(true);
    expect(text).toContain(`Stream: \`${stream.url}\``);
    expect(text).toMatch(/Bearer \\\[redacted:[0-9a-f]{8}\\\]/);
    expect(text).not.toContain('sample-bearer-token');
    expect(formatFindingMarkdown(report, 99, 0)).toBe('');
  });
});

describe('bounded exports', () => {
  function hugeReport(): Report {
    const events = Array.from({ length: 100_000 }, (_, i) => ({ at: i, data: `{"seq":${i}}` }));
    const records = Array.from({ length: 150 }, (_, i) =>
      stream({ id: `s${i}`, url: `https://api.test/events/${i}`, acao: '*', headers: Array.from({ length: 300 }, (_, h) => [`X-H${h}`, 'v'] as const), events: i === 0 ? events : [] }),
    );
    return buildReport(analyzeStreams(records), SAMPLE_BUILD);
  }

  it('says how much it left out, and stays small', () => {
    const report = hugeReport();
    const markdown = formatMarkdown(report);
    const page = formatHtml(report);
    expect(markdown).toContain('50 more streams omitted from the details.');
    expect(page).toContain('50 more streams omitted from the details.');
    // Content-Type, Access-Control-Allow-Origin and the 300 extra lines, 100 shown.
    expect(page).toContain('202 more header lines omitted');
    // 1000 events kept by the report (99,000 counted), 50 shown: 99,950 not shown.
    expect(page).toContain('99950 more messages omitted');
    expect(markdown.length).toBeLessThan(2_000_000);
    expect(page.length).toBeLessThan(12_000_000);
  });

  it('cuts a huge value and says by how much', () => {
    const report = buildReport(analyzeStreams([stream({ url: `https://api.test/e?q=${'a'.repeat(5000)}` })]), SAMPLE_BUILD);
    expect(formatHtml(report)).toMatch(/… \(\d+ more characters omitted\)/);
    expect(formatMarkdown(report)).toMatch(/… \(\d+ more characters omitted\)/);
  });
});
