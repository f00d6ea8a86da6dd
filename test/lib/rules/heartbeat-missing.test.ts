import { describe } from 'vitest';
import rule from '@/lib/rules/heartbeat-missing';
import { exchange, stream } from '@/lib/model/builders';
import type { Exchange } from '@/lib/model/record';
import { testRule } from '../../support/rule-tester';

const url = 'https://api.test/events';
const streamHeaders = [['Content-Type', 'text/event-stream'], ['Access-Control-Allow-Origin', '*']] as const;

/** Four responses cut after 60 s each at a steady period, one event right after each opens. */
function idleTimeoutLoop(): { exchanges: Exchange[]; events: { at: number; attempt: number }[] } {
  const exchanges: Exchange[] = [];
  const events: { at: number; attempt: number }[] = [];
  for (let i = 0; i < 4; i++) {
    const start = i * 63_010;
    exchanges.push(exchange({ url, attempt: i + 1, responseHeaders: streamHeaders, timing: { startedAt: start, responseAt: start + 10, firstByteAt: start + 10, endedAt: start + 60_010 }, bodyEnd: 'server' }));
    events.push({ at: start + 20, attempt: i + 1 });
  }
  return { exchanges, events };
}

describe('heartbeat-missing', () => {
  testRule(rule, {
    valid: [
      { name: 'an event every 10 s', record: stream({ acao: '*', observedFor: 35_000, events: [{ at: 20 }, { at: 10_000 }, { at: 20_000 }, { at: 30_000 }] }) },
      {
        name: 'a quiet gap, but extra bytes show comments are sent',
        record: stream({ acao: '*', observedFor: 60_000, events: [{ at: 20 }, { at: 50_000 }], exchanges: [exchange({ url, responseHeaders: streamHeaders, bodyBytes: 200 })] }),
      },
      // Nothing at all arrived: proxy-buffering (silent-after-open) owns that silence.
      { name: 'no byte at all belongs to proxy-buffering', record: stream({ acao: '*', observedFor: 60_000 }) },
      // The cuts are reported by reconnect-loop's idle-timeout, which gives the same heartbeat advice.
      { name: 'an idle-timeout loop belongs to reconnect-loop', record: stream({ acao: '*', ...idleTimeoutLoop() }) },
      { name: 'watched for too short a time', record: stream({ acao: '*', observedFor: 20_000, events: [{ at: 20 }] }) },
    ],
    invalid: [
      {
        name: '45 s between two events',
        record: stream({ acao: '*', observedFor: 50_000, events: [{ at: 20 }, { at: 45_000 }] }),
        findings: [{ messageId: 'quiet-gap', data: { gapMs: 44_980, after: 'event', attempt: 1 }, severity: 'warning' }],
      },
      {
        name: '40 s from open to the first event',
        record: stream({ acao: '*', observedFor: 41_000, events: [{ at: 40_000 }] }),
        findings: [{ messageId: 'quiet-gap', data: { gapMs: 39_990, after: 'open' } }],
      },
      {
        name: 'quiet since the last event until observation stopped',
        record: stream({ acao: '*', observedFor: 40_000, events: [{ at: 20 }] }),
        findings: [{ messageId: 'quiet-gap', data: { gapMs: 39_980, after: 'event' } }],
      },
      {
        name: 'the open time comes from readyState 1 when the page hook saw it',
        record: stream({ acao: '*', client: 'eventsource', observedFor: 70_000, readyStates: [{ at: 0, state: 0, attempt: 1 }, { at: 500, state: 1, attempt: 1 }], events: [{ at: 35_500 }, { at: 69_000 }] }),
        findings: [{ messageId: 'quiet-gap', data: { gapMs: 35_000, after: 'open' } }],
      },
    ],
  });
});
