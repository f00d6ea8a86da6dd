import { describe, expect, it } from 'vitest';
import rule from '@/lib/rules/origin-any-subdomain-trusted';
import { stream } from '@/lib/model/builders';
import { verdicts } from '@/lib/cors/verdict';
import { createContext } from '@/lib/rules/context';
import { testRule } from '../../support/rule-tester';
import { probe, reflected } from '../../support/origin-probes';

const SUB = 'https://sse-inspector-probe.app.test';

describe('origin-any-subdomain-trusted', () => {
  testRule(rule, {
    valid: [
      { name: 'made-up subdomain refused', record: stream({ originProbes: [probe('subdomain', SUB)] }) },
      { name: 'made-up subdomain answered with the page origin', record: stream({ originProbes: [probe('subdomain', SUB, { acao: 'https://app.test' })] }) },
      { name: 'wildcard is not subdomain trust', record: stream({ originProbes: [probe('subdomain', SUB, { acao: '*' })] }) },
    ],
    invalid: [
      { name: 'subdomain trusted', record: stream({ originProbes: [reflected('subdomain', SUB)] }), findings: [{ messageId: 'subdomain', severity: 'warning', data: { probeOrigin: SUB, credentials: false }, header: 'Access-Control-Allow-Origin' }] },
      { name: 'subdomain trusted with credentials stays a warning', record: stream({ originProbes: [reflected('subdomain', SUB, 'true')] }), findings: [{ messageId: 'subdomain', severity: 'warning', data: { credentials: true } }] },
    ],
  });

  it('is not applicable without a subdomain probe', () => {
    const record = stream({ originProbes: [reflected('prefix', 'https://app.test.evil.example')] });
    expect(rule.appliesTo(createContext(record, verdicts(record)))).toBe(false);
  });
});
