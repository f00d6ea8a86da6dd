import { describe } from 'vitest';
import rule from '@/lib/rules/charset-not-utf8';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

describe('charset-not-utf8', () => {
  testRule(rule, {
    valid: [
      { name: 'utf-8', record: stream({ acao: '*', contentType: 'text/event-stream; charset=utf-8' }) },
      { name: 'charset compared case-insensitively', record: stream({ acao: '*', contentType: 'text/event-stream; charset="UTF-8"' }) },
      { name: 'no charset at all', record: stream({ acao: '*' }) },
      { name: 'fetch stream in utf-8', record: stream({ acao: '*', client: 'fetch', contentType: 'text/event-stream;charset=utf-8' }) },
      { name: 'CORS-blocked stream belongs to the CORS rules', record: stream({ contentType: 'text/event-stream; charset=iso-8859-1' }) },
      { name: 'fetch JSON with a charset belongs to content-type-not-event-stream', record: stream({ acao: '*', client: 'fetch', contentType: 'application/json; charset=latin1' }) },
    ],
    invalid: [
      {
        name: 'EventSource with iso-8859-1: Chromium fails it, Firefox opens it',
        record: stream({ acao: '*', contentType: 'text/event-stream; charset=iso-8859-1' }),
        findings: [{ messageId: 'eventsource', data: { charset: 'iso-8859-1' }, severity: 'error', header: 'Content-Type' }],
      },
      {
        name: 'quoted charset value',
        record: stream({ url: 'https://app.test/events', contentType: 'text/event-stream; charset="windows-1252"' }),
        findings: [{ messageId: 'eventsource', data: { charset: 'windows-1252' } }],
      },
      {
        name: 'fetch client: a warning, the page decodes the body itself',
        record: stream({ acao: '*', client: 'fetch', contentType: 'text/event-stream; charset=Shift_JIS' }),
        findings: [{ messageId: 'fetch', data: { charset: 'Shift_JIS' }, severity: 'warning', header: 'Content-Type' }],
      },
    ],
  });
});
