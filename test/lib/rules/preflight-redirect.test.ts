import { describe } from 'vitest';
import rule from '@/lib/rules/preflight-redirect';
import { stream, type PreflightOptions } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const PAGE = 'https://app.test';
const apiKey = (preflight: PreflightOptions, url = 'https://api.test/events') =>
  stream({ client: 'fetch', url, requestHeaders: [['X-API-Key', 'k']], acao: PAGE, preflight });

describe('preflight-redirect', () => {
  testRule(rule, {
    valid: [
      { name: 'preflight answered 204', record: apiKey({ acao: PAGE, allowHeaders: 'X-API-Key' }) },
      { name: 'a redirect of the stream itself is not a preflight redirect', record: stream({ acao: '*', redirects: [{ location: 'https://api.test/v2/events', acao: '*' }] }) },
      { name: 'EventSource never preflights', record: stream({ acao: PAGE }) },
    ],
    invalid: [
      {
        name: 'http to https upgrade',
        record: apiKey({ status: 301, headers: [['Location', 'https://api.test/events']] }, 'http://api.test/events'),
        findings: [
          {
            messageId: 'redirected',
            data: { status: 301, location: 'https://api.test/events', target: 'https://api.test/events', kind: 'https-upgrade', browsers: 'chromium,firefox' },
            severity: 'error',
            header: 'Location',
          },
        ],
      },
      {
        name: 'trailing-slash rewrite, even with CORS headers on the 308',
        record: apiKey({ status: 308, acao: PAGE, allowHeaders: 'X-API-Key', headers: [['Location', '/events/']] }),
        findings: [{ messageId: 'redirected', data: { status: 308, location: '/events/', target: 'https://api.test/events/', kind: 'trailing-slash' } }],
      },
      {
        name: 'redirect to a login page',
        record: apiKey({ status: 302, headers: [['Location', 'https://auth.test/login']] }),
        findings: [{ messageId: 'redirected', data: { kind: 'elsewhere', target: 'https://auth.test/login' } }],
      },
      {
        name: 'a Location that does not parse',
        record: apiKey({ status: 307, headers: [['Location', 'http://[bad']] }),
        findings: [{ messageId: 'redirected', data: { location: 'http://[bad', target: '', kind: 'elsewhere' } }],
      },
    ],
  });
});
