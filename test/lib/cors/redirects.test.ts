import { describe, expect, it } from 'vitest';
import { verdicts } from '@/lib/cors/verdict';
import { exchange, stream, type StreamOptions } from '@/lib/model/builders';
import type { HeaderList } from '@/lib/model/headers';
import type { Exchange } from '@/lib/model/record';

/**
 * Redirect scenarios of browser-facts.md section 1, with expectations from that file and the
 * Fetch standard ("HTTP fetch" CORS-checks every response of a cross-origin request, 3xx
 * included; "HTTP-redirect fetch" taints the origin after a hop between two foreign origins;
 * "serializing a request origin" then gives `null`). Page: https://app.test.
 */

const page = 'https://app.test';

interface Expected {
  outcome: string;
  corsError: string | null;
  failedParameter: string | null;
  requestOrigin: string | null;
  firefoxReason: string | null;
  exchangeIndex?: number | null;
}

function expectVerdicts(options: StreamOptions, expected: Expected): void {
  const { chromium, firefox } = verdicts(stream({ pageOrigin: page, ...options }));
  expect({
    outcome: chromium.outcome,
    corsError: chromium.corsError,
    failedParameter: chromium.failedParameter,
    requestOrigin: chromium.requestOrigin,
  }).toEqual({ outcome: expected.outcome, corsError: expected.corsError, failedParameter: expected.failedParameter, requestOrigin: expected.requestOrigin });
  expect({ outcome: firefox.outcome, reason: firefox.reason, requestOrigin: firefox.requestOrigin }).toEqual({
    outcome: expected.outcome,
    reason: expected.firefoxReason,
    requestOrigin: expected.requestOrigin,
  });
  if (expected.exchangeIndex !== undefined) {
    expect(chromium.exchangeIndex).toBe(expected.exchangeIndex);
    expect(firefox.exchangeIndex).toBe(expected.exchangeIndex);
  }
}

const open = (requestOrigin: string): Expected => ({ outcome: 'open', corsError: null, failedParameter: null, requestOrigin, firefoxReason: null });

describe('redirects: same origin -> cross origin', () => {
  const toApi = { url: 'https://app.test/events', redirects: [{ location: 'https://api.test/events' }] };

  it('the same-origin 3xx needs no ACAO; the final answer checks against the page origin', () => {
    expectVerdicts({ ...toApi, acao: page }, { ...open(page), exchangeIndex: 1 });
  });

  it('the cross-origin final response without ACAO is blocked there', () => {
    expectVerdicts(toApi, {
      outcome: 'blocked',
      corsError: 'MissingAllowOriginHeader',
      failedParameter: '',
      requestOrigin: page,
      firefoxReason: 'CORSMissingAllowOrigin',
      exchangeIndex: 1,
    });
  });

  it('the origin is not tainted, so `null` is a mismatch', () => {
    expectVerdicts({ ...toApi, acao: 'null' }, {
      outcome: 'blocked',
      corsError: 'AllowOriginMismatch',
      failedParameter: 'null',
      requestOrigin: page,
      firefoxReason: 'CORSAllowOriginNotMatchingOrigin',
    });
  });

  it('a same-origin redirect within the page origin involves no CORS at all', () => {
    expectVerdicts({ url: 'https://app.test/events', redirects: [{ location: '/v2/events' }] }, open(page));
  });
});

describe('redirects: cross origin -> same origin', () => {
  it('the 3xx itself is CORS-checked: missing ACAO blocks at the redirect', () => {
    expectVerdicts(
      { redirects: [{ location: 'https://app.test/events' }], acao: '*' },
      { outcome: 'blocked', corsError: 'MissingAllowOriginHeader', failedParameter: '', requestOrigin: page, firefoxReason: 'CORSMissingAllowOrigin', exchangeIndex: 0 },
    );
  });

  it('after the hop back the request stays cross-origin and its origin is null: `*` passes', () => {
    expectVerdicts({ redirects: [{ location: 'https://app.test/events', acao: page }], acao: '*' }, { ...open('null'), exchangeIndex: 1 });
  });

  it('after the hop back, answering the page origin is a mismatch', () => {
    expectVerdicts(
      { redirects: [{ location: 'https://app.test/events', acao: page }], acao: page },
      { outcome: 'blocked', corsError: 'AllowOriginMismatch', failedParameter: page, requestOrigin: 'null', firefoxReason: 'CORSAllowOriginNotMatchingOrigin', exchangeIndex: 1 },
    );
  });
});

