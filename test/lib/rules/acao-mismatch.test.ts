import { describe } from 'vitest';
import rule from '@/lib/rules/acao-mismatch';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const ACAO = 'Access-Control-Allow-Origin';
const url = 'https://api.test/events';

describe('acao-mismatch', () => {
  testRule(rule, {
    valid: [
      { name: 'exact origin', record: stream({ acao: 'https://app.test' }) },
      { name: 'wildcard without credentials', record: stream({ acao: '*' }) },
      { name: 'same-origin stream needs no CORS', record: stream({ url: 'https://app.test/events', acao: 'https://app.test/' }) },
      { name: 'missing ACAO belongs to acao-missing', record: stream() },
      {
        name: 'origin tainted to null by a redirect chain belongs to redirect-null-origin',
        record: stream({ redirects: [{ location: 'https://cdn.test/events', acao: 'https://app.test' }], acao: 'https://app.test' }),
      },
    ],
    invalid: [
      {
        name: 'trailing slash',
        record: stream({ acao: 'https://app.test/' }),
        findings: [{ messageId: 'trailing-slash', data: { value: 'https://app.test/', expected: 'https://app.test', url, preflight: false }, severity: 'error', header: ACAO }],
      },
      { name: 'a full URL with a path', record: stream({ acao: 'https://app.test/dashboard' }), findings: [{ messageId: 'trailing-slash', data: { value: 'https://app.test/dashboard' } }] },
      { name: 'mixed-case host', record: stream({ acao: 'https://App.test' }), findings: [{ messageId: 'case', data: { value: 'https://App.test', expected: 'https://app.test' } }] },
      { name: 'upper-case scheme and host', record: stream({ acao: 'HTTPS://APP.TEST' }), findings: [{ messageId: 'case' }] },
      { name: 'literal null for a real origin', record: stream({ acao: 'null' }), findings: [{ messageId: 'null-value', data: { value: 'null', expected: 'https://app.test' } }] },
      {
        name: 'dev server on another port',
        record: stream({ pageOrigin: 'http://localhost:5173', url: 'http://localhost:3000/events', acao: 'http://localhost:3000' }),
        findings: [{ messageId: 'port', data: { value: 'http://localhost:3000', expected: 'http://localhost:5173', url: 'http://localhost:3000/events' } }],
      },
      { name: 'port missing from the value', record: stream({ pageOrigin: 'https://app.test:8443', acao: 'https://app.test' }), findings: [{ messageId: 'port', data: { expected: 'https://app.test:8443' } }] },
      { name: 'default port spelled out', record: stream({ acao: 'https://app.test:443' }), findings: [{ messageId: 'port' }] },
      { name: 'http instead of https', record: stream({ acao: 'http://app.test' }), findings: [{ messageId: 'scheme', data: { value: 'http://app.test' } }] },
      { name: 'another origin entirely', record: stream({ acao: 'https://admin.test' }), findings: [{ messageId: 'other-origin', data: { value: 'https://admin.test', expected: 'https://app.test' } }] },
      {
        name: 'preflight answers a trailing slash',
        record: stream({
          client: 'fetch',
          requestHeaders: [['X-API-Key', 'k']],
          preflight: { acao: 'https://app.test/', allowHeaders: 'x-api-key' },
          acao: 'https://app.test',
        }),
        findings: [{ messageId: 'trailing-slash', data: { preflight: true, url }, header: ACAO }],
      },
      {
        name: 'same-origin request redirected cross-origin, final answers a trailing slash',
        record: stream({ url: 'https://app.test/events', redirects: [{ location: 'https://api.test/events' }], acao: 'https://app.test/' }),
        findings: [{ messageId: 'trailing-slash', data: { url: 'https://api.test/events', expected: 'https://app.test' } }],
      },
      {
        name: 'mismatch on a redirect hop',
        record: stream({ redirects: [{ location: 'https://api.test/v2/events', acao: 'https://app.test/' }], acao: 'https://app.test' }),
        findings: [{ messageId: 'trailing-slash', data: { url } }],
      },
      {
        name: 'sandboxed page (origin null) answered a real origin',
        record: stream({ pageOrigin: 'null', acao: 'https://app.test' }),
        findings: [{ messageId: 'other-origin', data: { value: 'https://app.test', expected: 'null' } }],
      },
    ],
  });
});
