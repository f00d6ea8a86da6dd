import { describe } from 'vitest';
import rule from '@/lib/rules/preflight-header-not-allowed';
import { stream, type PreflightOptions, type StreamOptions } from '@/lib/model/builders';
import type { HeaderList } from '@/lib/model/headers';
import { testRule } from '../../support/rule-tester';

const PAGE = 'https://app.test';
const sending = (requestHeaders: HeaderList, preflight: PreflightOptions, extra: StreamOptions = {}) =>
  stream({ client: 'fetch', requestHeaders, acao: PAGE, preflight: { acao: PAGE, ...preflight }, ...extra });
const credentialed: StreamOptions = { credentials: true, acac: 'true' };

describe('preflight-header-not-allowed', () => {
  testRule(rule, {
    valid: [
      { name: 'header listed', record: sending([['X-API-Key', 'k']], { allowHeaders: 'Content-Type, X-API-Key' }) },
      { name: 'names compare case-insensitively', record: sending([['X-API-Key', 'k']], { allowHeaders: 'x-api-key' }) },
      { name: 'wildcard without credentials', record: sending([['X-API-Key', 'k']], { allowHeaders: '*' }) },
      { name: 'Authorization under `*` passes today (preflight-authorization-only-by-wildcard warns)', record: sending([['Authorization', 'Bearer t']], { allowHeaders: '*' }) },
      { name: 'safelisted headers need nothing', record: sending([['Accept', 'text/event-stream']], {}) },
      { name: 'preflight blocked for a bad status first', record: sending([['X-API-Key', 'k']], { status: 401 }) },
    ],
    invalid: [
      {
        name: 'X-API-Key not listed',
        record: sending([['X-API-Key', 'k']], { allowHeaders: 'Content-Type' }),
        findings: [{ messageId: 'missing', data: { header: 'x-api-key', missing: 'x-api-key', allowHeaders: 'Content-Type', browsers: 'chromium,firefox' }, severity: 'error', header: 'Access-Control-Allow-Headers' }],
      },
      {
        name: 'no Access-Control-Allow-Headers at all, two headers missing',
        record: sending([['X-API-Key', 'k'], ['Authorization', 'Bearer t']], {}),
        findings: [{ messageId: 'missing', data: { header: 'authorization', missing: 'authorization, x-api-key', allowHeaders: '' }, header: 'Access-Control-Allow-Headers' }],
      },
      {
        name: 'fetch client setting Last-Event-ID itself',
        record: sending([['Last-Event-ID', '41']], { allowHeaders: 'X-API-Key' }),
        findings: [{ messageId: 'missing', data: { header: 'last-event-id' } }],
      },
      {
        name: '`*` with credentials does not cover X-API-Key',
        record: sending([['X-API-Key', 'k']], { acac: 'true', allowHeaders: '*' }, credentialed),
        findings: [{ messageId: 'wildcard-with-credentials', data: { header: 'x-api-key', allowHeaders: '*' } }],
      },
      {
        name: '`*` with credentials does not cover Authorization either',
        record: sending([['Authorization', 'Bearer t']], { acac: 'true', allowHeaders: '*' }, credentialed),
        findings: [{ messageId: 'wildcard-with-credentials', data: { header: 'authorization' } }],
      },
    ],
  });
});
