import { describe } from 'vitest';
import rule from '@/lib/rules/content-type-not-event-stream';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

describe('content-type-not-event-stream', () => {
  testRule(rule, {
    valid: [
      { name: 'text/event-stream', record: stream({ acao: '*' }) },
      { name: 'parameters and case are ignored', record: stream({ acao: '*', contentType: 'Text/Event-Stream; charset=utf-8' }) },
      { name: 'non-200 responses belong to status rules', record: stream({ acao: '*', status: 500, contentType: 'text/html' }) },
    ],
    invalid: [
      { name: 'text/html', record: stream({ acao: '*', contentType: 'text/html' }), findings: [{ messageId: 'wrong', data: { mime: 'text/html' }, severity: 'error' }] },
      { name: 'no Content-Type', record: stream({ acao: '*', contentType: null }), findings: [{ messageId: 'missing', header: 'Content-Type' }] },
      { name: 'fetch client with JSON', record: stream({ acao: '*', client: 'fetch', contentType: 'application/json' }), findings: [{ messageId: 'wrong-fetch', severity: 'warning' }] },
    ],
  });
});
