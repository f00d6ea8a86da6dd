import { describe } from 'vitest';
import rule from '@/lib/rules/connection-limit-per-host';
import { exchange, stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const openPeer = (i: number, options: { url?: string; httpVersion?: string } = {}) => stream({ id: `peer-${i}`, acao: '*', ...options });
const peers = (n: number, options: { url?: string; httpVersion?: string } = {}) => Array.from({ length: n }, (_, i) => openPeer(i + 1, options));

/** A stream the browser has not answered yet: no status, no error. */
const waiting = stream({ exchanges: [exchange({ url: 'https://api.test/events', status: null, timing: { startedAt: 0, responseAt: null, firstByteAt: null, endedAt: null } })] });

describe('connection-limit-per-host', () => {
  testRule(rule, {
    valid: [
      { name: 'no peers: the rule does not apply', record: stream({ acao: '*' }) },
      { name: 'six streams in all fit', record: stream({ acao: '*' }), peers: peers(5) },
      { name: 'over HTTP/2 the limit does not bind', record: stream({ acao: '*', httpVersion: 'h2' }), peers: peers(6, { httpVersion: 'h2' }) },
      { name: 'peers on another host', record: stream({ acao: '*' }), peers: peers(6, { url: 'https://other.test/events' }) },
      { name: 'another port is another host', record: stream({ acao: '*', url: 'https://api.test:8443/events' }), peers: peers(6) },
      { name: 'ended peers hold no connection', record: stream({ acao: '*' }), peers: Array.from({ length: 6 }, (_, i) => stream({ id: `p${i}`, acao: '*', bodyEnd: 'client' })) },
      { name: 'a pending stream with only 5 open peers is not queued by the limit', record: waiting, peers: peers(5) },
    ],
    invalid: [
      {
        name: 'seven HTTP/1.1 streams to one host',
        record: stream({ acao: '*' }),
        peers: peers(6),
        findings: [{ messageId: 'too-many-streams', data: { host: 'api.test:443', count: 7 }, severity: 'warning' }],
      },
      {
        name: 'pending peers count as wanting a connection',
        record: stream({ acao: '*', url: 'https://api.test:443/events' }),
        peers: [...peers(5), { ...waiting, id: 'waiting' }],
        findings: [{ messageId: 'too-many-streams', data: { count: 7 } }],
      },
      { name: 'the 7th stream waits for a free connection', record: waiting, peers: peers(6), findings: [{ messageId: 'queued', data: { host: 'api.test:443', count: 6 }, severity: 'error' }] },
    ],
  });
});
