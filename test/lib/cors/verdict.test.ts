import { describe, expect, it } from 'vitest';
import { verdicts } from '@/lib/cors/verdict';
import { stream, type StreamOptions } from '@/lib/model/builders';

/**
 * The CORS check and EventSource processing of browser-facts.md §2 and §4, as tables.
 * Expected values are the facts file's (observed in Chromium 156 / Firefox ESR 153), not the engine's.
 */
const PAGE = 'https://app.test';

interface Row {
  name: string;
  options: StreamOptions;
  chromium: { outcome: string; corsError?: string | null; failedParameter?: string | null; cause?: string };
  firefox: { outcome: string; reason?: string | null; cause?: string };
}

const rows: Row[] = [
  // §1: same-origin streams need no Access-Control-* headers at all.
  { name: 'same-origin without CORS headers', options: { url: `${PAGE}/events` }, chromium: { outcome: 'open', corsError: null }, firefox: { outcome: 'open', reason: null } },
  // §2.1
  { name: 'missing ACAO', options: {}, chromium: { outcome: 'blocked', corsError: 'MissingAllowOriginHeader', failedParameter: '' }, firefox: { outcome: 'blocked', reason: 'CORSMissingAllowOrigin' } },
  { name: 'missing ACAO on a 401 is still a CORS error', options: { status: 401 }, chromium: { outcome: 'blocked', corsError: 'MissingAllowOriginHeader' }, firefox: { outcome: 'blocked', reason: 'CORSMissingAllowOrigin' } },
  // §2.2: the browsers differ on one comma-separated line.
  { name: 'two ACAO lines', options: { acao: [PAGE, PAGE] }, chromium: { outcome: 'blocked', corsError: 'MultipleAllowOriginValues', failedParameter: `${PAGE}, ${PAGE}` }, firefox: { outcome: 'blocked', reason: 'CORSMultipleAllowOriginNotAllowed' } },
  { name: 'one line with two values', options: { acao: `${PAGE}, https://other.test` }, chromium: { outcome: 'blocked', corsError: 'MultipleAllowOriginValues' }, firefox: { outcome: 'blocked', reason: 'CORSAllowOriginNotMatchingOrigin' } },
  // §2.3
  { name: 'wildcard with credentials', options: { acao: '*', credentials: true }, chromium: { outcome: 'blocked', corsError: 'WildcardOriginNotAllowed', failedParameter: '' }, firefox: { outcome: 'blocked', reason: 'CORSNotSupportingCredentials' } },
  { name: 'wildcard without credentials ignores ACAC', options: { acao: '*', acac: 'false' }, chromium: { outcome: 'open' }, firefox: { outcome: 'open' } },
  // §2.4
  { name: 'value without scheme', options: { acao: 'app.test' }, chromium: { outcome: 'blocked', corsError: 'InvalidAllowOriginValue', failedParameter: 'app.test' }, firefox: { outcome: 'blocked', reason: 'CORSAllowOriginNotMatchingOrigin' } },
  // §2.5: all mismatch.
  ...[`${PAGE}/`, 'HTTPS://APP.TEST', 'null', 'https://app.test:8443', 'http://app.test'].map((value): Row => ({
    name: `mismatch ${value}`,
    options: { acao: value },
    chromium: { outcome: 'blocked', corsError: 'AllowOriginMismatch', failedParameter: value },
    firefox: { outcome: 'blocked', reason: 'CORSAllowOriginNotMatchingOrigin' },
  })),
  // §2.6
  { name: 'credentials without ACAC', options: { acao: PAGE, credentials: true }, chromium: { outcome: 'blocked', corsError: 'InvalidAllowCredentials', failedParameter: '' }, firefox: { outcome: 'blocked', reason: 'CORSMissingAllowCredentials' } },
  { name: 'ACAC is case-sensitive', options: { acao: PAGE, acac: 'True', credentials: true }, chromium: { outcome: 'blocked', corsError: 'InvalidAllowCredentials', failedParameter: 'True' }, firefox: { outcome: 'blocked', reason: 'CORSMissingAllowCredentials' } },
  { name: 'exact origin with credentials', options: { acao: PAGE, acac: 'true', credentials: true }, chromium: { outcome: 'open' }, firefox: { outcome: 'open' } },
  // §4: EventSource processing.
  { name: '204 stops the client', options: { acao: '*', status: 204 }, chromium: { outcome: 'failed', cause: 'no-content' }, firefox: { outcome: 'failed' } },
  { name: '500 with CORS headers', options: { acao: '*', status: 500 }, chromium: { outcome: 'failed', cause: 'status' }, firefox: { outcome: 'failed' } },
  { name: 'text/html', options: { acao: '*', contentType: 'text/html' }, chromium: { outcome: 'failed', corsError: null, cause: 'mime' }, firefox: { outcome: 'failed', reason: null } },
  { name: 'MIME case and parameters ignored', options: { acao: '*', contentType: 'Text/Event-Stream; charset=UTF-8' }, chromium: { outcome: 'open' }, firefox: { outcome: 'open' } },
  { name: 'charset other than UTF-8: Chromium only', options: { acao: '*', contentType: 'text/event-stream; charset=iso-8859-1' }, chromium: { outcome: 'failed', cause: 'charset' }, firefox: { outcome: 'open' } },
  { name: 'no Content-Type is sniffed and fails', options: { acao: '*', contentType: null }, chromium: { outcome: 'failed', cause: 'sniffed' }, firefox: { outcome: 'failed' } },
  { name: 'server ends the response: reconnect', options: { acao: '*', bodyEnd: 'server' }, chromium: { outcome: 'reconnecting', cause: 'server-ended' }, firefox: { outcome: 'reconnecting' } },
  { name: 'several attempts', options: { acao: '*', attempts: 4 }, chromium: { outcome: 'reconnecting' }, firefox: { outcome: 'reconnecting' } },
  // Observed in the truth suite: Chromium reconnects after a network error, Firefox fails the EventSource.
  { name: 'network error: Chromium reconnects, Firefox fails', options: { error: 'net::ERR_CONNECTION_REFUSED' }, chromium: { outcome: 'reconnecting', cause: 'network-error' }, firefox: { outcome: 'failed', cause: 'network-error', reason: 'CORSDidNotSucceed' } },
  // Observed: Firefox opens an EventSource only when body bytes arrive; Chromium opens on headers.
  { name: 'headers without body bytes yet', options: { acao: '*', bodyBytes: 0 }, chromium: { outcome: 'open' }, firefox: { outcome: 'failed', cause: 'pending', reason: null } },
  { name: 'headers never arrive: stuck CONNECTING', options: { exchanges: [] , }, chromium: { outcome: 'failed', cause: 'not-captured' }, firefox: { outcome: 'failed' } },
  // §4: fetch differs.
  { name: 'fetch ignores the MIME type', options: { client: 'fetch', acao: '*', contentType: 'text/html' }, chromium: { outcome: 'open' }, firefox: { outcome: 'open' } },
  { name: 'fetch sees a 401 with CORS headers', options: { client: 'fetch', acao: '*', status: 401 }, chromium: { outcome: 'failed', cause: 'status', corsError: null }, firefox: { outcome: 'failed' } },
  { name: 'fetch never reconnects', options: { client: 'fetch', acao: '*', bodyEnd: 'server' }, chromium: { outcome: 'open' }, firefox: { outcome: 'open' } },
  { name: 'fetch 204 yields an empty body', options: { client: 'fetch', acao: '*', status: 204 }, chromium: { outcome: 'failed', cause: 'no-content' }, firefox: { outcome: 'failed' } },
];

