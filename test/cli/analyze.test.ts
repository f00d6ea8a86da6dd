import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeCommand, type AnalyzeOptions } from '@/cli/commands/analyze';
import type { Report } from '@/lib/report/index';
import { reportSchemaErrors } from '@/test/support/schema-validators';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/har/${name}`, import.meta.url));
const TEXT: AnalyzeOptions = { format: 'text', failOn: 'error', color: false, toolVersion: '9.9.9', generatedAt: '2025-03-01T10:00:00.000Z' };
const JSON_OUT: AnalyzeOptions = { ...TEXT, format: 'json' };

describe('analyze', () => {
  it('explains a blocked stream and fails on its error', async () => {
    const result = await analyzeCommand(fixture('chrome-blocked-missing-acao.har'), TEXT);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain('  Chromium  blocked  MissingAllowOriginHeader\n');
    expect(result.output).toContain('  Firefox   blocked  CORSMissingAllowOrigin\n');
    expect(result.output).toContain('[acao-missing]');
    expect(result.output).not.toContain('\u001b');
  });

  it('colours the text only when asked', async () => {
    const result = await analyzeCommand(fixture('chrome-blocked-missing-acao.har'), { ...TEXT, color: true });
    expect(result.output).toContain('\u001b[31mblocked\u001b[0m');
  });

  it('exits 0 when nothing reaches --fail-on', async () => {
    expect((await analyzeCommand(fixture('chrome-blocked-missing-acao.har'), { ...TEXT, failOn: 'none' })).exitCode).toBe(0);
    expect((await analyzeCommand(fixture('chrome-open-with-events.har'), TEXT)).exitCode).toBe(0);
    expect((await analyzeCommand(fixture('chrome-open-with-events.har'), { ...TEXT, failOn: 'warning' })).exitCode).toBe(0);
  });

  it('fails on warnings too when --fail-on warning and there is an error', async () => {
    expect((await analyzeCommand(fixture('firefox-wrong-mime.har'), { ...TEXT, failOn: 'warning' })).exitCode).toBe(1);
  });

  it('writes the JSON report, valid against the schema', async () => {
    const result = await analyzeCommand(fixture('chrome-open-with-events.har'), JSON_OUT);
    const report = JSON.parse(result.output) as Report;
    expect(result.output.endsWith('\n')).toBe(true);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.tool).toEqual({ name: 'sse-inspector', version: '9.9.9' });
    expect(report.generatedAt).toBe('2025-03-01T10:00:00.000Z');
    expect(report.streams[0]?.events.map((e) => e.data)).toEqual(['{"n":1}', 'two\nlines', 'last']);
  });

  const readable = [
    'chrome-blocked-missing-acao.har', 'chrome-open-with-events.har', 'chrome-reconnect-loop.har', 'chrome-fetch-preflight.har',
    'chrome-redirect.har', 'firefox-blocked.har', 'firefox-wrong-mime.har', 'some-bad-entries.har', 'no-streams.har',
  ];
  for (const name of readable) {
    it(`produces a schema-valid report for ${name}`, async () => {
      const result = await analyzeCommand(fixture(name), { ...JSON_OUT, failOn: 'none' });
      expect(result.exitCode).toBe(0);
      expect(reportSchemaErrors(JSON.parse(result.output))).toEqual([]);
    });
  }

  it('stamps the package version when none is given', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { toolVersion: _omit, ...options } = JSON_OUT;
    const report = JSON.parse((await analyzeCommand(fixture('no-streams.har'), options)).output) as Report;
    expect(report.tool.version).toBe(pkg.version);
  });

  it('says when no stream was found', async () => {
    const result = await analyzeCommand(fixture('no-streams.har'), TEXT);
    expect(result).toEqual({ output: 'No event streams found.\n', exitCode: 0 });
  });

  it('notes skipped entries in text output', async () => {
    const result = await analyzeCommand(fixture('some-bad-entries.har'), TEXT);
    expect(result.output.endsWith('note: 3 HAR entries could not be read and were skipped\n')).toBe(true);
  });
});

describe('analyze: unreadable input', () => {
  const cases: [string, string, Partial<AnalyzeOptions>, string][] = [
    ['invalid JSON', fixture('invalid-json.har'), {}, 'not valid JSON ('],
    ['a JSON array', fixture('not-an-object.har'), {}, 'not a HAR file: expected a JSON object'],
    ['a log without entries', fixture('no-entries.har'), {}, 'not a HAR file: no "log.entries"'],
    ['entries that are not a list', fixture('entries-not-array.har'), {}, 'not a HAR file: "log.entries" is not an array'],
    ['a missing file', fixture('does-not-exist.har'), {}, 'no such file'],
    ['a directory', fileURLToPath(new URL('../fixtures/har/', import.meta.url)), {}, 'is a directory'],
    ['a file over the size limit', fixture('chrome-redirect.har'), { maxBytes: 100 }, 'is larger than 100 bytes'],
  ];
  for (const [name, path, options, reason] of cases) {
    it(`exits 2 with a one-line message for ${name}`, async () => {
      const result = await analyzeCommand(path, { ...TEXT, ...options });
      expect(result.exitCode).toBe(2);
      expect(result.output.startsWith(`sse-inspector: ${path}: ${reason}`)).toBe(true);
      expect(result.output.trimEnd()).not.toContain('\n');
      expect(result.output.endsWith('\n')).toBe(true);
    });
  }

  it('escapes file content that the JSON error message quotes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sse-inspector-'));
    try {
      const path = join(dir, 'hostile.har');
      writeFileSync(path, '{"log": x\u001b[2J}');
      const result = await analyzeCommand(path, TEXT);
      expect(result.exitCode).toBe(2);
      expect(result.output).toContain('not valid JSON (');
      expect(result.output).not.toContain('\u001b');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
