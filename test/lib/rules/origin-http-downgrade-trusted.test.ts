import { describe, expect, it } from 'vitest';
import rule from '@/lib/rules/origin-http-downgrade-trusted';
import { stream } from '@/lib/model/builders';
import { verdicts } from '@/lib/cors/verdict';
import { createContext } from '@/lib/rules/context';
import { testRule } from '../../support/rule-tester';
import { probe, reflected } from '../../support/origin-probes';

const HTTP = 'http://app.test';

describe('origin-http-downgrade-trusted', () => {
  testRule(rule, {
    valid: [
      { name: 'http twin refused', record: stream({ originProbes: [probe('http-downgrade', HTTP)] }) },
      { name: 'http twin answered with the https origin', record: stream({ originProbes: [probe('http-downgrade', HTTP, { acao: 'https://app.test', acac: 'true' })] }) },
      { name: 'wildcard is not trust in the http twin', record: stream({ originProbes: [probe('http-downgrade', HTTP, { acao: '*' })] }) },
    ],
    invalid: [
      { name: 'http twin trusted', record: stream({ originProbes: [reflected('http-downgrade', HTTP)] }), findings: [{ messageId: 'http-downgrade', severity: 'warning', data: { probeOrigin: HTTP, trustedOrigin: 'https://app.test' }, header: 'Access-Control-Allow-Origin' }] },
      { name: 'http twin trusted with credentials', record: stream({ originProbes: [reflected('http-downgrade', HTTP, 'true')] }), findings: [{ messageId: 'http-downgrade', severity: 'warning', data: { credentials: true } }] },
    ],
  });

  it('is not applicable when no http twin was probed (an http page has none)', () => {
    const record = stream({ pageOrigin: 'http://app.test', originProbes: [reflected('arbitrary', 'https://evil.example')] });
    expect(rule.appliesTo(createContext(record, verdicts(record)))).toBe(false);
  });
});
