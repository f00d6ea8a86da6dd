import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '@/cli/main';
import { analyzeCommand, type AnalyzeOptions } from '@/cli/commands/analyze';
import { checkCommand, type CheckOptions } from '@/cli/commands/check';
import { analyzeStream } from '@/lib/engine';
import { stream } from '@/lib/model/builders';
import type { Report } from '@/lib/report/index';
import { evaluateWhatIf } from '@/lib/whatif/evaluate';
import { whatIfReportJson } from '@/lib/whatif/export';
import { whatIfFrom, whatIfReducer } from '@/lib/whatif/state';
import { reportSchemaErrors } from '@/test/support/schema-validators';
import { closeAll, EVENT_STREAM, fakeIo, startServer } from './servers';

/**
 * `sse-inspector analyze <report.json>`: every stream of a report is evaluated again from its
 * inputs, with the exit codes of `check`. Reports come from the CLI itself, from the panel's
 * what-if export, from hand-written scenario files, and from hand edits of any of them.
 */
const scenario = (name: string) => fileURLToPath(new URL(`../fixtures/report/${name}`, import.meta.url));
const TEXT: AnalyzeOptions = { format: 'text', failOn: 'error', color: false, toolVersion: '9.9.9', generatedAt: '2025-03-01T10:00:00.000Z' };
const JSON_OUT: AnalyzeOptions = { ...TEXT, format: 'json' };
const PAGE = 'https://app.test';

