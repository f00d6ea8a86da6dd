import { describe } from 'vitest';
import rule from '@/lib/rules/preflight-status-not-ok';
import { stream, type PreflightOptions } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const PAGE = 'https://app.test';
const apiKey = (preflight: PreflightOptions) =>
  stream({ client: 'fetch', requestHeaders: [['X-API-Key', 'k']], acao: PAGE, preflight });

describe('preflight-status-not-ok', () => {
  testRule(rule, {
    valid: [
      { name: '204 preflight with the header allowed', record: apiKey({ status: 204, acao: PAGE, allowHeaders: 'X-API-Key' }) },
      { name: '200 is ok too', record: apiKey({ status: 200, acao: PAGE, allowHeaders: 'X-API-Key' }) },
      // Chromium reports PreflightMissingAllowOriginHeader here (browser-facts §3): the ACAO rules own it.
      { name: '404 without CORS headers is a missing ACAO, not a bad status', record: apiKey({ status: 404 }) },
      { name: 'a redirected preflight belongs to preflight-redirect', record: apiKey({ status: 301, acao: PAGE, headers: [['Location', 'https://api.test/events/']] }) },
      { name: 'EventSource never preflights', record: stream({ acao: PAGE }) },
    ],
    invalid: [
      {
        name: 'auth middleware answers 401 to OPTIONS',
        record: apiKey({ status: 401, acao: PAGE, allowHeaders: 'X-API-Key' }),
        findings: [{ messageId: 'bad-status', data: { status: 401, url: 'https://api.test/events', browsers: 'chromium,firefox' }, severity: 'error', header: null }],
      },
      {
        name: 'router without an OPTIONS route answers 405',
        record: apiKey({ status: 405, acao: '*' }),
        findings: [{ messageId: 'bad-status', data: { status: 405 } }],
      },
      {
        name: 'credentialed preflight with full CORS headers answered 500',
        record: stream({ client: 'fetch', credentials: true, requestHeaders: [['Authorization', 'Bearer t']], acao: PAGE, acac: 'true', preflight: { status: 500, acao: PAGE, acac: 'true', allowHeaders: 'Authorization' } }),
        findings: [{ messageId: 'bad-status', data: { status: 500 } }],
      },
    ],
  });
});
