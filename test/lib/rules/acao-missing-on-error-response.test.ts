import { describe } from 'vitest';
import rule from '@/lib/rules/acao-missing-on-error-response';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const ACAO = 'Access-Control-Allow-Origin';
const url = 'https://api.test/events';

describe('acao-missing-on-error-response', () => {
  testRule(rule, {
    valid: [
      { name: 'error response with CORS headers: the page sees the status', record: stream({ status: 401, acao: 'https://app.test' }) },
      { name: 'missing on a 200 belongs to acao-missing', record: stream() },
      { name: 'missing on a redirect hop belongs to acao-missing-on-redirect', record: stream({ redirects: [{ location: 'https://api.test/v2/events' }], status: 500 }) },
      { name: 'same-origin error response', record: stream({ url: 'https://app.test/events', status: 500 }) },
      { name: 'wrong value on an error response is a mismatch', record: stream({ status: 403, acao: 'https://app.test/' }) },
    ],
    invalid: [
      { name: '401 from auth middleware', record: stream({ status: 401 }), findings: [{ messageId: 'error-status', data: { status: 401, url }, severity: 'error', header: ACAO }] },
      { name: '403', record: stream({ status: 403 }), findings: [{ messageId: 'error-status', data: { status: 403 } }] },
      { name: '404', record: stream({ status: 404 }), findings: [{ messageId: 'error-status', data: { status: 404 } }] },
      { name: '500 from the error handler', record: stream({ status: 500 }), findings: [{ messageId: 'error-status', data: { status: 500, url } }] },
      { name: 'fetch client with 502 from the proxy', record: stream({ client: 'fetch', status: 502 }), findings: [{ messageId: 'error-status', data: { status: 502 } }] },
      {
        name: 'error after a redirect that carried ACAO',
        record: stream({ redirects: [{ location: 'https://api.test/v2/events', acao: 'https://app.test' }], status: 503 }),
        findings: [{ messageId: 'error-status', data: { status: 503, url: 'https://api.test/v2/events' } }],
      },
    ],
  });
});
