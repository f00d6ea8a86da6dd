import { describe, expect, it } from 'vitest';
import rule from '@/lib/rules/acao-multiple-values';
import { verdicts } from '@/lib/cors/verdict';
import { stream } from '@/lib/model/builders';
import { createContext } from '@/lib/rules/context';
import { testRule } from '../../support/rule-tester';

const ACAO = 'Access-Control-Allow-Origin';

describe('acao-multiple-values', () => {
  testRule(rule, {
    valid: [
      { name: 'one exact origin', record: stream({ acao: 'https://app.test' }) },
      { name: 'one wildcard', record: stream({ acao: '*' }) },
      { name: 'same-origin stream with two lines needs no CORS', record: stream({ url: 'https://app.test/events', acao: ['https://app.test', 'https://app.test'] }) },
      { name: 'missing ACAO', record: stream() },
    ],
    invalid: [
      {
        name: 'app and proxy both add the same value',
        record: stream({ acao: ['https://app.test', 'https://app.test'] }),
        findings: [
          {
            messageId: 'two-lines',
            data: { value: 'https://app.test, https://app.test', count: 2, firefoxReason: 'CORSMultipleAllowOriginNotAllowed', preflight: false },
            severity: 'error',
            header: ACAO,
          },
        ],
      },
      {
        name: 'proxy adds * next to the app origin',
        record: stream({ acao: ['*', 'https://app.test'] }),
        findings: [{ messageId: 'two-lines', data: { value: '*, https://app.test', firefoxReason: 'CORSMultipleAllowOriginNotAllowed' } }],
      },
      {
        name: 'the whole allowlist in one line',
        record: stream({ acao: 'https://app.test, https://admin.test' }),
        findings: [{ messageId: 'comma-list', data: { value: 'https://app.test, https://admin.test', count: 2, firefoxReason: 'CORSAllowOriginNotMatchingOrigin' }, header: ACAO }],
      },
      {
        name: 'space-separated list',
        record: stream({ acao: 'https://app.test https://admin.test' }),
        findings: [{ messageId: 'comma-list', data: { count: 2, firefoxReason: 'CORSAllowOriginNotMatchingOrigin' } }],
      },
      {
        name: 'preflight with two lines',
        record: stream({
          client: 'fetch',
          requestHeaders: [['Authorization', 'Bearer t']],
          preflight: { acao: ['https://app.test', 'https://app.test'], allowHeaders: 'authorization' },
          acao: 'https://app.test',
        }),
        findings: [{ messageId: 'two-lines', data: { preflight: true, firefoxReason: 'CORSMultipleAllowOriginNotAllowed' } }],
      },
    ],
  });

  it('points at both header lines', () => {
    const record = stream({ acao: ['https://app.test', 'https://app.test'] });
    const [finding] = rule.check(createContext(record, verdicts(record)));
    expect(finding?.evidence.map((e) => [e.header, e.value, e.lineIndex])).toEqual([
      [ACAO, 'https://app.test', 1],
      [ACAO, 'https://app.test', 2],
    ]);
  });
});
