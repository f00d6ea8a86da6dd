import { describe } from 'vitest';
import rule from '@/lib/rules/acao-wildcard-with-credentials';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

describe('acao-wildcard-with-credentials', () => {
  testRule(rule, {
    valid: [
      { name: 'wildcard without credentials passes', record: stream({ acao: '*' }) },
      { name: 'exact origin with credentials', record: stream({ acao: 'https://app.test', acac: 'true', credentials: true }) },
      { name: 'same-origin credentialed stream', record: stream({ url: 'https://app.test/e', acao: '*', credentials: true }) },
    ],
    invalid: [
      { name: 'withCredentials EventSource and *', record: stream({ acao: '*', acac: 'true', credentials: true }), findings: [{ messageId: 'wildcard', header: 'Access-Control-Allow-Origin' }] },
      {
        name: 'credentialed fetch whose preflight answers *',
        record: stream({ client: 'fetch', credentials: true, requestHeaders: [['X-API-Key', 'k']], preflight: { acao: '*', acac: 'true', allowHeaders: 'x-api-key' }, acao: 'https://app.test', acac: 'true' }),
        findings: [{ messageId: 'preflight-wildcard' }],
      },
    ],
  });
});
