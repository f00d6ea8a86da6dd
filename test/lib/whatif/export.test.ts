import { describe, expect, it } from 'vitest';
import { analyzeStream } from '@/lib/engine';
import { stream } from '@/lib/model/builders';
import { editsOf } from '@/lib/whatif/edits';
import { evaluateWhatIf } from '@/lib/whatif/evaluate';
import { analyzeCommand, whatIfFileName, whatIfReport, whatIfReportJson } from '@/lib/whatif/export';
import { whatIfFrom, whatIfReducer, type WhatIfAction } from '@/lib/whatif/state';
import { recordsFromReport } from '@/lib/report/read';
import { reportSchemaErrors } from '@/test/support/schema-validators';

const PAGE = 'https://app.test';
const captured = stream({ id: 'r:46', url: 'https://api.test/events', pageOrigin: PAGE, acao: '*', credentials: true, client: 'fetch', requestHeaders: [['X-API-Key', 'k']] });
const start = whatIfFrom(captured);
const edit = (...actions: WhatIfAction[]) => actions.reduce(whatIfReducer, start);
const AT = new Date(Date.UTC(2026, 10, 25, 20, 0, 0));

describe('editsOf', () => {
  it('is empty for the capture itself, and for a text that means the same lines', () => {
    expect(editsOf(start)).toEqual([]);
    const reformatted = edit({ type: 'set-response-headers', slot: 'final', text: `\n${start.exchanges.at(-1)?.headers.replace(/: /g, ':   ')}\n\n` });
    expect(editsOf(reformatted)).toEqual([]);
  });

  it('lists each changed field once, with the captured and the edited value', () => {
    const edited = edit(
      { type: 'set-page-origin', value: 'https://other.test' },
      { type: 'set-credentials', credentials: false },
      { type: 'set-status', slot: 'final', text: '401' },
      { type: 'set-response-headers', slot: 'final', text: 'Content-Type: text/event-stream' },
      { type: 'add-preflight' },
    );
    expect(editsOf(edited)).toEqual([
      { field: 'pageOrigin', exchange: null, from: PAGE, to: 'https://other.test' },
      { field: 'credentials', exchange: null, from: 'true', to: 'false' },
      { field: 'exchange', exchange: 'preflight', from: null, to: 'added' },
      { field: 'status', exchange: 'final', from: '200', to: '401' },
      { field: 'responseHeaders', exchange: 'final', from: start.exchanges.at(-1)?.headers, to: 'Content-Type: text/event-stream' },
    ]);
  });
});

describe('whatIfReport', () => {
  const finding = analyzeStream(captured).findings.find((f) => f.ruleId === 'acao-wildcard-with-credentials');
  const fixed = edit({ type: 'apply-fix', ruleId: 'acao-wildcard-with-credentials', plan: finding!.fix.plan });

  it('is the JSON contract with the predicted verdicts, marked as a what-if of the capture', () => {
    const report = whatIfReport(evaluateWhatIf(fixed), analyzeStream(captured), '0.1.0', AT);
    expect(reportSchemaErrors(report)).toEqual([]);
    const [exported] = report.streams;
    expect(exported?.verdicts.chromium.outcome).toBe('open');
    expect(exported?.whatIf).toMatchObject({
      basedOn: 'r:46',
      captured: { chromium: { outcome: 'blocked', corsError: 'WildcardOriginNotAllowed' }, firefox: { outcome: 'blocked', reason: 'CORSNotSupportingCredentials' } },
      fixesApplied: ['acao-wildcard-with-credentials'],
      body: 'streams',
    });
    expect(exported?.whatIf?.edits.map((e) => [e.field, e.exchange])).toEqual([
      ['exchange', 'preflight'],
      ['responseHeaders', 'final'],
    ]);
    expect(report.generatedAt).toBe('2026-11-25T20:00:00.000Z');
  });

  it('serializes as the CLI does, with a file name and the command that reads it back', () => {
    const json = whatIfReportJson(evaluateWhatIf(fixed), analyzeStream(captured), '0.1.0', AT);
    expect(json.endsWith('}\n')).toBe(true);
    expect(reportSchemaErrors(JSON.parse(json))).toEqual([]);
    expect(whatIfFileName(AT)).toBe('sse-inspector-what-if-2026-11-25T20-00-00.json');
    expect(analyzeCommand(whatIfFileName(AT))).toBe('sse-inspector analyze sse-inspector-what-if-2026-11-25T20-00-00.json');
  });

  it('marks a final response the browser never sent as assumed, its lines as edits from nothing', () => {
    const refusedAtPreflight = stream({ id: 'r:9', url: 'https://api.test/events', pageOrigin: PAGE, client: 'fetch', requestHeaders: [['X-API-Key', 'k']], preflight: { acao: PAGE, allowMethods: 'GET' } });
    const refused = { ...refusedAtPreflight, exchanges: refusedAtPreflight.exchanges.filter((e) => e.kind === 'preflight') };
    const state = whatIfFrom(refused);
    const report = whatIfReport(evaluateWhatIf(state), analyzeStream(refused), '0.1.0', AT);
    expect(reportSchemaErrors(report)).toEqual([]);
    const mark = report.streams[0]?.whatIf;
    expect(mark?.assumed).toEqual(['final']);
    // Read back as analyze reads it: the mark survives.
    expect(recordsFromReport(JSON.parse(JSON.stringify(report))).streams[0]?.whatIf).toEqual(mark);
    expect(mark?.edits).toEqual([
      { field: 'exchange', exchange: 'final', from: null, to: 'assumed' },
      { field: 'status', exchange: 'final', from: null, to: '200' },
      { field: 'responseHeaders', exchange: 'final', from: null, to: `Content-Type: text/event-stream\nCache-Control: no-cache\nAccess-Control-Allow-Origin: ${PAGE}` },
    ]);
    // A capture with every exchange has nothing assumed, and says nothing about it.
    expect(whatIfReport(evaluateWhatIf(fixed), analyzeStream(captured), '0.1.0', AT).streams[0]?.whatIf).not.toHaveProperty('assumed');
  });

  it('lists a moved stream URL and a changed method apart from the header edits', () => {
    const moved = edit({ type: 'set-url', value: 'https://api2.test/v2/events' }, { type: 'set-method', value: 'post' });
    const report = whatIfReport(evaluateWhatIf(moved), analyzeStream(captured), '0.1.0', AT);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.streams[0]?.url).toBe('https://api2.test/v2/events');
    expect(report.streams[0]?.whatIf?.requestEdits).toEqual([
      { field: 'url', from: 'https://api.test/events', to: 'https://api2.test/v2/events' },
      { field: 'method', from: 'GET', to: 'POST' },
    ]);
    expect(report.streams[0]?.whatIf?.edits).toEqual([]);
    expect(recordsFromReport(JSON.parse(JSON.stringify(report))).streams[0]?.whatIf).toEqual(report.streams[0]?.whatIf);
  });
});
