import { describe } from 'vitest';
import rule from '@/lib/rules/proxy-buffering';
import { exchange, stream } from '@/lib/model/builders';
import type { ReadyStateTransition } from '@/lib/model/record';
import { testRule } from '../../support/rule-tester';

const opened: ReadyStateTransition[] = [
  { at: 0, state: 0, attempt: 1 },
  { at: 10, state: 1, attempt: 1 },
];
const connecting: ReadyStateTransition[] = [{ at: 0, state: 0, attempt: 1 }];
const nginx = [['Server', 'nginx/1.25.3']] as const;

/** A stream whose request went out but whose response headers never came. */
const headerless = (url = 'https://api.test/events') =>
  exchange({ url, status: null, timing: { startedAt: 0, responseAt: null, firstByteAt: null, endedAt: null } });

const openPeer = (i: number) => stream({ id: `peer-${i}`, acao: '*' });

describe('proxy-buffering', () => {
  testRule(rule, {
    valid: [
      { name: 'events flowing, no proxy in sight', record: stream({ acao: '*', readyStates: opened, observedFor: 60_000, events: [{ at: 100 }, { at: 20_000 }] }) },
      { name: 'nginx told not to buffer (header visible to the browser)', record: stream({ acao: '*', headers: [...nginx, ['X-Accel-Buffering', 'no']] }) },
      { name: 'silent for only 3 s', record: stream({ acao: '*', readyStates: opened, observedFor: 3000 }) },
      { name: 'bytes arrived (comments), no events: not buffered', record: stream({ acao: '*', readyStates: opened, observedFor: 60_000, exchanges: [exchange({ url: 'https://api.test/events', responseHeaders: [['Content-Type', 'text/event-stream'], ['Access-Control-Allow-Origin', '*']], bodyBytes: 12 })] }) },
      // The compressor is the likelier holder: content-encoding-on-stream reports compressed-silent instead.
      { name: 'silent gzip stream belongs to content-encoding-on-stream', record: stream({ acao: '*', headers: [['Content-Encoding', 'gzip']], readyStates: opened, observedFor: 10_000 }) },
      { name: 'waiting for headers for 2 s only', record: stream({ exchanges: [headerless()], readyStates: connecting, observedFor: 2000 }) },
      // With 6 HTTP/1.1 streams open to the host, the browser queues the 7th: connection-limit-per-host's 'queued'.
      {
        name: 'headerless because queued behind the connection limit',
        record: stream({ exchanges: [headerless()], readyStates: connecting, observedFor: 30_000 }),
        peers: [1, 2, 3, 4, 5, 6].map(openPeer),
      },
      // Held for the user's permission prompt: local-network-access's finding.
      { name: 'headerless while Local Network Access asks the user', record: stream({ url: 'http://127.0.0.1:8080/events', exchanges: [headerless('http://127.0.0.1:8080/events')], readyStates: connecting, observedFor: 30_000 }) },
      { name: 'a network error is not held-back headers', record: stream({ error: 'net::ERR_CONNECTION_REFUSED', observedFor: 30_000 }) },
    ],
    invalid: [
      {
        name: 'open, status 200, not a byte in 10 s',
        record: stream({ acao: '*', readyStates: opened, observedFor: 10_000, bodyBytes: 0 }),
        findings: [{ messageId: 'silent-after-open', data: { silentMs: 9990 }, severity: 'error' }],
      },
      {
        name: 'silent behind nginx: one finding naming the proxy, not two',
        record: stream({ acao: '*', headers: nginx, readyStates: opened, observedFor: 10_000, bodyBytes: 0 }),
        findings: [{ messageId: 'silent-after-open', data: { proxy: 'nginx' } }],
      },
      { name: 'nginx without X-Accel-Buffering: no', record: stream({ acao: '*', headers: nginx }), findings: [{ messageId: 'nginx-no-accel', data: { proxy: 'nginx' }, severity: 'warning', header: 'Server' }] },
      { name: 'OpenResty is nginx', record: stream({ acao: '*', headers: [['Server', 'openresty']] }), findings: [{ messageId: 'nginx-no-accel', data: { proxy: 'nginx' } }] },
      {
        name: 'nginx while events flow: only info (buffering delays at most)',
        record: stream({ acao: '*', headers: nginx, readyStates: opened, observedFor: 60_000, events: [{ at: 100 }] }),
        findings: [{ messageId: 'nginx-no-accel', severity: 'info' }],
      },
      { name: 'a Via header names some proxy', record: stream({ acao: '*', headers: [['Via', '1.1 varnish, 1.1 edge']] }), findings: [{ messageId: 'nginx-no-accel', data: { proxy: '1.1 varnish' }, header: 'Via' }] },
      {
        name: 'no headers for 8 s, EventSource stuck in CONNECTING',
        record: stream({ exchanges: [headerless()], readyStates: connecting, observedFor: 8000 }),
        findings: [{ messageId: 'headers-held-back', data: { waitedMs: 8000 }, severity: 'error' }],
      },
      { name: 'fetch waiting for headers', record: stream({ client: 'fetch', exchanges: [headerless()], observedFor: 12_000 }), findings: [{ messageId: 'headers-held-back' }] },
    ],
  });
});
