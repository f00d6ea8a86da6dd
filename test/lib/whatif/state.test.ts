import { describe, expect, it } from 'vitest';
import { analyzeStream } from '@/lib/engine';
import { exchange, stream } from '@/lib/model/builders';
import type { StreamRecord } from '@/lib/model/record';
import { scenarioOf } from '@/lib/whatif/scenario';
import { UNSEEN_FINAL_HEADERS, whatIfFrom, whatIfReducer, type WhatIfAction, type WhatIfState } from '@/lib/whatif/state';

const PAGE = 'https://app.test';
const API = 'https://api.test/events';

const wildcardWithCredentials = stream({ url: API, pageOrigin: PAGE, acao: '*', credentials: true, headers: [['Date', 'Wed, 25 Nov 2026 21:33:00 GMT']] });
const preflighted = stream({
  url: API,
  pageOrigin: PAGE,
  client: 'fetch',
  requestHeaders: [['X-API-Key', 'k']],
  preflight: { acao: PAGE, allowMethods: 'GET' },
  redirects: [{ location: 'https://api.test/v2/events', acao: PAGE }],
  acao: PAGE,
});

/** A fetch with `X-API-Key` whose preflight does not allow it: refused there, so its request is never sent. */
const refusedAtPreflight = stream({
  url: API,
  pageOrigin: PAGE,
  client: 'fetch',
  requestHeaders: [['X-API-Key', 'demo']],
  preflight: { acao: PAGE, acac: 'true', allowMethods: 'GET', headers: [['Vary', 'Origin'], ['Access-Control-Max-Age', '600']] },
  acao: PAGE,
});

const outcomes = (state: WhatIfState) => {
  const { verdicts } = analyzeStream(scenarioOf(state).record);
  return { chromium: verdicts.chromium.outcome, firefox: verdicts.firefox.outcome };
};

const run = (state: WhatIfState, ...actions: WhatIfAction[]) => actions.reduce(whatIfReducer, state);
const draft = (state: WhatIfState, slot: string) => state.exchanges.find((d) => d.slot === slot);

describe('whatIfFrom', () => {
  it('makes the capture editable: origin, client, credentials, and each exchange as status and header text', () => {
    const state = whatIfFrom(wildcardWithCredentials);
    expect(state).toMatchObject({ pageOrigin: PAGE, client: 'eventsource', credentials: true, requestHeaders: '', attempt: 1, fixesApplied: [] });
    expect(state.exchanges.map((d) => [d.slot, d.status, d.headers])).toEqual([
      ['final', '200', 'Content-Type: text/event-stream\nAccess-Control-Allow-Origin: *\nDate: Wed, 25 Nov 2026 21:33:00 GMT'],
    ]);
  });

  it('names the preflight, each redirect hop and the final response as the DOM contract does', () => {
    const state = whatIfFrom(preflighted);
    expect(state.exchanges.map((d) => d.slot)).toEqual(['preflight', 'redirect-1', 'final']);
    expect(draft(state, 'redirect-1')?.headers).toBe(`Location: https://api.test/v2/events\nAccess-Control-Allow-Origin: ${PAGE}`);
    expect(state.requestHeaders).toBe('X-API-Key: k');
  });

  it('takes the last attempt of a reconnecting stream, whose server ends every response', () => {
    const loop = stream({ url: API, pageOrigin: PAGE, acao: '*', attempts: 3 });
    const state = whatIfFrom(loop);
    expect(state.attempt).toBe(3);
    expect(state.exchanges).toHaveLength(1);
    expect(state.body).toBe('ends');
    expect(outcomes(state)).toEqual({ chromium: 'reconnecting', firefox: 'reconnecting' });
  });

  it('assumes a stream behind a response the browser refused, and keeps a silent one silent', () => {
    expect(whatIfFrom(wildcardWithCredentials).body).toBe('streams');
    const silent = stream({ url: API, pageOrigin: PAGE, acao: '*', bodyBytes: 0 });
    expect(whatIfFrom(silent).body).toBe('silent');
    expect(outcomes(whatIfFrom(silent))).toEqual({ chromium: 'open', firefox: 'failed' });
  });

  it('gives a request refused at its preflight a final response to edit, assumed to be a stream', () => {
    const refused: StreamRecord = {
      ...preflighted,
      exchanges: [exchange({ kind: 'preflight', method: 'OPTIONS', url: API, status: 404, responseHeaders: [['Content-Type', 'text/plain']] })],
    };
    const state = whatIfFrom(refused);
    expect(state.exchanges.map((d) => [d.slot, d.captured === null, d.status])).toEqual([
      ['preflight', false, '404'],
      ['final', true, '200'],
    ]);
    expect(draft(state, 'final')?.headers).toBe(UNSEEN_FINAL_HEADERS);
  });

  it("assumes the final response carries the CORS lines its preflight answered, and no preflight-only line", () => {
    const refused: StreamRecord = { ...refusedAtPreflight, exchanges: refusedAtPreflight.exchanges.filter((e) => e.kind === 'preflight') };
    const state = whatIfFrom(refused);
    expect(draft(state, 'final')?.headers.split('\n')).toEqual([
      'Content-Type: text/event-stream',
      'Cache-Control: no-cache',
      `Access-Control-Allow-Origin: ${PAGE}`,
      'Access-Control-Allow-Credentials: true',
      'Vary: Origin',
    ]);
    // As captured, both browsers stop at the preflight; the assumed final response is not reached.
    const { verdicts } = analyzeStream(scenarioOf(state).record);
    expect([verdicts.chromium.outcome, verdicts.chromium.corsError, verdicts.chromium.exchangeIndex]).toEqual(['blocked', 'HeaderDisallowedByPreflightResponse', 0]);
    expect([verdicts.firefox.outcome, verdicts.firefox.reason, verdicts.firefox.exchangeIndex]).toEqual(['blocked', 'CORSMissingAllowHeaderFromPreflight', 0]);
  });

  it('shows a response that never came as an empty status', () => {
    const refusedConnection = stream({ url: API, pageOrigin: PAGE, error: 'net::ERR_CONNECTION_REFUSED' });
    expect(draft(whatIfFrom(refusedConnection), 'final')?.status).toBe('');
  });
});

