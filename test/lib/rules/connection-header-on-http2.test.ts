import { describe } from 'vitest';
import rule from '@/lib/rules/connection-header-on-http2';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

describe('connection-header-on-http2', () => {
  testRule(rule, {
    valid: [
      { name: 'HTTP/1.1 may say Connection: keep-alive', record: stream({ acao: '*', headers: [['Connection', 'keep-alive']] }) },
      { name: 'clean h2 response', record: stream({ acao: '*', httpVersion: 'h2', headers: [['Cache-Control', 'no-cache']] }) },
      { name: 'unknown protocol version', record: stream({ acao: '*', httpVersion: 'unknown', headers: [['Connection', 'close']] }) },
    ],
    invalid: [
      {
        name: 'h2 with Connection and Keep-Alive',
        record: stream({ acao: '*', httpVersion: 'h2', headers: [['Connection', 'keep-alive'], ['Keep-Alive', 'timeout=5']] }),
        findings: [{ messageId: 'forbidden-headers', data: { headers: 'Connection, Keep-Alive', httpVersion: 'h2' }, severity: 'warning', header: 'Connection' }],
      },
      { name: 'HTTP/3 with Transfer-Encoding', record: stream({ acao: '*', httpVersion: 'HTTP/3', headers: [['transfer-encoding', 'chunked']] }), findings: [{ messageId: 'forbidden-headers', data: { headers: 'transfer-encoding' } }] },
      {
        name: 'reported once although every attempt repeats it',
        record: stream({ acao: '*', httpVersion: 'HTTP/2.0', attempts: 3, headers: [['Upgrade', 'h2c']] }),
        findings: [{ messageId: 'forbidden-headers', data: { headers: 'Upgrade', httpVersion: 'HTTP/2.0' } }],
      },
    ],
  });
});
