import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import { formatHar, formatJson } from '../../lib/report/index';
import { harSchemaErrors, reportSchemaErrors, sarifSchemaErrors } from '@/test/support/schema-validators';
import { sampleReport } from '../lib/report/sample';
import { closeAll, EVENT_STREAM, fakeIo, startServer } from './servers';

const dir = mkdtempSync(join(tmpdir(), 'sse-inspector-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(closeAll);

const BEARER = 'sample-bearer-token-8f3a2c';

/** Reports say when they were written; two runs differ only there. */
const undated = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>');

async function cli(argv: string[]) {
  const io = fakeIo();
  const exitCode = await main(argv, io.io);
  return { exitCode, stdout: io.stdout, stderr: io.stderr };
}

/** The sample capture as an unredacted HAR and JSON report on disk: analyze's input. */
function sampleFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const har = sampleFile('sample.har', formatHar(sampleReport(), { redact: false }));
const json = sampleFile('sample.json', formatJson(sampleReport(), { redact: false }));

describe('--format', () => {
  it('rejects an unknown format in one line, exit 2', async () => {
    const result = await cli(['analyze', har, '--format', 'yaml']);
    expect(result).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: "sse-inspector: --format must be one of text, json, markdown, html, sarif, har, got 'yaml' (see sse-inspector --help)\n",
    });
  });

  it.each([
    ['markdown', (out: string) => expect(out.startsWith('# SSE Inspector report\n')).toBe(true)],
    ['html', (out: string) => expect(out.startsWith('<!doctype html>\n')).toBe(true)],
    ['sarif', (out: string) => expect(sarifSchemaErrors(JSON.parse(out))).toEqual([])],
    ['har', (out: string) => expect(harSchemaErrors(JSON.parse(out))).toEqual([])],
    ['json', (out: string) => expect(reportSchemaErrors(JSON.parse(out))).toEqual([])],
  ] as const)('analyze writes %s, redacted, and keeps the exit code of the findings', async (format, check) => {
    const result = await cli(['analyze', har, '--format', format]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe('');
    check(result.stdout);
    expect(result.stdout).not.toContain(BEARER);
    expect(result.stdout).toMatch(/\[redacted:[0-9a-f]{8}\]/);
  });

  it('analyze reads a JSON report too, and the HAR and the report say the same', async () => {
    const fromJson = await cli(['analyze', json, '--format', 'markdown', '--no-redact']);
    const fromHar = await cli(['analyze', har, '--format', 'markdown', '--no-redact']);
    expect(fromJson.exitCode).toBe(1);
    expect(undated(fromJson.stdout)).toBe(undated(fromHar.stdout));
  });
});

describe('redaction', () => {
  it('hides secrets in text output unless --no-redact, which warns on stderr', async () => {
    const redacted = await cli(['analyze', har]);
    expect(redacted.stdout).not.toContain(BEARER);
    expect(redacted.stdout).toMatch(/Authorization: Bearer \[redacted:[0-9a-f]{8}\]/);
    const raw = await cli(['analyze', har, '--no-redact']);
    expect(raw.stdout).toContain(`Authorization: Bearer ${BEARER}`);
    expect(raw.stderr).toBe('sse-inspector: warning: --no-redact: the report holds Authorization headers, cookies and tokens as captured\n');
  });

  it('salts each run: the same secret gets another marker next time, the same one within a report', async () => {
    const marker = (text: string) => /Bearer (\[redacted:[0-9a-f]{8}\])/.exec(text)?.[1];
    const [a, b] = [await cli(['analyze', har, '--format', 'json']), await cli(['analyze', har, '--format', 'json'])];
    expect(marker(a.stdout)).toBeDefined();
    expect(marker(a.stdout)).not.toBe(marker(b.stdout));
  });
});

describe('--output', () => {
  it('writes the file, nothing on stdout, and says where on stderr', async () => {
    const path = join(dir, 'report.html');
    const result = await cli(['analyze', har, '--format', 'html', '--output', path, '--no-redact']);
    const written = readFileSync(path, 'utf8');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toContain(`sse-inspector: wrote ${path} (${Buffer.byteLength(written)} bytes)`);
    expect(undated(written)).toBe(undated((await cli(['analyze', har, '--format', 'html', '--no-redact'])).stdout));
  });

  it('fails in one line when the file cannot be written', async () => {
    const path = join(dir, 'missing', 'report.md');
    const result = await cli(['analyze', har, '--format', 'markdown', '-o', path]);
    expect(result).toEqual({ exitCode: 2, stdout: '', stderr: `sse-inspector: cannot write ${path}: no such directory\n` });
  });

  it('check writes any format to a file as well', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { ...EVENT_STREAM, 'Access-Control-Allow-Origin': '*' });
      res.write('data: {"token":"abcdef123456"}\n\n');
    });
    const path = join(dir, 'check.sarif');
    const result = await cli(['check', server.url(), '--origin', 'https://app.test', '--credentials', '--duration', '0.3', '--format', 'sarif', '-o', path]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    const sarif = JSON.parse(readFileSync(path, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0]?.results.map((r) => r.ruleId)).toContain('acao-wildcard-with-credentials');
    const markdown = await cli(['check', server.url(), '--duration', '0.3', '--format', 'har']);
    const entry = JSON.parse(markdown.stdout).log.entries[0];
    expect(entry._eventSourceMessages[0].data).toMatch(/^\{"token":"\[redacted:[0-9a-f]{8}\]"\}$/);
  });
});
