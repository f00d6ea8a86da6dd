import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureMerger } from '@/lib/capture/merger';
import type { CaptureObservation } from '@/lib/capture/protocol';
import { analyzeStream, type StreamAnalysis } from '@/lib/engine';
import { stream } from '@/lib/model/builders';
import type { StreamRecord } from '@/lib/model/record';
import type { ServerPlan } from '@/lib/fixes/plan';
import { demoFeed } from '@/lib/panel/demo-feed';
import { needsPreflight, problemCount, requestOriginsOfRecord, scenarioOf } from '@/lib/whatif/scenario';
import { whatIfFrom, whatIfReducer, type WhatIfAction, type WhatIfState } from '@/lib/whatif/state';

const PAGE = 'https://app.test';
const API = 'https://api.test/events';

/** Every record the project has from real captures: the merger's fixtures, the demo feed, and the bench corpus (CLI captures of every playground case). */
function capturedRecords(): [string, StreamRecord][] {
  const dir = join(import.meta.dirname, '../../fixtures/capture/chromium');
  const merged = readdirSync(dir).map((file): [string, StreamRecord] => {
    const fixture = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { capture: CaptureObservation[] };
    const merger = new CaptureMerger({ browser: 'chromium' });
    merger.apply(fixture.capture);
    return [`capture ${file}`, (merger.streams[0] as { record: StreamRecord }).record];
  });
  const demo = demoFeed().flatMap((feed) => (feed.type === 'streams' ? feed.streams.map((s): [string, StreamRecord] => [`demo ${s.key}`, s.record]) : []));
  const corpus = (JSON.parse(readFileSync(join(import.meta.dirname, '../../bench/recorded-streams.json'), 'utf8')) as StreamRecord[]).map(
    (record, i): [string, StreamRecord] => [`corpus #${i} ${record.url.replace(/^.*\/sse\//, '')} ${record.client.kind} ${record.client.credentials} ${record.client.headers.map(([n]) => n).join(',')}`, record],
  );
  return [...merged, ...demo, ...corpus];
}

const RECORDS = capturedRecords();

const verdictsOf = (analysis: StreamAnalysis) => {
  const { chromium, firefox } = analysis.verdicts;
  return { chromium: [chromium.outcome, chromium.cause, chromium.corsError], firefox: [firefox.outcome, firefox.cause, firefox.reason] };
};
const open = (analysis: StreamAnalysis) => analysis.verdicts.chromium.outcome === 'open' && analysis.verdicts.firefox.outcome === 'open';

describe('the unedited scenario', () => {
  it('has records from real captures to compare with', () => {
    expect(RECORDS.length).toBeGreaterThan(200);
  });

  it.each(RECORDS)('%s: both verdicts and the findings are the captured ones', (_name, record) => {
    const scenario = scenarioOf(whatIfFrom(record));
    expect(problemCount(scenario.problems)).toBe(0);
    const edited = analyzeStream(scenario.record);
    const captured = analyzeStream(record);
    expect(verdictsOf(edited)).toEqual(verdictsOf(captured));
    expect(edited.findings.map((f) => [f.ruleId, f.messageId])).toEqual(captured.findings.map((f) => [f.ruleId, f.messageId]));
  });
});

