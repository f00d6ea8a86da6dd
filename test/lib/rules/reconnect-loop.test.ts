import { describe } from 'vitest';
import rule from '@/lib/rules/reconnect-loop';
import { exchange, stream } from '@/lib/model/builders';
import type { Exchange } from '@/lib/model/record';
import { testRule } from '../../support/rule-tester';

const url = 'https://api.test/events';

/** Attempts whose responses stay open for `durations[i]` ms, then end; a reconnect delay of 3 s between them. */
function loop(durations: readonly number[], end: Exchange['bodyEnd'] = 'server'): Exchange[] {
  let start = 0;
  const exchanges = durations.map((duration, i) => {
    const e = exchange({
      url,
      attempt: i + 1,
      responseHeaders: [['Content-Type', 'text/event-stream'], ['Access-Control-Allow-Origin', '*']],
      timing: { startedAt: start, responseAt: start + 10, firstByteAt: start + 10, endedAt: start + 10 + duration },
      bodyEnd: end,
    });
    start += 10 + duration + 3000;
    return e;
  });
  const open = exchange({ url, attempt: durations.length + 1, responseHeaders: [['Content-Type', 'text/event-stream'], ['Access-Control-Allow-Origin', '*']], timing: { startedAt: start, responseAt: start + 10, firstByteAt: start + 10, endedAt: null } });
  return [...exchanges, open];
}

describe('reconnect-loop', () => {
  testRule(rule, {
    valid: [
      { name: 'one open stream', record: stream({ acao: '*' }) },
      { name: 'two reconnects are not yet a loop', record: stream({ acao: '*', attempts: 3 }) },
      // Choice: the length is the root cause, so content-length-on-stream alone reports it (with the attempt count).
      { name: 'a Content-Length loop belongs to content-length-on-stream', record: stream({ acao: '*', attempts: 6, headers: [['Content-Length', '64']] }) },
      { name: 'fetch never reconnects by itself', record: stream({ acao: '*', client: 'fetch', attempts: 4 }) },
      { name: 'a failed EventSource (CORS) does not reconnect', record: stream({ attempts: 1 }) },
    ],
    invalid: [
      {
        name: 'server ends every response',
        record: stream({ acao: '*', attempts: 4 }),
        findings: [{ messageId: 'server-ends-response', data: { attempts: 3, intervalMs: 3000 }, severity: 'error' }],
      },
      {
        name: 'steady 63 s period, each response open about 60 s: idle timeout',
        record: stream({ acao: '*', exchanges: loop([60_000, 60_000, 60_500, 59_800]) }),
        findings: [{ messageId: 'idle-timeout', data: { attempts: 4, durationMs: 60_000 }, severity: 'warning' }],
      },
      {
        name: 'a proxy resetting the connection at its idle timeout looks the same',
        record: stream({ acao: '*', exchanges: loop([30_000, 30_000, 30_000], 'network') }),
        findings: [{ messageId: 'idle-timeout', data: { attempts: 3, intervalMs: 33_010 } }],
      },
      {
        name: 'irregular durations are the server ending responses',
        record: stream({ acao: '*', exchanges: loop([5_000, 60_000, 100_000, 20_000]) }),
        findings: [{ messageId: 'server-ends-response', data: { attempts: 4 } }],
      },
      {
        name: 'steady, but far shorter than any idle timeout',
        record: stream({ acao: '*', exchanges: loop([2_000, 2_000, 2_000]) }),
        findings: [{ messageId: 'server-ends-response', data: { attempts: 3, intervalMs: 5_010 } }],
      },
      {
        name: 'connection refused again and again',
        record: stream({ attempts: 4, error: 'net::ERR_CONNECTION_REFUSED' }),
        findings: [{ messageId: 'network-errors', data: { attempts: 4, intervalMs: 3000 }, severity: 'error' }],
      },
      { name: 'streams that open and then break', record: stream({ acao: '*', attempts: 3, bodyEnd: 'network' }), findings: [{ messageId: 'network-errors', data: { attempts: 3 } }] },
    ],
  });
});
