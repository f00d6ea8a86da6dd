import { describe } from 'vitest';
import rule from '@/lib/rules/content-length-on-stream';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const length = (value: string) => [['Content-Length', value]] as const;

describe('content-length-on-stream', () => {
  testRule(rule, {
    valid: [
      { name: 'no Content-Length', record: stream({ acao: '*' }) },
      { name: 'an error page may have a length (status-not-200 owns it)', record: stream({ acao: '*', status: 500, headers: length('42') }) },
      { name: 'an HTML page may have a length (content-type-not-event-stream owns it)', record: stream({ acao: '*', contentType: 'text/html', headers: length('42') }) },
      { name: 'blocked by CORS in both browsers', record: stream({ headers: length('42') }) },
    ],
    invalid: [
      { name: 'fixed length on an open stream', record: stream({ acao: '*', headers: length('120') }), findings: [{ messageId: 'fixed-length', data: { length: 120, attempts: 1 }, severity: 'error', header: 'Content-Length' }] },
      {
        // This rule owns the loop the length causes; reconnect-loop stays quiet for it (see its test).
        name: 'fixed length that makes the EventSource reconnect',
        record: stream({ acao: '*', attempts: 5, headers: length('512') }),
        findings: [{ messageId: 'fixed-length', data: { length: 512, attempts: 5 } }],
      },
      { name: 'fetch stream simply ends', record: stream({ acao: '*', client: 'fetch', headers: length('0') }), findings: [{ messageId: 'fixed-length-fetch', data: { length: 0 } }] },
      { name: 'unparseable length is reported as sent', record: stream({ acao: '*', headers: length('12, 12') }), findings: [{ messageId: 'fixed-length', data: { length: '12, 12' } }] },
    ],
  });
});
