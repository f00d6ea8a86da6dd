import { describe } from 'vitest';
import rule from '@/lib/rules/vary-origin-missing';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const page = 'https://app.test';

describe('vary-origin-missing', () => {
  testRule(rule, {
    valid: [
      { name: 'wildcard does not vary', record: stream({ acao: '*' }) },
      { name: 'Vary: Origin', record: stream({ acao: page, headers: [['Vary', 'Origin']] }) },
      { name: 'Origin in a list, any case', record: stream({ acao: page, headers: [['vary', 'Accept-Encoding, origin']] }) },
      { name: 'Origin on a second Vary line', record: stream({ acao: page, headers: [['Vary', 'Accept-Encoding'], ['Vary', 'Origin']] }) },
      { name: 'Vary: *', record: stream({ acao: page, headers: [['Vary', '*']] }) },
      { name: 'no ACAO at all', record: stream() },
      { name: 'same-origin stream', record: stream({ url: 'https://app.test/events', acao: page }) },
      { name: 'final response never reached: blocked at the redirect', record: stream({ redirects: [{ location: 'https://api.test/v2/events' }], acao: page }) },
      { name: 'two ACAO lines belong to acao-multiple-values', record: stream({ acao: [page, page] }) },
    ],
    invalid: [
      {
        name: 'specific origin without Vary',
        record: stream({ acao: page }),
        findings: [{ messageId: 'no-vary', data: { value: page, url: 'https://api.test/events', vary: '' }, severity: 'warning', header: 'Vary' }],
      },
      {
        name: 'Vary without Origin',
        record: stream({ acao: page, headers: [['Vary', 'Accept-Encoding']] }),
        findings: [{ messageId: 'no-vary', data: { vary: 'Accept-Encoding' }, header: 'Vary' }],
      },
      { name: 'a near miss is not Origin', record: stream({ acao: page, headers: [['Vary', 'Origins']] }), findings: [{ messageId: 'no-vary', data: { vary: 'Origins' } }] },
      { name: 'blocked on the final response itself', record: stream({ acao: 'https://app.test/' }), findings: [{ messageId: 'no-vary', data: { value: 'https://app.test/' } }] },
      { name: 'credentialed stream', record: stream({ credentials: true, acao: page, acac: 'true' }), findings: [{ messageId: 'no-vary' }] },
      {
        name: 'cross-origin only after a redirect',
        record: stream({ url: 'https://app.test/events', redirects: [{ location: 'https://api.test/events' }], acao: page }),
        findings: [{ messageId: 'no-vary', data: { url: 'https://api.test/events' } }],
      },
    ],
  });
});