const dir = mkdtempSync(join(tmpdir(), 'sse-inspector-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(closeAll);

let written = 0;
function file(content: unknown): string {
  const path = join(dir, `report-${++written}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const verdictsOf = (report: Report) =>
  report.streams.map(({ verdicts: { chromium, firefox } }) => [chromium.outcome, chromium.corsError, firefox.outcome, firefox.reason]);
const rulesOf = (report: Report) => report.streams.map((s) => s.findings.map((f) => f.ruleId));

async function analyzeJson(path: string, options: Partial<AnalyzeOptions> = {}): Promise<{ report: Report; exitCode: number }> {
  const result = await analyzeCommand(path, { ...JSON_OUT, ...options });
  expect(result.exitCode, result.output).not.toBe(2);
  const report = JSON.parse(result.output) as Report;
  expect(reportSchemaErrors(report)).toEqual([]);
  return { report, exitCode: result.exitCode };
}

const CHECK: CheckOptions = {
  origin: PAGE, client: 'eventsource', credentials: true, headers: [], method: 'GET', durationMs: 300,
  probeSecurity: false, format: 'json', failOn: 'error', color: false, toolVersion: '9.9.9', generatedAt: '2025-03-01T10:00:00.000Z',
};

describe('analyze <report.json>', () => {
  it("re-evaluates check's own report to the same verdicts, findings and exit code", async () => {
    const servers = [
      await startServer((_req, res) => {
        res.writeHead(200, { ...EVENT_STREAM, 'Access-Control-Allow-Origin': '*' });
        res.write('data: x\n\n');
      }),
      await startServer((req, res) => {
        res.writeHead(200, { ...EVENT_STREAM, Vary: 'Origin', 'Access-Control-Allow-Origin': req.headers.origin ?? '', 'Access-Control-Allow-Credentials': 'true' });
        res.write('data: x\n\n');
      }),
    ];
    for (const server of servers) {
      const checked = await checkCommand(server.url(), CHECK);
      const before = JSON.parse(checked.output) as Report;
      const { report, exitCode } = await analyzeJson(file(checked.output));
      expect(exitCode).toBe(checked.exitCode);
      expect(verdictsOf(report)).toEqual(verdictsOf(before));
      expect(rulesOf(report)).toEqual(rulesOf(before));
    }
  });

  it('reads hand-written scenarios kept in a repository, and exits as check would', async () => {
    const broken = await analyzeJson(scenario('scenario-wildcard-credentials.json'));
    expect(broken.exitCode).toBe(1);
    expect(verdictsOf(broken.report)).toEqual([['blocked', 'WildcardOriginNotAllowed', 'blocked', 'CORSNotSupportingCredentials']]);
    const fixed = await analyzeJson(scenario('scenario-allowlisted-credentials.json'));
    expect(fixed.exitCode).toBe(0);
    expect(verdictsOf(fixed.report)).toEqual([
      ['open', null, 'open', null],
      ['open', null, 'open', null],
    ]);
  });

  it('re-evaluates an exported what-if scenario to the predicted verdicts, and keeps its mark', async () => {
    const captured = stream({ id: 'r:7', url: 'https://api.test/events', pageOrigin: PAGE, acao: '*', credentials: true });
    const analysis = analyzeStream(captured);
    const state = whatIfFrom(captured);
    const finding = analysis.findings[0]!;
    const fixed = whatIfReducer(state, { type: 'apply-fix', ruleId: finding.ruleId, plan: finding.fix.plan });
    const evaluation = evaluateWhatIf(fixed);
    const exported = whatIfReportJson(evaluation, analysis, '9.9.9', new Date(0));
    const { report, exitCode } = await analyzeJson(file(exported));
    expect(exitCode).toBe(0);
    expect(verdictsOf(report)).toEqual(verdictsOf(JSON.parse(exported) as Report));
    expect(verdictsOf(report)).toEqual([['open', null, 'open', null]]);
    expect(report.streams[0]?.whatIf).toEqual((JSON.parse(exported) as Report).streams[0]?.whatIf);
    const text = await analyzeCommand(file(exported), TEXT);
    expect(text.output.endsWith('note: 1 stream is a what-if scenario (edited headers), not a capture\n')).toBe(true);
  });

  it('re-evaluates a fixed fetch refused at its preflight, with its assumed final response, to open', async () => {
    const preflighted = stream({ id: 'r:8', url: 'https://api.test/events', pageOrigin: PAGE, client: 'fetch', requestHeaders: [['X-API-Key', 'demo']], preflight: { acao: PAGE, allowMethods: 'GET' } });
    const refused = { ...preflighted, exchanges: preflighted.exchanges.filter((e) => e.kind === 'preflight') };
    const analysis = analyzeStream(refused);
    const finding = analysis.findings.find((f) => f.ruleId === 'preflight-header-not-allowed')!;
    const fixed = whatIfReducer(whatIfFrom(refused), { type: 'apply-fix', ruleId: finding.ruleId, plan: finding.fix.plan });
    const exported = whatIfReportJson(evaluateWhatIf(fixed), analysis, '9.9.9', new Date(0));
    const { report, exitCode } = await analyzeJson(file(exported));
    expect(exitCode).toBe(0);
    expect(verdictsOf(report)).toEqual([['open', null, 'open', null]]);
    expect(report.streams[0]?.exchanges.map((e) => [e.kind, e.status])).toEqual([['preflight', 204], ['response', 200]]);
    // The edits say which exchange nobody captured, and survive the round trip.
    expect(report.streams[0]?.whatIf?.edits).toContainEqual({ field: 'exchange', exchange: 'final', from: null, to: 'assumed' });
  });

  it('follows a hand edit of a header in an exported report', async () => {
    const { report: before } = await analyzeJson(scenario('scenario-allowlisted-credentials.json'));
    const edited = structuredClone(before) as unknown as { streams: { exchanges: { responseHeaders: [string, string][] }[] }[] };
    const lines = edited.streams[0]!.exchanges[0]!.responseHeaders;
    lines.splice(lines.findIndex(([name]) => name === 'Access-Control-Allow-Credentials'), 1);
    const { report, exitCode } = await analyzeJson(file(edited));
    expect(exitCode).toBe(1);
    expect(verdictsOf(report)[0]).toEqual(['blocked', 'InvalidAllowCredentials', 'blocked', 'CORSMissingAllowCredentials']);
    // The second stream was not edited: the same verdict as before.
    expect(verdictsOf(report)[1]).toEqual(verdictsOf(before)[1]);
  });

  it('honours --fail-on', async () => {
    expect((await analyzeCommand(scenario('scenario-wildcard-credentials.json'), { ...TEXT, failOn: 'none' })).exitCode).toBe(0);
    const text = await analyzeCommand(scenario('scenario-wildcard-credentials.json'), TEXT);
    expect(text.output).toContain('  Chromium  blocked  WildcardOriginNotAllowed\n');
  });

  it('is wired into the command line', async () => {
    const io = fakeIo();
    expect(await main(['analyze', scenario('scenario-allowlisted-credentials.json'), '--format', 'json'], io.io)).toBe(0);
    expect((JSON.parse(io.stdout) as Report).streams).toHaveLength(2);
    const failing = fakeIo();
    expect(await main(['analyze', scenario('scenario-wildcard-credentials.json')], failing.io)).toBe(1);
    expect(failing.stdout).toContain('[acao-wildcard-with-credentials]');
  });
});

describe('analyze <report.json>: malformed reports', () => {
  const minimal = () => JSON.parse(readFileSync(scenario('scenario-wildcard-credentials.json'), 'utf8')) as { schemaVersion: unknown; streams: Record<string, unknown>[] };
  const cases: [string, (report: ReturnType<typeof minimal>) => unknown, string][] = [
    ['a newer schema version', (r) => ({ ...r, schemaVersion: 2 }), 'schemaVersion: expected 1, got 2'],
    ['streams that are not a list', (r) => ({ ...r, streams: {} }), 'streams: expected an array'],
    ['a stream without URL', (r) => ({ ...r, streams: [{ ...r.streams[0], url: undefined }] }), 'streams[0].url: expected a string'],
    ['an unknown client', (r) => ({ ...r, streams: [{ ...r.streams[0], client: { kind: 'websocket', pageOrigin: PAGE } }] }), 'streams[0].client.kind: expected one of "eventsource", "fetch"'],
    ['a status as text', (r) => ({ ...r, streams: [{ ...r.streams[0], exchanges: [{ kind: 'response', status: '200' }] }] }), 'streams[0].exchanges[0].status: expected a status from 100 to 599, or null for no response'],
    ['an exchange without status', (r) => ({ ...r, streams: [{ ...r.streams[0], exchanges: [{ kind: 'response' }] }] }), 'streams[0].exchanges[0].status: expected a status'],
    ['a header line that is not a pair', (r) => ({ ...r, streams: [{ ...r.streams[0], exchanges: [{ kind: 'response', status: 200, responseHeaders: [['Vary']] }] }] }), 'streams[0].exchanges[0].responseHeaders[0]: expected a ["Name", "value"] pair'],
    ['too many exchanges', (r) => ({ ...r, streams: [{ ...r.streams[0], exchanges: Array.from({ length: 1001 }, () => ({ kind: 'response', status: 200 })) }] }), 'streams[0].exchanges: more than 1000 items'],
    ['a broken what-if mark', (r) => ({ ...r, streams: [{ ...r.streams[0], whatIf: { basedOn: 3 } }] }), 'streams[0].whatIf.basedOn: expected a string'],
  ];
  it.each(cases)('exits 2 with one line naming the field for %s', async (_name, corrupt, reason) => {
    const path = file(corrupt(minimal()));
    const result = await analyzeCommand(path, TEXT);
    expect(result.exitCode).toBe(2);
    expect(result.output.startsWith(`sse-inspector: ${path}: ${reason}`), result.output).toBe(true);
    expect(result.output.trimEnd()).not.toContain('\n');
  });

  it('escapes hostile text the message quotes', async () => {
    const path = file({ schemaVersion: '\u001b[2J' , streams: [] });
    const result = await analyzeCommand(path, TEXT);
    expect(result.exitCode).toBe(2);
    expect(result.output).not.toContain('\u001b');
  });

  it('still reads HAR files, and says so when a file is neither', async () => {
    const result = await analyzeCommand(file({ hello: 'world' }), TEXT);
    expect(result.output).toContain('not a HAR file: no "log" object');
  });
});
