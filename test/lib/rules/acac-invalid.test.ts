import { describe, expect, it } from 'vitest';
import rule from '@/lib/rules/acac-invalid';
import { verdicts } from '@/lib/cors/verdict';
import { stream } from '@/lib/model/builders';
import { createContext } from '@/lib/rules/context';
import { testRule } from '../../support/rule-tester';

const ACAC = 'Access-Control-Allow-Credentials';
const origin = 'https://app.test';

describe('acac-invalid', () => {
  testRule(rule, {
    valid: [
      { name: 'credentialed stream with true', record: stream({ credentials: true, acao: origin, acac: 'true' }) },
      { name: 'no credentials: ACAC is ignored', record: stream({ acao: origin }) },
      { name: 'no credentials and a wrong ACAC', record: stream({ acao: '*', acac: 'True' }) },
      { name: 'same-origin credentialed stream', record: stream({ url: 'https://app.test/events', credentials: true }) },
      { name: 'wildcard with credentials is another rule', record: stream({ credentials: true, acao: '*' }) },
    ],
    invalid: [
      {
        name: 'missing',
        record: stream({ credentials: true, acao: origin }),
        findings: [{ messageId: 'missing', data: { value: '', url: 'https://api.test/events', preflight: false }, severity: 'error', header: ACAC }],
      },
      { name: 'True', record: stream({ credentials: true, acao: origin, acac: 'True' }), findings: [{ messageId: 'not-true', data: { value: 'True' }, header: ACAC }] },
      { name: '1', record: stream({ credentials: true, acao: origin, acac: '1' }), findings: [{ messageId: 'not-true', data: { value: '1' } }] },
      { name: 'yes', record: stream({ credentials: true, acao: origin, acac: 'yes' }), findings: [{ messageId: 'not-true', data: { value: 'yes' } }] },
      { name: 'empty line', record: stream({ credentials: true, acao: origin, acac: '' }), findings: [{ messageId: 'not-true', data: { value: '' } }] },
      {
        name: 'sent twice by app and proxy',
        record: stream({ credentials: true, acao: origin, acac: 'true', headers: [[ACAC, 'true']] }),
        findings: [{ messageId: 'not-true', data: { value: 'true, true' } }],
      },
      {
        name: 'credentialed fetch whose preflight lacks it',
        record: stream({
          client: 'fetch',
          credentials: 'include',
          requestHeaders: [['X-API-Key', 'k']],
          preflight: { acao: origin, allowHeaders: 'x-api-key' },
          acao: origin,
          acac: 'true',
        }),
        findings: [{ messageId: 'missing', data: { preflight: true } }],
      },
    ],
  });

  it('fixes by sending credentials: true', () => {
    const record = stream({ credentials: true, acao: origin, acac: 'True' });
    const context = createContext(record, verdicts(record));
    const [finding] = rule.check(context);
    expect(finding && rule.fix(context, finding).plan).toEqual({ credentials: true });
  });
});
