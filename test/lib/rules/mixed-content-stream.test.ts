import { describe } from 'vitest';
import rule from '@/lib/rules/mixed-content-stream';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

describe('mixed-content-stream', () => {
  testRule(rule, {
    valid: [
      { name: 'https page, https stream', record: stream({ acao: '*' }) },
      { name: 'localhost is potentially trustworthy', record: stream({ acao: '*', url: 'http://localhost:8080/events' }) },
      { name: 'so is 127.0.0.0/8', record: stream({ acao: '*', url: 'http://127.0.0.2:3000/events' }) },
      { name: 'and [::1]', record: stream({ acao: '*', url: 'http://[::1]:3000/events' }) },
      { name: 'an http page is not mixed content', record: stream({ acao: '*', pageOrigin: 'http://app.test', url: 'http://api.test/events' }) },
      { name: 'a URL that does not parse', record: stream({ url: 'http://[bad/events' }) },
    ],
    invalid: [
      { name: 'https page, http stream', record: stream({ url: 'http://api.test/events' }), findings: [{ messageId: 'insecure-stream', data: { url: 'http://api.test/events' }, severity: 'error' }] },
      { name: 'private IP literal: Firefox blocks, Chromium asks LNA', record: stream({ url: 'http://192.168.1.5/events' }), findings: [{ messageId: 'insecure-local-stream', data: { url: 'http://192.168.1.5/events' } }] },
      // Secure Contexts lists 127.0.0.0/8 and ::1/128 only: the IPv4-mapped form is not potentially trustworthy.
      { name: 'IPv4-mapped loopback is not ::1', record: stream({ url: 'http://[::ffff:127.0.0.1]/events' }), findings: [{ messageId: 'insecure-stream' }] },
      { name: '.local name likewise', record: stream({ url: 'http://printer.local/events' }), findings: [{ messageId: 'insecure-local-stream' }] },
      {
        name: 'redirect to http',
        record: stream({ acao: '*', redirects: [{ location: 'http://cdn.test/events', acao: '*' }] }),
        findings: [{ messageId: 'insecure-redirect', data: { url: 'http://cdn.test/events' }, header: 'Location' }],
      },
    ],
  });
});