describe('redirects: cross origin A -> cross origin B (tainted origin)', () => {
  const aToB = { redirects: [{ location: 'https://cdn.test/events', acao: page }] };

  it('answering the page origin fails with AllowOriginMismatch', () => {
    expectVerdicts(
      { ...aToB, acao: page },
      { outcome: 'blocked', corsError: 'AllowOriginMismatch', failedParameter: page, requestOrigin: 'null', firefoxReason: 'CORSAllowOriginNotMatchingOrigin', exchangeIndex: 1 },
    );
  });

  it('answering `*` without credentials passes', () => {
    expectVerdicts({ ...aToB, acao: '*' }, { ...open('null'), exchangeIndex: 1 });
  });

  it('answering `null` passes', () => {
    expectVerdicts({ ...aToB, acao: 'null' }, { ...open('null'), exchangeIndex: 1 });
  });

  it('with credentials `*` is refused', () => {
    expectVerdicts(
      { credentials: true, redirects: [{ location: 'https://cdn.test/events', acao: page, acac: 'true' }], acao: '*', acac: 'true' },
      { outcome: 'blocked', corsError: 'WildcardOriginNotAllowed', failedParameter: '', requestOrigin: 'null', firefoxReason: 'CORSNotSupportingCredentials', exchangeIndex: 1 },
    );
  });

  it('with credentials `null` plus Access-Control-Allow-Credentials: true passes', () => {
    expectVerdicts({ credentials: true, redirects: [{ location: 'https://cdn.test/events', acao: page, acac: 'true' }], acao: 'null', acac: 'true' }, open('null'));
  });

  it('the first hop is checked against the page origin, before any taint', () => {
    expectVerdicts(
      { redirects: [{ location: 'https://cdn.test/events', acao: 'null' }], acao: 'null' },
      { outcome: 'blocked', corsError: 'AllowOriginMismatch', failedParameter: 'null', requestOrigin: page, firefoxReason: 'CORSAllowOriginNotMatchingOrigin', exchangeIndex: 0 },
    );
  });

  it('a hop within origin A does not taint', () => {
    expectVerdicts({ redirects: [{ location: 'https://api.test/v2/events', acao: page }], acao: page }, { ...open(page), exchangeIndex: 1 });
  });

  it('A -> A -> B taints on the hop that leaves A', () => {
    expectVerdicts(
      { redirects: [{ location: 'https://api.test/v2/events', acao: page }, { location: 'https://cdn.test/events', acao: page }], acao: page },
      { outcome: 'blocked', corsError: 'AllowOriginMismatch', failedParameter: page, requestOrigin: 'null', firefoxReason: 'CORSAllowOriginNotMatchingOrigin', exchangeIndex: 2 },
    );
  });
});

describe('redirects: a preflighted request after an origin-tainting hop', () => {
  // Observed (test/browser-truth, redirect-preflighted-api-to-api2-allowlist): after API -> API2,
  // Chromium preflights API2 with Origin: null, Firefox with the page origin; both then send the
  // request itself with Origin: null. API2 keeps an allowlist holding the page origin.
  const api2 = 'https://api2.test/events';
  const allowlisted = (origin: string): HeaderList => (origin === page ? [['Access-Control-Allow-Origin', page]] : []);
  const preflightTo = (url: string, origin: string) =>
    exchange({
      kind: 'preflight',
      method: 'OPTIONS',
      url,
      status: 204,
      requestHeaders: [['Origin', origin], ['Access-Control-Request-Method', 'GET'], ['Access-Control-Request-Headers', 'x-api-key']],
      responseHeaders: [...allowlisted(origin), ['Access-Control-Allow-Methods', 'GET'], ['Access-Control-Allow-Headers', 'X-API-Key']],
    });
  const hop = exchange({
    kind: 'redirect',
    url: 'https://api.test/events',
    status: 307,
    requestHeaders: [['Origin', page], ['X-API-Key', 'k']],
    responseHeaders: [['Location', api2], ['Access-Control-Allow-Origin', page]],
  });
  const finalWith = (cors: HeaderList) => exchange({ url: api2, requestHeaders: [['Origin', 'null'], ['X-API-Key', 'k']], responseHeaders: [['Content-Type', 'text/event-stream'], ...cors] });
  const final = finalWith(allowlisted('null'));
  const record = (secondPreflights: Exchange[], last = final) =>
    verdicts(stream({ pageOrigin: page, client: 'fetch', requestHeaders: [['X-API-Key', 'k']], exchanges: [preflightTo('https://api.test/events', page), hop, ...secondPreflights, last] }));

  it('judges each browser on its own preflight: Chromium is refused at the null one, Firefox passes the page-origin one and is refused on the stream', () => {
    const { chromium, firefox } = record([preflightTo(api2, 'null'), preflightTo(api2, page)]);
    expect([chromium.outcome, chromium.cause, chromium.corsError, chromium.requestOrigin, chromium.exchangeIndex]).toEqual(['blocked', 'preflight', 'PreflightMissingAllowOriginHeader', 'null', 2]);
    expect([firefox.outcome, firefox.cause, firefox.reason, firefox.requestOrigin, firefox.exchangeIndex, firefox.preflightAssumed]).toEqual(['blocked', 'cors', 'CORSMissingAllowOrigin', 'null', 4, false]);
  });

  it('with only Chromium\'s preflight recorded (a Chromium capture), Firefox\'s own is assumed, not judged on Chromium\'s', () => {
    const { chromium, firefox } = record([preflightTo(api2, 'null')], finalWith([['Access-Control-Allow-Origin', '*']]));
    expect([chromium.outcome, chromium.cause, chromium.preflightAssumed]).toEqual(['blocked', 'preflight', false]);
    expect([firefox.outcome, firefox.exchangeIndex, firefox.preflightAssumed]).toEqual(['open', 3, true]);
  });

  it('takes a preflight recorded without an Origin as every browser\'s, each judged with the Origin it sends', () => {
    const anonymous = exchange({ ...preflightTo(api2, page), requestHeaders: [['Access-Control-Request-Method', 'GET']] });
    const { chromium, firefox } = record([anonymous]);
    expect([chromium.cause, chromium.corsError, chromium.requestOrigin]).toEqual(['preflight', 'PreflightAllowOriginMismatch', 'null']);
    expect([firefox.cause, firefox.exchangeIndex, firefox.preflightAssumed]).toEqual(['cors', 3, false]);
  });
});
