import { describe, expect, it } from 'vitest';
import rule from '@/lib/rules/origin-reflected-without-allowlist';
import { stream } from '@/lib/model/builders';
import type { OriginProbe } from '@/lib/model/record';
import { verdicts } from '@/lib/cors/verdict';
import { createContext } from '@/lib/rules/context';
import { testRule } from '../../support/rule-tester';
import { probe, reflected } from '../../support/origin-probes';

const EVIL = 'https://evil.example';
const probed = (originProbes: readonly OriginProbe[]) => stream({ acao: 'https://app.test', originProbes });

describe('origin-reflected-without-allowlist', () => {
  testRule(rule, {
    valid: [
      { name: 'arbitrary origin refused (no ACAO)', record: probed([probe('arbitrary', EVIL)]) },
      { name: 'answers its allowlisted origin, not the probe', record: probed([probe('arbitrary', EVIL, { acao: 'https://app.test', acac: 'true' })]) },
      // `*` is a public-stream policy, not trust in the probing origin: not reported here.
      { name: 'wildcard is not reflection', record: probed([probe('arbitrary', EVIL, { acao: '*', acac: 'true' })]) },
      { name: 'two values fail the CORS check', record: probed([probe('arbitrary', EVIL, { acao: `${EVIL}, https://app.test` })]) },
      { name: 'case differs: the browser would refuse it', record: probed([probe('arbitrary', EVIL, { acao: 'https://EVIL.example' })]) },
      { name: 'only other probe kinds reflected', record: probed([probe('arbitrary', EVIL), reflected('null', 'null', 'true')]) },
    ],
    invalid: [
      {
        name: 'reflected with credentials',
        record: probed([reflected('arbitrary', EVIL, 'true')]),
        findings: [{ messageId: 'with-credentials', severity: 'error', data: { probeOrigin: EVIL, credentials: true }, header: 'Access-Control-Allow-Origin' }],
      },
      {
        name: 'reflected without credentials',
        record: probed([reflected('arbitrary', EVIL)]),
        findings: [{ messageId: 'without-credentials', severity: 'warning', data: { probeOrigin: EVIL, credentials: false } }],
      },
      {
        name: 'Access-Control-Allow-Credentials is case-sensitive',
        record: probed([reflected('arbitrary', EVIL, 'True')]),
        findings: [{ messageId: 'without-credentials', severity: 'warning' }],
      },
      {
        name: 'reflected on a 401 still counts: the user\'s own request would pass',
        record: probed([probe('arbitrary', EVIL, { acao: EVIL, acac: 'true', status: 401 })]),
        findings: [{ messageId: 'with-credentials', data: { status: 401 } }],
      },
      {
        name: 'surrounding whitespace is stripped as fetch does',
        record: probed([probe('arbitrary', EVIL, { acao: ` ${EVIL} ` })]),
        findings: [{ messageId: 'without-credentials' }],
      },
      {
        name: 'two origins reflected give two findings, a repeated one only one',
        record: probed([reflected('arbitrary', EVIL), reflected('arbitrary', 'https://other.example', 'true'), reflected('arbitrary', EVIL)]),
        findings: [{ messageId: 'without-credentials', data: { probeOrigin: EVIL } }, { messageId: 'with-credentials', data: { probeOrigin: 'https://other.example' } }],
      },
      {
        name: 'same-origin streams are probed too: the server is readable from anywhere',
        record: stream({ url: 'https://app.test/events', originProbes: [reflected('arbitrary', EVIL)] }),
        findings: [{ messageId: 'without-credentials' }],
      },
    ],
  });

  const applies = (record: ReturnType<typeof stream>) => rule.appliesTo(createContext(record, verdicts(record)));

  it('is not applicable without probes', () => {
    expect(applies(stream({ acao: 'https://app.test' }))).toBe(false);
  });

  it('is not applicable when only other kinds were probed', () => {
    expect(applies(stream({ originProbes: [reflected('null', 'null')] }))).toBe(false);
  });

  it('is not applicable when the probe got no answer', () => {
    expect(applies(stream({ originProbes: [probe('arbitrary', EVIL, { status: null })] }))).toBe(false);
  });

  it('points evidence at both headers when credentials are allowed', () => {
    const record = probed([reflected('arbitrary', EVIL, 'true')]);
    const [finding] = rule.check(createContext(record, verdicts(record)));
    expect(finding?.evidence.map((e) => [e.header, e.value, e.exchangeIndex])).toEqual([
      ['Access-Control-Allow-Origin', EVIL, null],
      ['Access-Control-Allow-Credentials', 'true', null],
    ]);
  });
});
