import { describe } from 'vitest';
import rule from '@/lib/rules/acao-missing';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

describe('acao-missing', () => {
  testRule(rule, {
    valid: [
      { name: 'same-origin stream needs no CORS', record: stream({ url: 'https://app.test/events', pageOrigin: 'https://app.test' }) },
      { name: 'wildcard without credentials', record: stream({ acao: '*' }) },
      { name: 'exact origin', record: stream({ acao: 'https://app.test' }) },
      { name: 'missing on a 500 belongs to acao-missing-on-error-response', record: stream({ status: 500 }) },
      { name: 'missing on a redirect hop belongs to acao-missing-on-redirect', record: stream({ redirects: [{ location: 'https://api.test/v2/events' }], acao: '*' }) },
    ],
    invalid: [
      { name: 'cross-origin EventSource without ACAO', record: stream(), findings: [{ messageId: 'missing', data: { origin: 'https://app.test' }, header: 'Access-Control-Allow-Origin' }] },
      { name: 'cross-origin fetch without ACAO', record: stream({ client: 'fetch' }), findings: [{ messageId: 'missing' }] },
      { name: 'ACAC alone is not enough', record: stream({ acac: 'true', credentials: true }), findings: [{ messageId: 'missing' }] },
      {
        name: 'preflight answered 404 by a router without CORS',
        record: stream({ client: 'fetch', requestHeaders: [['X-API-Key', 'k']], preflight: { status: 404 }, acao: 'https://app.test' }),
        findings: [{ messageId: 'preflight', data: { status: 404 }, header: 'Access-Control-Allow-Origin' }],
      },
    ],
  });
});
