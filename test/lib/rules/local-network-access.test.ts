import { describe } from 'vitest';
import rule from '@/lib/rules/local-network-access';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

describe('local-network-access', () => {
  testRule(rule, {
    valid: [
      { name: 'public page, public stream', record: stream({ acao: '*' }) },
      { name: 'local development: page and stream on localhost', record: stream({ pageOrigin: 'http://localhost:5173', url: 'http://localhost:3000/events', acao: '*' }) },
      { name: 'a loopback page may reach a local address (down the ladder)', record: stream({ pageOrigin: 'http://localhost:5173', url: 'http://192.168.1.5/events', acao: '*' }) },
      { name: 'intranet page to an intranet device', record: stream({ pageOrigin: 'http://10.0.0.2', url: 'http://10.0.0.3/events', acao: '*' }) },
      // Blocked as mixed content before any request: mixed-content-stream owns it.
      { name: 'https public page to http private address belongs to mixed-content-stream', record: stream({ url: 'http://192.168.1.5/events', acao: '*' }) },
    ],
    invalid: [
      {
        name: 'public https page to a loopback dev server',
        record: stream({ url: 'http://127.0.0.1:8080/events', acao: '*' }),
        findings: [{ messageId: 'permission-required', data: { host: '127.0.0.1:8080', pageSpace: 'public', targetSpace: 'loopback', permission: 'loopback-network' }, severity: 'warning' }],
      },
      {
        name: 'public https page to an https device on the LAN',
        record: stream({ url: 'https://hub.local/events', acao: '*' }),
        findings: [{ messageId: 'permission-required', data: { targetSpace: 'local', permission: 'local-network' } }],
      },
      { name: 'IPv6 unique local address', record: stream({ url: 'https://[fd12::7]/events', acao: '*' }), findings: [{ messageId: 'permission-required', data: { targetSpace: 'local' } }] },
      { name: 'IPv4-mapped IPv6 loopback', record: stream({ url: 'https://[::ffff:127.0.0.1]/events', acao: '*' }), findings: [{ messageId: 'permission-required', data: { targetSpace: 'loopback' } }] },
      {
        name: 'an http public page cannot even ask',
        record: stream({ pageOrigin: 'http://app.test', url: 'http://localhost:3000/events', acao: '*' }),
        findings: [{ messageId: 'insecure-context', severity: 'error', data: { pageSpace: 'public', targetSpace: 'loopback' } }],
      },
      {
        name: 'an http page on the LAN reaching loopback',
        record: stream({ pageOrigin: 'http://192.168.1.2:8000', url: 'http://localhost:3000/events', acao: '*' }),
        findings: [{ messageId: 'insecure-context', data: { pageSpace: 'local', targetSpace: 'loopback' } }],
      },
    ],
  });
});
