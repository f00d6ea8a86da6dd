import { describe } from 'vitest';
import rule from '@/lib/rules/acao-invalid-value';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const ACAO = 'Access-Control-Allow-Origin';

describe('acao-invalid-value', () => {
  testRule(rule, {
    valid: [
      { name: 'exact origin', record: stream({ acao: 'https://app.test' }) },
      { name: 'wildcard', record: stream({ acao: '*' }) },
      { name: '`null` is a valid value (a mismatch, not an invalid one)', record: stream({ acao: 'null' }) },
      { name: 'a URL-shaped wrong value is a mismatch', record: stream({ acao: 'https://app.test/' }) },
      { name: 'same-origin stream needs no CORS', record: stream({ url: 'https://app.test/events', acao: 'app.test' }) },
    ],
    invalid: [
      {
        name: 'host without a scheme',
        record: stream({ acao: 'app.test' }),
        findings: [
          {
            messageId: 'missing-scheme',
            data: { value: 'app.test', expected: 'https://app.test', url: 'https://api.test/events', firefoxReason: 'CORSAllowOriginNotMatchingOrigin', preflight: false },
            severity: 'error',
            header: ACAO,
          },
        ],
      },
      { name: 'localhost without a scheme', record: stream({ pageOrigin: 'http://localhost', url: 'http://127.0.0.1/events', acao: 'localhost' }), findings: [{ messageId: 'missing-scheme' }] },
      { name: 'subdomain pattern', record: stream({ acao: '*.app.test' }), findings: [{ messageId: 'wildcard-pattern', data: { value: '*.app.test' } }] },
      { name: 'empty value', record: stream({ acao: '' }), findings: [{ messageId: 'not-an-origin', data: { value: '' } }] },
      { name: 'scheme without a host', record: stream({ acao: 'https://' }), findings: [{ messageId: 'not-an-origin' }] },
      {
        name: 'preflight without a scheme',
        record: stream({ client: 'fetch', method: 'PUT', preflight: { acao: 'app.test', allowMethods: 'PUT' }, acao: 'https://app.test' }),
        findings: [{ messageId: 'missing-scheme', data: { preflight: true, firefoxReason: 'CORSAllowOriginNotMatchingOrigin' } }],
      },
    ],
  });
});
