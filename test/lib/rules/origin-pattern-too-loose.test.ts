import { describe, expect, it } from 'vitest';
import rule from '@/lib/rules/origin-pattern-too-loose';
import { stream } from '@/lib/model/builders';
import type { OriginProbe } from '@/lib/model/record';
import { verdicts } from '@/lib/cors/verdict';
import { createContext } from '@/lib/rules/context';
import { testRule } from '../../support/rule-tester';
import { probe, reflected } from '../../support/origin-probes';

const PREFIX = 'https://app.test.evil.example';
const SUFFIX = 'https://evilapp.test';
const DOT = 'https://appxtest';
const probed = (originProbes: readonly OriginProbe[]) => stream({ acao: 'https://app.test', originProbes });

describe('origin-pattern-too-loose', () => {
  testRule(rule, {
    valid: [
      { name: 'all look-alikes refused', record: probed([probe('prefix', PREFIX), probe('suffix', SUFFIX), probe('unescaped-dot', DOT)]) },
      { name: 'look-alikes answered with the real origin', record: probed([probe('prefix', PREFIX, { acao: 'https://app.test', acac: 'true' })]) },
      { name: 'wildcard is not pattern trust', record: probed([probe('suffix', SUFFIX, { acao: '*' })]) },
      { name: 'a reflected subdomain is another rule', record: probed([probe('prefix', PREFIX), reflected('subdomain', 'https://x.app.test')]) },
    ],
    invalid: [
      { name: 'prefix trusted', record: probed([reflected('prefix', PREFIX)]), findings: [{ messageId: 'prefix', severity: 'error', data: { probeOrigin: PREFIX, trustedOrigin: 'https://app.test' }, header: 'Access-Control-Allow-Origin' }] },
      { name: 'suffix trusted', record: probed([probe('prefix', PREFIX), reflected('suffix', SUFFIX)]), findings: [{ messageId: 'suffix', data: { probeOrigin: SUFFIX } }] },
      { name: 'unescaped dot trusted with credentials', record: probed([reflected('unescaped-dot', DOT, 'true')]), findings: [{ messageId: 'unescaped-dot', severity: 'error', data: { credentials: true } }] },
      {
        name: 'every loose pattern reported, in probe order',
        record: probed([reflected('suffix', SUFFIX), reflected('prefix', PREFIX), reflected('unescaped-dot', DOT)]),
        findings: [{ messageId: 'suffix' }, { messageId: 'prefix' }, { messageId: 'unescaped-dot' }],
      },
    ],
  });

  it('is not applicable without look-alike probes', () => {
    const record = probed([reflected('subdomain', 'https://x.app.test')]);
    expect(rule.appliesTo(createContext(record, verdicts(record)))).toBe(false);
  });
});
