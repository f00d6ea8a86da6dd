import { describe } from 'vitest';
import rule from '@/lib/rules/cache-control-no-cache-missing';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const cache = (value: string) => [['Cache-Control', value]] as const;

describe('cache-control-no-cache-missing', () => {
  testRule(rule, {
    valid: [
      { name: 'no-cache', record: stream({ acao: '*', headers: cache('no-cache') }) },
      { name: 'no-store', record: stream({ acao: '*', headers: cache('no-store') }) },
      { name: 'directives are case-insensitive and listed', record: stream({ acao: '*', headers: cache('No-Cache, no-transform') }) },
      { name: 'split over two header lines', record: stream({ acao: '*', headers: [['Cache-Control', 'private'], ['Cache-Control', 'no-cache']] }) },
      { name: 'not a stream response', record: stream({ acao: '*', status: 404 }) },
    ],
    invalid: [
      { name: 'no Cache-Control', record: stream({ acao: '*' }), findings: [{ messageId: 'missing', severity: 'warning', header: 'Cache-Control' }] },
      { name: 'cacheable for a minute', record: stream({ acao: '*', headers: cache('public, max-age=60') }), findings: [{ messageId: 'cacheable', data: { value: 'public, max-age=60', noTransform: false } }] },
      { name: 'no-transform alone does not forbid caching', record: stream({ acao: '*', client: 'fetch', headers: cache('no-transform') }), findings: [{ messageId: 'cacheable', data: { noTransform: true } }] },
    ],
  });
});
