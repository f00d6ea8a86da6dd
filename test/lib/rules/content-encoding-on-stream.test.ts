import { describe } from 'vitest';
import rule from '@/lib/rules/content-encoding-on-stream';
import { stream } from '@/lib/model/builders';
import type { ReadyStateTransition } from '@/lib/model/record';
import { testRule } from '../../support/rule-tester';

const opened: ReadyStateTransition[] = [
  { at: 0, state: 0, attempt: 1 },
  { at: 10, state: 1, attempt: 1 },
];
const encoded = (value: string) => [['Content-Encoding', value]] as const;

describe('content-encoding-on-stream', () => {
  testRule(rule, {
    valid: [
      { name: 'uncompressed', record: stream({ acao: '*' }) },
      { name: 'identity is no compression', record: stream({ acao: '*', headers: encoded('identity') }) },
      { name: 'a compressed error page is not a stream', record: stream({ acao: '*', status: 500, headers: encoded('gzip') }) },
    ],
    invalid: [
      { name: 'gzip stream', record: stream({ acao: '*', headers: encoded('gzip') }), findings: [{ messageId: 'compressed', data: { encoding: 'gzip' }, severity: 'warning', header: 'Content-Encoding' }] },
      {
        name: 'gzip stream whose events still arrive (flushed per event): warning only',
        record: stream({ acao: '*', headers: encoded('gzip'), readyStates: opened, observedFor: 20_000, events: [{ at: 100 }] }),
        findings: [{ messageId: 'compressed', severity: 'warning' }],
      },
      {
        // browser-facts §6, observed: opens, then no event and no error. proxy-buffering's
        // silent-after-open stays quiet for this record (see its test): this rule owns it.
        name: 'br stream open and silent for 10 s',
        record: stream({ acao: '*', headers: encoded('br'), readyStates: opened, observedFor: 10_000 }),
        findings: [{ messageId: 'compressed-silent', data: { encoding: 'br', silentMs: 9990 }, severity: 'error' }],
      },
      {
        name: 'silent, but watched for less than 5 s: still only a warning',
        record: stream({ acao: '*', headers: encoded('gzip'), readyStates: opened, observedFor: 3000 }),
        findings: [{ messageId: 'compressed', severity: 'warning' }],
      },
      { name: 'stacked codings', record: stream({ acao: '*', client: 'fetch', headers: [['Content-Encoding', 'gzip'], ['Content-Encoding', 'br']] }), findings: [{ messageId: 'compressed', data: { encoding: 'gzip, br' } }] },
    ],
  });
});
