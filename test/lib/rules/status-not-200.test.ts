import { describe } from 'vitest';
import rule from '@/lib/rules/status-not-200';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

describe('status-not-200', () => {
  testRule(rule, {
    valid: [
      { name: '200', record: stream({ acao: '*' }) },
      { name: 'fetch takes any 2xx', record: stream({ acao: '*', client: 'fetch', status: 206 }) },
      { name: 'a 401 without CORS headers is a CORS failure: the page never sees the status', record: stream({ status: 401 }) },
      { name: 'a 500 without CORS headers likewise', record: stream({ status: 500 }) },
    ],
    invalid: [
      { name: '204 stops an EventSource on purpose', record: stream({ acao: '*', status: 204 }), findings: [{ messageId: 'no-content', data: { status: 204, client: 'eventsource' }, severity: 'info' }] },
      { name: '204 to fetch: empty body', record: stream({ acao: '*', client: 'fetch', status: 204 }), findings: [{ messageId: 'no-content', severity: 'info' }] },
      { name: '500 with CORS headers', record: stream({ acao: '*', status: 500 }), findings: [{ messageId: 'error-status', data: { status: 500 }, severity: 'error' }] },
      { name: 'same-origin 401 needs no CORS to be seen', record: stream({ url: 'https://app.test/events', status: 401 }), findings: [{ messageId: 'error-status', data: { status: 401 } }] },
      { name: 'fetch 404 resolves with ok: false', record: stream({ acao: '*', client: 'fetch', status: 404 }), findings: [{ messageId: 'error-status', data: { status: 404, client: 'fetch' } }] },
      { name: 'EventSource accepts exactly 200, not 201', record: stream({ acao: '*', status: 201 }), findings: [{ messageId: 'other-status', data: { status: 201 }, severity: 'error' }] },
      { name: 'EventSource and 206', record: stream({ acao: '*', status: 206 }), findings: [{ messageId: 'other-status', data: { status: 206 } }] },
      { name: 'fetch and a 3xx without Location', record: stream({ acao: '*', client: 'fetch', status: 304 }), findings: [{ messageId: 'other-status', severity: 'warning' }] },
    ],
  });
});