describe('whatIfReducer', () => {
  const start = whatIfFrom(preflighted);

  it('changes exactly the field an edit is about', () => {
    const cases: readonly [WhatIfAction, Partial<WhatIfState>][] = [
      [{ type: 'set-page-origin', value: 'https://other.test' }, { pageOrigin: 'https://other.test' }],
      [{ type: 'set-client', client: 'eventsource' }, { client: 'eventsource' }],
      [{ type: 'set-credentials', credentials: true }, { credentials: true }],
      [{ type: 'set-request-headers', text: 'X-API-Key: other' }, { requestHeaders: 'X-API-Key: other' }],
      [{ type: 'set-body', body: 'ends' }, { body: 'ends' }],
      [{ type: 'set-url', value: 'https://api2.test/v2/events' }, { url: 'https://api2.test/v2/events' }],
      [{ type: 'set-method', value: 'post' }, { method: 'post' }],
    ];
    for (const [action, change] of cases) expect(whatIfReducer(start, action)).toEqual({ ...start, ...change });
  });

  it('edits one exchange by its slot and leaves the others as they were', () => {
    const next = run(start, { type: 'set-status', slot: 'preflight', text: '401' }, { type: 'set-response-headers', slot: 'final', text: 'Content-Type: text/html' });
    expect(next.exchanges.map((d) => [d.slot, d.status, d.headers])).toEqual([
      ['preflight', '401', start.exchanges[0]?.headers],
      ['redirect-1', '302', start.exchanges[1]?.headers],
      ['final', '200', 'Content-Type: text/html'],
    ]);
  });

  it('ignores an edit of an exchange the scenario does not have', () => {
    expect(whatIfReducer(start, { type: 'set-status', slot: 'redirect-7', text: '500' })).toBe(start);
  });

  it('keeps malformed text exactly as typed', () => {
    const text = 'Access-Control-Allow-Origin *\nVary: Origin\n: nothing';
    expect(draft(whatIfReducer(start, { type: 'set-response-headers', slot: 'final', text }), 'final')?.headers).toBe(text);
  });

  it('resets to the capture, or to a newer capture of the same stream', () => {
    const edited = run(start, { type: 'set-page-origin', value: 'x' }, { type: 'set-status', slot: 'final', text: '500' }, { type: 'add-preflight' });
    expect(whatIfReducer(edited, { type: 'reset' })).toEqual(start);
    const newer = { ...preflighted, pageOrigin: 'https://app2.test' };
    expect(whatIfReducer(edited, { type: 'reset', captured: newer })).toEqual(whatIfFrom(newer));
  });

  it('adds an empty preflight to edit only when there is none', () => {
    const withoutPreflight = whatIfFrom(stream({ url: API, pageOrigin: PAGE, acao: PAGE }));
    const added = whatIfReducer(withoutPreflight, { type: 'add-preflight' });
    expect(added.exchanges.map((d) => [d.slot, d.captured, d.status, d.headers])).toEqual([
      ['preflight', null, '204', ''],
      ['final', withoutPreflight.exchanges[0]?.captured, '200', withoutPreflight.exchanges[0]?.headers],
    ]);
    expect(whatIfReducer(added, { type: 'add-preflight' })).toBe(added);
  });
});