describe('verdicts', () => {
  it.each(rows)('$name', ({ options, chromium, firefox }) => {
    const result = verdicts(stream({ pageOrigin: PAGE, url: 'https://api.test/events', ...options }));
    expect(result.chromium).toMatchObject(chromium);
    expect(result.firefox).toMatchObject(firefox);
  });
});

describe('console messages', () => {
  it('Chromium names the resource kind, URL and origin', () => {
    const v = verdicts(stream({ pageOrigin: 'http://localhost:38439', url: 'http://127.0.0.1:37611/missing' }));
    expect(v.chromium.message).toBe(
      "Access to resource at 'http://127.0.0.1:37611/missing' from origin 'http://localhost:38439' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    );
    expect(v.chromium.console).toContain('Failed to load resource: net::ERR_FAILED');
  });

  it('Chromium adds a hint for fetch and says "fetch"', () => {
    const v = verdicts(stream({ client: 'fetch', pageOrigin: 'http://localhost:1', url: 'http://127.0.0.1:2/multi', acao: ['http://localhost:1', 'http://localhost:1'] }));
    expect(v.chromium.message).toBe(
      "Access to fetch at 'http://127.0.0.1:2/multi' from origin 'http://localhost:1' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://localhost:1, http://localhost:1', but only one is allowed. Have the server send the header with a valid value.",
    );
  });

  it('Chromium reports the wrong MIME type of an EventSource', () => {
    const v = verdicts(stream({ acao: '*', contentType: 'text/html' }));
    expect(v.chromium.message).toBe(`EventSource's response has a MIME type ("text/html") that is not "text/event-stream". Aborting the connection.`);
  });

  it('Chromium logs nothing for a 204', () => {
    expect(verdicts(stream({ acao: '*', status: 204 })).chromium.message).toBeNull();
  });

  it('Firefox prints its reason with the status code, then its generic EventSource line', () => {
    const v = verdicts(stream({ url: 'https://api.test/events', status: 500 }));
    expect(v.firefox.console).toEqual([
      'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.test/events. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500.',
      'Firefox can’t establish a connection to the server at https://api.test/events.',
    ]);
  });

  it('Firefox quotes the URL only for CORSNotSupportingCredentials', () => {
    const v = verdicts(stream({ client: 'fetch', acao: '*', credentials: true }));
    expect(v.firefox.message).toContain("remote resource at ‘https://api.test/events’. (Reason: Credential is not supported");
  });
});

describe('attempts out of order', () => {
  it('groups exchanges by attempt even when a capture lists them out of order', () => {
    const ordered = stream({ acao: '*', attempts: 3 });
    const shuffled = { ...ordered, exchanges: [ordered.exchanges[2]!, ordered.exchanges[0]!, ordered.exchanges[1]!] };
    expect(verdicts(shuffled).chromium).toMatchObject({ outcome: 'reconnecting', attempt: 3 });
  });
});
