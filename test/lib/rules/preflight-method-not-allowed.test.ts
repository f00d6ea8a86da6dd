import { describe } from 'vitest';
import rule from '@/lib/rules/preflight-method-not-allowed';
import { stream, type StreamOptions } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const PAGE = 'https://app.test';
const withMethod = (method: string, allowMethods: string | undefined, extra: StreamOptions = {}) =>
  stream({ client: 'fetch', method, acao: PAGE, preflight: { acao: PAGE, allowMethods }, ...extra });

describe('preflight-method-not-allowed', () => {
  testRule(rule, {
    valid: [
      { name: 'method listed', record: withMethod('PUT', 'GET, PUT') },
      { name: 'wildcard without credentials', record: withMethod('PUT', '*') },
      { name: 'GET needs no listing', record: stream({ client: 'fetch', requestHeaders: [['X-API-Key', 'k']], acao: PAGE, preflight: { acao: PAGE, allowHeaders: 'X-API-Key', allowMethods: 'OPTIONS' } }) },
      {
        name: '`*` refused because of credentials belongs to preflight-wildcard-with-credentials',
        record: withMethod('PUT', '*', { credentials: true, acac: 'true', preflight: { acao: PAGE, acac: 'true', allowMethods: '*' } }),
      },
      { name: 'EventSource never preflights', record: stream({ acao: PAGE }) },
    ],
    invalid: [
      {
        name: 'PUT not listed',
        record: withMethod('PUT', 'GET, POST'),
        findings: [{ messageId: 'not-allowed', data: { method: 'PUT', allowMethods: 'GET, POST', browsers: 'chromium,firefox' }, severity: 'error', header: 'Access-Control-Allow-Methods' }],
      },
      {
        name: 'no Access-Control-Allow-Methods at all',
        record: withMethod('DELETE', undefined),
        findings: [{ messageId: 'not-allowed', data: { method: 'DELETE', allowMethods: '' }, header: 'Access-Control-Allow-Methods' }],
      },
      {
        name: 'lower-case custom method is not normalized and misses PATCH',
        record: withMethod('patch', 'GET, PATCH'),
        findings: [{ messageId: 'case-mismatch', data: { method: 'patch', listed: 'PATCH' } }],
      },
      {
        name: 'server lists a normalized method in lower case',
        record: withMethod('PUT', 'put'),
        findings: [{ messageId: 'case-mismatch', data: { method: 'PUT', listed: 'put' } }],
      },
      {
        // Firefox looks for the method before it validates Allow-Headers; Chromium stops at the bad list.
        name: 'Firefox alone blocks on the method when Allow-Headers is also broken',
        record: withMethod('PUT', 'GET', { requestHeaders: [['X-API-Key', 'k']], preflight: { acao: PAGE, allowMethods: 'GET', allowHeaders: 'X-API-Key;' } }),
        findings: [{ messageId: 'not-allowed', data: { method: 'PUT', browsers: 'firefox' } }],
      },
    ],
  });
});
