import { describe } from 'vitest';
import rule from '@/lib/rules/preflight-authorization-only-by-wildcard';
import { stream, type PreflightOptions } from '@/lib/model/builders';
import type { HeaderList } from '@/lib/model/headers';
import { testRule } from '../../support/rule-tester';

const PAGE = 'https://app.test';
const bearer: HeaderList = [['Authorization', 'Bearer t']];
const sending = (requestHeaders: HeaderList, preflight: PreflightOptions) =>
  stream({ client: 'fetch', requestHeaders, acao: PAGE, preflight: { acao: PAGE, ...preflight } });

describe('preflight-authorization-only-by-wildcard', () => {
  testRule(rule, {
    valid: [
      { name: 'Authorization listed by name', record: sending(bearer, { allowHeaders: 'Authorization' }) },
      { name: 'listed next to `*`', record: sending(bearer, { allowHeaders: '*, authorization' }) },
      { name: '`*` covering a custom header only', record: sending([['X-API-Key', 'k']], { allowHeaders: '*' }) },
      // With credentials `*` does not count at all: preflight-header-not-allowed reports the block.
      {
        name: 'credentialed: a block, not a warning',
        record: stream({ client: 'fetch', credentials: true, requestHeaders: bearer, acao: PAGE, acac: 'true', preflight: { acao: PAGE, acac: 'true', allowHeaders: '*' } }),
      },
    ],
    invalid: [
      {
        name: 'Authorization covered only by `*`: open today, warned about',
        record: sending(bearer, { allowHeaders: '*' }),
        findings: [{ messageId: 'authorization-wildcard', data: { url: 'https://api.test/events', allowHeaders: '*' }, severity: 'warning', header: 'Access-Control-Allow-Headers' }],
      },
      {
        name: 'with other headers sent too',
        record: sending([['Authorization', 'Bearer t'], ['X-Client', 'web']], { allowHeaders: 'X-Client, *' }),
        findings: [{ messageId: 'authorization-wildcard', data: { allowHeaders: 'X-Client, *' } }],
      },
    ],
  });
});