describe('"Try this fix" on every recorded stream that does not open', () => {
  /**
   * Streams no fix can open, each with why. They have no finding, so there is no "Try this fix":
   * what breaks them is not a header. Every non-open record is either opened by its first
   * finding's fix or listed here, and every entry here must still match a record.
   */
  const NO_FIX: readonly { readonly name: RegExp; readonly reason: string }[] = [
    { name: /^capture eventsource-(open|same-origin)\.json$/, reason: 'a healthy stream whose capture saw the server end the response: EventSource reconnects, as it should' },
    { name: /^corpus #\d+ network-(destroy|reset)-/, reason: 'the server or network breaks the connection: no header changes that' },
    { name: /^corpus #\d+ reconnect-(default-retry|idle-timeout|retry-invalid) /, reason: 'the server ends each response on purpose: EventSource reconnects, as it should' },
    { name: /^corpus #\d+ redirect-http-to-https /, reason: 'the https target speaks plain http (ERR_SSL_PROTOCOL_ERROR): a TLS fix, not a header one' },
    { name: /^corpus #\d+ redirect-loop /, reason: 'the redirects never end: the browser gives up after 20, a server fix, not a header one' },
    { name: /^corpus #\d+ stream-opened-silent eventsource /, reason: 'the server sends nothing after the headers: Firefox waits for the first byte, a body fix' },
  ];
  const notOpen = RECORDS.filter(([, record]) => !open(analyzeStream(record)));

  it('covers every recorded stream that does not open: 125 of 211, 109 with a finding', () => {
    expect([RECORDS.length, notOpen.length, notOpen.filter(([, r]) => analyzeStream(r).findings.length > 0).length]).toEqual([211, 125, 109]);
  });

  it.each(notOpen)('%s: the first finding\'s fix opens it in both browsers, or it is a listed exception', (name, record) => {
    const state = whatIfFrom(record);
    const [finding] = analyzeStream(scenarioOf(state).record).findings;
    const exception = NO_FIX.find((e) => e.name.test(name));
    if (exception) {
      expect(finding, `${name} is listed as unfixable (${exception.reason}) but has a finding`).toBeUndefined();
      return;
    }
    if (!finding) throw new Error(`${name} does not open and has no finding: list it in NO_FIX with the reason`);
    const fixed = analyzeStream(scenarioOf(whatIfReducer(state, { type: 'apply-fix', ruleId: finding.ruleId, plan: finding.fix.plan })).record);
    expect(verdictsOf(fixed)).toEqual({ chromium: ['open', 'ok', null], firefox: ['open', 'ok', null] });
  });

  it.each(NO_FIX.map((e) => [e.reason, e] as const))('the exception "%s" still matches a recorded stream', (_reason, exception) => {
    expect(notOpen.some(([name]) => exception.name.test(name))).toBe(true);
  });

  it('points the page at the redirect target when a cross-origin redirect made the Origin null', () => {
    const [name, record] = RECORDS.find(([n]) => n === 'capture eventsource-redirect-null-origin.json') ?? [];
    if (!record) throw new Error(`no ${name}`);
    const state = whatIfFrom(record);
    const [finding] = analyzeStream(scenarioOf(state).record).findings;
    // The server answers `Access-Control-Allow-Origin: null`; the Vary fix's allowlist must not break that by dropping it.
    expect(finding?.ruleId).toBe('vary-origin-missing');
    const target = (record.exchanges.at(-1) as { url: string }).url;
    expect(finding?.fix.plan.streamUrl).toBe(target);
    const fixed = whatIfReducer(state, { type: 'apply-fix', ruleId: 'vary-origin-missing', plan: (finding as { fix: { plan: ServerPlan } }).fix.plan });
    expect(fixed.url).toBe(target);
    expect(fixed.exchanges.map((d) => d.slot)).toEqual(['final']);
    expect(scenarioOf(fixed).record.exchanges.map((e) => [e.url, e.requestHeaders.find(([n]) => n === 'Origin')?.[1]])).toEqual([[target, record.pageOrigin]]);
  });
});

describe('scenarioOf', () => {
  const start = whatIfFrom(stream({ url: API, pageOrigin: PAGE, acao: PAGE, client: 'fetch', requestHeaders: [['X-API-Key', 'k']], preflight: { acao: PAGE, allowHeaders: 'X-API-Key' } }));
  const edit = (...actions: WhatIfAction[]): WhatIfState => actions.reduce(whatIfReducer, start);

  it('opens the typed stream URL, or the captured one while the typed text is not an http(s) URL', () => {
    for (const [typed, problem] of [['api.test/events', /not a URL/], ['ftp://api.test/events', /ftp: is not a scheme/], ['  ', /not a URL/]] as const) {
      const { record, problems } = scenarioOf(edit({ type: 'set-url', value: typed }));
      expect(problems.url, typed).toMatch(problem);
      expect(record.url).toBe(API);
    }
    const { record, problems } = scenarioOf(edit({ type: 'set-url', value: ' https://app.test/events ' }));
    expect(problems.url).toBeNull();
    // Now same-origin: no Origin is sent, and the preflight the capture had is not needed.
    expect(record.exchanges.map((e) => [e.kind, e.url, e.requestHeaders.some(([n]) => n === 'Origin')])).toEqual([
      ['preflight', 'https://app.test/events', false],
      ['response', 'https://app.test/events', false],
    ]);
    expect(needsPreflight(edit({ type: 'set-url', value: 'https://app.test/events' }))).toBe(false);
  });

  it('sends the typed fetch method as fetch() does, and says why one cannot be sent', () => {
    const method = (value: string) => {
      const { record, problems } = scenarioOf(edit({ type: 'set-method', value }));
      return [record.client.method, problems.method];
    };
    expect(method('post')).toEqual(['POST', null]);
    // fetch() upper-cases only the six standard methods; others go as written.
    expect(method('patch')).toEqual(['patch', null]);
    expect(method('CONNECT')).toEqual(['GET', 'fetch() refuses CONNECT: it throws before sending anything']);
    expect(method('GE T')?.[1]).toMatch(/not a method/);
    // A PUT is not a simple method: the preflight asks for it.
    const put = scenarioOf(edit({ type: 'set-method', value: 'PUT' })).record;
    expect(put.exchanges[0]?.requestHeaders).toContainEqual(['Access-Control-Request-Method', 'PUT']);
    // EventSource always GETs, whatever the text says.
    expect(scenarioOf(edit({ type: 'set-method', value: 'PUT' }, { type: 'set-client', client: 'eventsource' })).record.client.method).toBe('GET');
  });

  it('keeps the captured origin while the typed one is not an origin, and says why', () => {
    for (const typed of ['https://app.test/', 'app.test', 'HTTPS://APP.TEST', 'https://app.test/path']) {
      const { record, problems } = scenarioOf(edit({ type: 'set-page-origin', value: typed }));
      expect(problems.pageOrigin, typed).toMatch(/origin/);
      expect(record.pageOrigin).toBe(PAGE);
    }
    expect(scenarioOf(edit({ type: 'set-page-origin', value: 'null' })).record.pageOrigin).toBe('null');
    expect(scenarioOf(edit({ type: 'set-page-origin', value: ' https://other.test ' })).problems.pageOrigin).toBeNull();
  });

  it('sends no request header from an EventSource, and marks headers a page cannot set', () => {
    expect(scenarioOf(edit({ type: 'set-client', client: 'eventsource' })).record.client.headers).toEqual([]);
    const { record, problems } = scenarioOf(edit({ type: 'set-request-headers', text: 'X-API-Key: k\nCookie: a=1\nnope' }));
    expect(record.client.headers).toEqual([['X-API-Key', 'k']]);
    expect(problems.requestHeaders.map((p) => p.line)).toEqual([2, 3]);
    expect(problems.requestHeaders[0]?.reason).toBe('Cookie cannot be set by a page: the browser drops it');
  });

  it('uses the captured status while the typed one is not a status, and no response for an empty one', () => {
    const bad = scenarioOf(edit({ type: 'set-status', slot: 'final', text: '20x' }));
    expect(bad.problems.exchanges.find((e) => e.slot === 'final')?.status).toMatch(/three digits/);
    expect(bad.record.exchanges.at(-1)?.status).toBe(200);
    const none = scenarioOf(edit({ type: 'set-status', slot: 'final', text: '' }));
    expect(none.record.exchanges.at(-1)).toMatchObject({ status: null, error: 'net::ERR_EMPTY_RESPONSE' });
    expect(analyzeStream(none.record).verdicts.firefox).toMatchObject({ outcome: 'failed', reason: 'CORSDidNotSucceed' });
  });

  it('counts every problem once', () => {
    const { problems } = scenarioOf(edit({ type: 'set-page-origin', value: 'x' }, { type: 'set-status', slot: 'preflight', text: '2' }, { type: 'set-response-headers', slot: 'final', text: 'a\nb\nC: ok' }));
    expect(problemCount(problems)).toBe(4);
  });

  it('sends the request the edited client would: preflight lines, custom headers, Origin when cross-origin', () => {
    const { record } = scenarioOf(edit({ type: 'set-request-headers', text: 'X-API-Key: k\nAuthorization: Bearer t' }));
    expect(record.exchanges.map((e) => [e.kind, e.method, e.requestHeaders])).toEqual([
      ['preflight', 'OPTIONS', [['Origin', PAGE], ['Access-Control-Request-Method', 'GET'], ['Access-Control-Request-Headers', 'authorization,x-api-key']]],
      ['response', 'GET', [['X-API-Key', 'k'], ['Authorization', 'Bearer t'], ['Origin', PAGE]]],
    ]);
    const eventSource = scenarioOf(edit({ type: 'set-client', client: 'eventsource' })).record;
    expect(eventSource.exchanges.at(-1)?.requestHeaders).toEqual([['Accept', 'text/event-stream'], ['Cache-Control', 'no-cache'], ['Origin', PAGE]]);
    expect(needsPreflight(edit({ type: 'set-client', client: 'eventsource' }))).toBe(false);
    expect(needsPreflight(start)).toBe(true);
  });

  it('follows an edited Location: later exchanges move, and a hop between foreign origins taints the Origin', () => {
    const redirected = whatIfFrom(stream({ url: API, pageOrigin: PAGE, redirects: [{ location: 'https://api.test/v2', acao: PAGE }], acao: '*' }));
    const moved = whatIfReducer(redirected, { type: 'set-response-headers', slot: 'redirect-1', text: `Location: https://other-api.test/v3\nAccess-Control-Allow-Origin: ${PAGE}` });
    const { record } = scenarioOf(moved);
    expect(record.exchanges.map((e) => e.url)).toEqual([API, 'https://other-api.test/v3']);
    expect(requestOriginsOfRecord(record)).toEqual([PAGE, 'null']);
    expect(requestOriginsOfRecord(scenarioOf(redirected).record)).toEqual([PAGE, PAGE]);
  });

  it('replays the captured attempts while the server ends every response, and is one attempt once it streams', () => {
    const loop = stream({ url: API, pageOrigin: PAGE, acao: '*', attempts: 3, events: [{ attempt: 1, data: 'a' }, { attempt: 3, data: 'c' }] });
    const state = whatIfFrom(loop);
    const replayed = scenarioOf(state).record;
    expect(replayed.exchanges.map((e) => [e.attempt, e.bodyEnd, e.timing.startedAt])).toEqual(loop.exchanges.map((e) => [e.attempt, 'server', e.timing.startedAt]));
    expect(replayed.events.map((e) => [e.attempt, e.data])).toEqual([[1, 'a'], [3, 'c']]);
    expect(analyzeStream(replayed).findings.map((f) => f.ruleId)).toContain('reconnect-loop');

    const streaming = scenarioOf(whatIfReducer(state, { type: 'set-body', body: 'streams' })).record;
    expect(streaming.exchanges.map((e) => [e.attempt, e.bodyEnd])).toEqual([[1, null]]);
    expect(streaming.events.map((e) => [e.attempt, e.data])).toEqual([[1, 'c']]);
    expect(streaming.readyStates).toEqual([]);
  });
});

describe('requestOriginsOfRecord', () => {
  it('starts each replayed attempt from the page again', () => {
    const loop = stream({ url: API, pageOrigin: PAGE, redirects: [{ location: 'https://other-api.test/v2', acao: PAGE }], acao: '*', attempts: 2, client: 'eventsource' });
    expect(requestOriginsOfRecord(loop)).toEqual([PAGE, 'null', PAGE, 'null']);
    const tainting = stream({ url: API, pageOrigin: PAGE, redirects: [{ location: 'https://api.test/a', acao: PAGE }, { location: 'https://other-api.test/v2', acao: PAGE }], acao: '*', attempts: 2 });
    expect(requestOriginsOfRecord(tainting)).toEqual([PAGE, PAGE, 'null', PAGE, PAGE, 'null']);
  });
});
