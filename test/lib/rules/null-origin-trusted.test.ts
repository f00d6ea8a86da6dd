import { describe, expect, it } from 'vitest';
import rule from '@/lib/rules/null-origin-trusted';
import { stream } from '@/lib/model/builders';
import { verdicts } from '@/lib/cors/verdict';
import { createContext } from '@/lib/rules/context';
import { testRule } from '../../support/rule-tester';
import { probe, reflected } from '../../support/origin-probes';

const context = (record: ReturnType<typeof stream>) => createContext(record, verdicts(record));

describe('null-origin-trusted', () => {
  testRule(rule, {
    valid: [
      { name: 'null refused', record: stream({ originProbes: [probe('null', 'null')] }) },
      { name: 'null answered with the allowlisted origin', record: stream({ originProbes: [probe('null', 'null', { acao: 'https://app.test', acac: 'true' })] }) },
      { name: 'wildcard is not trust in null', record: stream({ originProbes: [probe('null', 'null', { acao: '*' })] }) },
      { name: 'arbitrary origin reflected is another rule', record: stream({ originProbes: [probe('null', 'null'), reflected('arbitrary', 'https://evil.example')] }) },
    ],
    invalid: [
      {
        name: 'null trusted with credentials',
        record: stream({ originProbes: [reflected('null', 'null', 'true')] }),
        findings: [{ messageId: 'with-credentials', severity: 'error', data: { probeOrigin: 'null', credentials: true }, header: 'Access-Control-Allow-Origin' }],
      },
      {
        name: 'null trusted without credentials',
        record: stream({ originProbes: [reflected('null', 'null')] }),
        findings: [{ messageId: 'without-credentials', severity: 'warning' }],
      },
      {
        name: 'ACAC other than exactly true does not count',
        record: stream({ originProbes: [reflected('null', 'null', 'TRUE')] }),
        findings: [{ messageId: 'without-credentials', severity: 'warning' }],
      },
    ],
  });

  it('is not applicable without a null probe', () => {
    const record = stream({ originProbes: [reflected('arbitrary', 'https://evil.example')] });
    expect(rule.appliesTo(context(record))).toBe(false);
  });

  it('names the cross-origin redirect that makes browsers send null', () => {
    const record = stream({
      url: 'https://api.test/events',
      redirects: [{ location: 'https://stream.test/events', acao: 'https://app.test' }],
      acao: 'null',
      originProbes: [reflected('null', 'null')],
    });
    const ctx = context(record);
    const [finding] = rule.check(ctx);
    expect(finding).toBeDefined();
    expect(rule.fix(ctx, finding!).summary).toMatch(/redirect/);
  });

  it('does not mention redirects when there are none', () => {
    const record = stream({ acao: 'https://app.test', originProbes: [reflected('null', 'null')] });
    const ctx = context(record);
    const [finding] = rule.check(ctx);
    expect(rule.fix(ctx, finding!).summary).not.toMatch(/redirect/);
  });
});
