import { describe } from 'vitest';
import rule from '@/lib/rules/preflight-wildcard-with-credentials';
import { stream, type PreflightOptions, type StreamOptions } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const PAGE = 'https://app.test';
const credentialed = (preflight: PreflightOptions, extra: StreamOptions = {}) =>
  stream({
    client: 'fetch',
    credentials: true,
    requestHeaders: [['X-API-Key', 'k']],
    acao: PAGE,
    acac: 'true',
    preflight: { acao: PAGE, acac: 'true', ...preflight },
    ...extra,
  });

describe('preflight-wildcard-with-credentials', () => {
  testRule(rule, {
    valid: [
      { name: 'names listed explicitly', record: credentialed({ allowMethods: 'GET, PUT', allowHeaders: 'X-API-Key' }, { method: 'PUT' }) },
      { name: 'wildcards without credentials count', record: stream({ client: 'fetch', method: 'PUT', requestHeaders: [['X-API-Key', 'k']], acao: PAGE, preflight: { acao: PAGE, allowMethods: '*', allowHeaders: '*' } }) },
      // The header block caused by `*` is reported once, by preflight-header-not-allowed.
      { name: 'header block caused by `*` belongs to preflight-header-not-allowed', record: credentialed({ allowHeaders: '*' }) },
    ],
    invalid: [
      {
        name: 'PUT blocked because `*` does not count with credentials',
        record: credentialed({ allowMethods: '*', allowHeaders: 'X-API-Key' }, { method: 'PUT' }),
        findings: [{ messageId: 'methods-wildcard', data: { method: 'PUT', allowMethods: '*', browsers: 'chromium,firefox' }, severity: 'error', header: 'Access-Control-Allow-Methods' }],
      },
      {
        name: 'GET passes, but the `*` in Allow-Methods is dead weight',
        record: credentialed({ allowMethods: '*', allowHeaders: 'X-API-Key' }),
        findings: [{ messageId: 'ineffective-wildcard', data: { header: 'Access-Control-Allow-Methods', value: '*' }, severity: 'warning', header: 'Access-Control-Allow-Methods' }],
      },
      {
        name: '`*` next to the listed header',
        record: credentialed({ allowHeaders: '*, X-API-Key' }),
        findings: [{ messageId: 'ineffective-wildcard', data: { header: 'Access-Control-Allow-Headers', value: '*, X-API-Key' }, severity: 'warning', header: 'Access-Control-Allow-Headers' }],
      },
      {
        name: 'header block owned by the other rule, methods wildcard still warned about',
        record: credentialed({ allowMethods: 'GET, *', allowHeaders: '*' }),
        findings: [{ messageId: 'ineffective-wildcard', data: { header: 'Access-Control-Allow-Methods' }, severity: 'warning' }],
      },
      {
        name: 'both lists, request passing',
        record: credentialed({ allowMethods: '*', allowHeaders: 'X-API-Key, *' }),
        findings: [
          { messageId: 'ineffective-wildcard', data: { header: 'Access-Control-Allow-Methods' }, severity: 'warning' },
          { messageId: 'ineffective-wildcard', data: { header: 'Access-Control-Allow-Headers' }, severity: 'warning' },
        ],
      },
    ],
  });
});