describe('apply-fix', () => {
  const fixOf = (state: WhatIfState, ruleId: string) => {
    const finding = analyzeStream(scenarioOf(state).record).findings.find((f) => f.ruleId === ruleId);
    if (!finding) throw new Error(`no ${ruleId}`);
    return { type: 'apply-fix', ruleId, plan: finding.fix.plan } as const;
  };

  it("puts the fix's lines in place of the captured ones and opens the stream in both browsers", () => {
    const state = whatIfFrom(wildcardWithCredentials);
    expect(outcomes(state)).toEqual({ chromium: 'blocked', firefox: 'blocked' });
    const fixed = whatIfReducer(state, fixOf(state, 'acao-wildcard-with-credentials'));
    expect(draft(fixed, 'final')?.headers.split('\n')).toEqual([
      'Vary: Origin',
      `Access-Control-Allow-Origin: ${PAGE}`,
      'Access-Control-Allow-Credentials: true',
      'Content-Type: text/event-stream; charset=utf-8',
      'Cache-Control: no-cache, no-transform',
      'X-Accel-Buffering: no',
      'Date: Wed, 25 Nov 2026 21:33:00 GMT',
    ]);
    expect(fixed.fixesApplied).toEqual(['acao-wildcard-with-credentials']);
    expect(outcomes(fixed)).toEqual({ chromium: 'open', firefox: 'open' });
  });

  it('keeps malformed lines and unrelated edits where they were', () => {
    const state = whatIfReducer(whatIfFrom(wildcardWithCredentials), { type: 'set-response-headers', slot: 'final', text: 'X-Trace: 1\nbroken line\nAccess-Control-Allow-Origin: *' });
    const fixed = whatIfReducer(state, fixOf(state, 'acao-wildcard-with-credentials'));
    const lines = draft(fixed, 'final')?.headers.split('\n') ?? [];
    expect(lines.slice(0, 2)).toEqual(['X-Trace: 1', 'broken line']);
    expect(lines).toContain(`Access-Control-Allow-Origin: ${PAGE}`);
    expect(lines).not.toContain('Access-Control-Allow-Origin: *');
  });

  it('answers a preflight the request needs, adding it when the capture has none', () => {
    const noPreflight = whatIfFrom(stream({ url: API, pageOrigin: PAGE, client: 'fetch', requestHeaders: [['X-API-Key', 'k']] }));
    expect(noPreflight.exchanges.map((d) => d.slot)).toEqual(['final']);
    const fixed = whatIfReducer(noPreflight, fixOf(noPreflight, 'acao-missing'));
    expect(fixed.exchanges.map((d) => [d.slot, d.status])).toEqual([
      ['preflight', '204'],
      ['final', '200'],
    ]);
    expect(draft(fixed, 'preflight')?.headers.split('\n')).toEqual(['Vary: Origin', `Access-Control-Allow-Origin: ${PAGE}`, 'Access-Control-Allow-Methods: GET', 'Access-Control-Allow-Headers: x-api-key']);
    const { record, verdicts } = analyzeStream(scenarioOf(fixed).record);
    expect(verdicts.chromium.preflightAssumed).toBe(false);
    expect(record.exchanges[0]?.requestHeaders).toEqual([
      ['Origin', PAGE],
      ['Access-Control-Request-Method', 'GET'],
      ['Access-Control-Request-Headers', 'x-api-key'],
    ]);
    expect(outcomes(fixed)).toEqual({ chromium: 'open', firefox: 'open' });
  });

  it('sets the statuses the fixed handler answers with, and a body that streams', () => {
    const unauthorized = whatIfFrom(stream({ url: API, pageOrigin: PAGE, status: 401, contentType: 'application/json', attempts: 1 }));
    const fixed = whatIfReducer(run(unauthorized, { type: 'set-body', body: 'ends' }), fixOf(unauthorized, 'acao-missing-on-error-response'));
    expect(draft(fixed, 'final')?.status).toBe('200');
    expect(fixed.body).toBe('streams');
  });

  it('fixes a fetch refused at its preflight in both exchanges: the preflight allows the header, the assumed final is the plan\'s', () => {
    const refused = whatIfFrom({ ...refusedAtPreflight, exchanges: refusedAtPreflight.exchanges.filter((e) => e.kind === 'preflight') });
    const fixed = whatIfReducer(refused, fixOf(refused, 'preflight-header-not-allowed'));
    expect(fixed.exchanges.map((d) => [d.slot, d.captured === null, d.status])).toEqual([
      ['preflight', false, '204'],
      ['final', true, '200'],
    ]);
    expect(draft(fixed, 'preflight')?.headers.split('\n')).toEqual([
      `Access-Control-Allow-Origin: ${PAGE}`,
      'Access-Control-Allow-Methods: GET',
      'Access-Control-Allow-Headers: x-api-key',
      'Vary: Origin',
      'Access-Control-Max-Age: 600',
    ]);
    // The assumption's own CORS lines give way to the plan's; its Vary already names Origin.
    expect(draft(fixed, 'final')?.headers.split('\n')).toEqual([
      `Access-Control-Allow-Origin: ${PAGE}`,
      'Content-Type: text/event-stream; charset=utf-8',
      'Cache-Control: no-cache, no-transform',
      'X-Accel-Buffering: no',
      'Vary: Origin',
    ]);
    const { verdicts } = analyzeStream(scenarioOf(fixed).record);
    // Both browsers now get past the preflight: the verdict is decided at the (assumed) final response.
    expect([verdicts.chromium.outcome, verdicts.chromium.exchangeIndex, verdicts.firefox.outcome, verdicts.firefox.exchangeIndex]).toEqual(['open', 1, 'open', 1]);
  });

  it('with the preflight fixed by hand, the verdict follows the assumed final response', () => {
    const refused = whatIfFrom({ ...refusedAtPreflight, exchanges: refusedAtPreflight.exchanges.filter((e) => e.kind === 'preflight') });
    const preflightOk = whatIfReducer(refused, { type: 'set-response-headers', slot: 'preflight', text: `${draft(refused, 'preflight')?.headers}\nAccess-Control-Allow-Headers: X-API-Key` });
    expect(outcomes(preflightOk)).toEqual({ chromium: 'open', firefox: 'open' });
    const noAcao = whatIfReducer(preflightOk, { type: 'set-response-headers', slot: 'final', text: UNSEEN_FINAL_HEADERS });
    const { verdicts } = analyzeStream(scenarioOf(noAcao).record);
    expect([verdicts.chromium.corsError, verdicts.chromium.exchangeIndex, verdicts.firefox.reason]).toEqual(['MissingAllowOriginHeader', 1, 'CORSMissingAllowOrigin']);
  });

  it('points the page at the redirect target when the plan serves the stream there, dropping the old URL\'s hops', () => {
    const tainted = whatIfFrom(stream({ url: API, pageOrigin: PAGE, redirects: [{ location: 'https://api2.test/events', acao: PAGE }], acao: 'null' }));
    expect(outcomes(tainted)).toEqual({ chromium: 'open', firefox: 'open' });
    const vary = analyzeStream(scenarioOf(tainted).record).findings.find((f) => f.ruleId === 'vary-origin-missing');
    expect(vary?.fix.plan.streamUrl).toBe('https://api2.test/events');
    expect(vary?.fix.summary).toContain('serve the stream at https://api2.test/events and point the page there directly');
    const fixed = whatIfReducer(tainted, { type: 'apply-fix', ruleId: 'vary-origin-missing', plan: (vary as NonNullable<typeof vary>).fix.plan });
    expect([fixed.url, fixed.exchanges.map((d) => d.slot)]).toEqual(['https://api2.test/events', ['final']]);
    expect(draft(fixed, 'final')?.headers).toContain(`Access-Control-Allow-Origin: ${PAGE}`);
    expect(outcomes(fixed)).toEqual({ chromium: 'open', firefox: 'open' });
  });
});
