import { describe, expect, it } from 'vitest';
import rule from '@/lib/rules/token-in-query-string';
import { verdicts } from '@/lib/cors/verdict';
import { stream } from '@/lib/model/builders';
import { createContext } from '@/lib/rules/context';
import { testRule } from '../../support/rule-tester';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';

describe('token-in-query-string', () => {
  testRule(rule, {
    valid: [
      { name: 'harmless parameters', record: stream({ acao: '*', url: 'https://api.test/events?channel=news&lastEventId=42' }) },
      { name: 'an empty token parameter carries nothing', record: stream({ acao: '*', url: 'https://api.test/events?token=' }) },
      { name: 'a name merely containing key', record: stream({ acao: '*', url: 'https://api.test/events?keyboard=us&monkey=1' }) },
    ],
    invalid: [
      { name: 'token', record: stream({ acao: '*', url: 'https://api.test/events?token=abc123' }), findings: [{ messageId: 'secret-parameter', data: { parameter: 'token', client: 'eventsource' }, severity: 'warning' }] },
      {
        name: 'several spellings, each reported once',
        record: stream({ acao: '*', url: 'https://api.test/events?access_token=a&X-Api-Key=b&Signature=c&access_token=d' }),
        findings: [
          { messageId: 'secret-parameter', data: { parameter: 'access_token' } },
          { messageId: 'secret-parameter', data: { parameter: 'X-Api-Key' } },
          { messageId: 'secret-parameter', data: { parameter: 'Signature' } },
        ],
      },
      { name: 'a JWT under an innocent name', record: stream({ acao: '*', url: `https://api.test/events?q=${JWT}` }), findings: [{ messageId: 'jwt-value', data: { parameter: 'q' } }] },
      {
        name: 'a signed URL reached by redirect',
        record: stream({ acao: '*', url: 'https://api.test/events', redirects: [{ location: 'https://cdn.test/events?sig=xyz&expires=1', acao: '*' }] }),
        findings: [{ messageId: 'secret-parameter', data: { parameter: 'sig' } }],
      },
      { name: 'fetch clients leak the same way', record: stream({ acao: '*', client: 'fetch', url: 'https://api.test/events?session=s1' }), findings: [{ messageId: 'secret-parameter', data: { client: 'fetch' } }] },
    ],
  });

  it('never puts the secret itself in a finding', () => {
    const record = stream({ acao: '*', url: `https://api.test/events?jwt=${JWT}&password=hunter2` });
    const findings = rule.check(createContext(record, verdicts(record)));
    expect(findings).toHaveLength(2);
    expect(JSON.stringify(findings)).not.toMatch(/hunter2|eyJhbGci/);
  });

  it('does not apply to a URL without a query, nor to one that does not parse', () => {
    for (const url of ['https://api.test/events', 'not a url']) {
      const record = stream({ acao: '*', url });
      expect(rule.appliesTo(createContext(record, verdicts(record)))).toBe(false);
    }
  });
});
