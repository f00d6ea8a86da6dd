import { describe, expect, it } from 'vitest';
import rule from '@/lib/rules/retry-too-short';
import { verdicts } from '@/lib/cors/verdict';
import { stream } from '@/lib/model/builders';
import { createContext } from '@/lib/rules/context';
import { testRule } from '../../support/rule-tester';

describe('retry-too-short', () => {
  testRule(rule, {
    valid: [
      { name: 'retry: 3000', record: stream({ acao: '*', retryValues: [3000] }) },
      { name: 'one second is enough', record: stream({ acao: '*', retryValues: [1000] }) },
    ],
    invalid: [
      { name: 'retry: 500', record: stream({ acao: '*', retryValues: [500] }), findings: [{ messageId: 'too-short', data: { retry: 500, firefoxMs: 500 }, severity: 'warning' }] },
      { name: 'Firefox clamps retry: 0 to 500 ms', record: stream({ acao: '*', retryValues: [3000, 0, 200] }), findings: [{ messageId: 'too-short', data: { retry: 0, firefoxMs: 500 } }] },
      { name: 'Firefox takes 800 as is', record: stream({ acao: '*', retryValues: [800] }), findings: [{ messageId: 'too-short', data: { retry: 800, firefoxMs: 800 } }] },
    ],
  });

  it('does not apply when the server never sent retry:', () => {
    const record = stream({ acao: '*' });
    expect(rule.appliesTo(createContext(record, verdicts(record)))).toBe(false);
  });

  it('plans a 3 s retry', () => {
    const record = stream({ acao: '*', retryValues: [100] });
    const context = createContext(record, verdicts(record));
    const [finding] = rule.check(context);
    expect(finding && rule.fix(context, finding).plan).toEqual({ retryMs: 3000 });
  });
});
