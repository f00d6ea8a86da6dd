import { describe, expect, it } from 'vitest';
import { retryLoopOf } from '../../../lib/capture/retry-loop';
import { analyzeStream } from '../../../lib/engine';
import { exchange, stream } from '../../../lib/model/builders';
import type { Exchange, StreamRecord } from '../../../lib/model/record';

const loopOf = (record: StreamRecord) => retryLoopOf(record, analyzeStream(record));

const SSE: [string, string][] = [['Content-Type', 'text/event-stream']];
const URL = 'https://api.test/events';

/** One attempt's final response: started at `start` s, open for `open` s, ended by `end`. */
function attempt(n: number, start: number, open: number, fields: Partial<Exchange> = {}): Exchange {
  const startedAt = start * 1000;
  return exchange({
    url: URL,
    attempt: n,
    responseHeaders: SSE,
    timing: { startedAt, responseAt: startedAt + 10, firstByteAt: startedAt + 10, endedAt: startedAt + open * 1000 },
    bodyEnd: 'server',
    bodyBytes: 20,
    ...fields,
  });
}

describe('retryLoopOf', () => {
  it('draws no loop for a single attempt', () => {
    expect(loopOf(stream({ bodyEnd: 'server' }))).toBeNull();
  });

  it('measures a server that ends every response: attempts, interval and lifetime, with the rule’s cause', () => {
    // The builder starts attempt n's response at (n - 1) * interval + 5 ms and ends it 995 ms later.
    const record = stream({ attempts: 4, interval: 3, bodyEnd: 'server' });
    expect(analyzeStream(record).findings.map((f) => `${f.ruleId}/${f.messageId}`)).toContain('reconnect-loop/server-ends-response');
    expect(loopOf(record)).toEqual({ attempts: 4, intervalMs: 3000, attemptDurationMs: 995, cause: 'server-ends-response', resumesLastEventId: false });
  });

  it('names a short retry: as the cause, above the loop the reconnect rule sees', () => {
    const record = stream({ attempts: 4, interval: 0.2, bodyEnd: 'server', retryValues: [100] });
    expect(loopOf(record)?.cause).toBe('short-retry');
  });

  it('names network errors as the cause, and measures failed attempts from start to failure', () => {
    const record = stream({
      exchanges: [1, 2, 3].map((n) => exchange({ url: URL, attempt: n, status: null, error: 'net::ERR_CONNECTION_REFUSED', timing: { startedAt: (n - 1) * 5000, responseAt: null, firstByteAt: null, endedAt: (n - 1) * 5000 + 40 } })),
    });
    expect(loopOf(record)).toEqual({ attempts: 3, intervalMs: 5000, attemptDurationMs: 40, cause: 'network-error', resumesLastEventId: false });
  });

  it('names a steady cut after about a minute as an idle timeout', () => {
    const record = stream({ exchanges: [1, 2, 3, 4].map((n) => attempt(n, (n - 1) * 63, 60, { bodyEnd: 'network' })) });
    expect(loopOf(record)).toMatchObject({ attempts: 4, intervalMs: 63_000, attemptDurationMs: 60_000, cause: 'idle-timeout' });
  });

  it('says unknown when there are attempts but no diagnosed loop', () => {
    const record = stream({ attempts: 2, interval: 3, bodyEnd: 'server' });
    expect(analyzeStream(record).findings.map((f) => f.ruleId)).not.toContain('reconnect-loop');
    expect(loopOf(record)).toMatchObject({ attempts: 2, intervalMs: 3000, cause: 'unknown' });
  });

  it('takes the median interval and lifetime, and orders attempts by number, not by list position', () => {
    const record = stream({ exchanges: [attempt(3, 8, 4), attempt(1, 0, 1), attempt(2, 3, 2)] });
    expect(loopOf(record)).toMatchObject({ attempts: 3, intervalMs: 4000, attemptDurationMs: 2000 });
  });

  it('starts an attempt at its first request (the preflight) and ends it at its response', () => {
    const exchanges = [1, 2].flatMap((n) => {
      const base = (n - 1) * 4000;
      return [
        exchange({ url: URL, attempt: n, kind: 'preflight', method: 'OPTIONS', status: 204, timing: { startedAt: base, responseAt: base + 5, firstByteAt: base + 5, endedAt: base + 5 }, bodyEnd: 'server' }),
        attempt(n, base / 1000 + 1, 2),
      ];
    });
    expect(loopOf(stream({ client: 'fetch', exchanges }))).toMatchObject({ attempts: 2, intervalMs: 4000, attemptDurationMs: 3000 });
  });

  it('counts attempts still open in the interval but not in the lifetime', () => {
    const record = stream({ exchanges: [attempt(1, 0, 1), attempt(2, 3, 1), { ...attempt(3, 6, 0), bodyEnd: null, timing: { startedAt: 6000, responseAt: 6010, firstByteAt: 6010, endedAt: null } }] });
    expect(loopOf(record)).toMatchObject({ attempts: 3, intervalMs: 3000, attemptDurationMs: 1000 });
  });

  it('says whether reconnects resume with Last-Event-ID, on requests not preflights', () => {
    const resuming = stream({ exchanges: [attempt(1, 0, 1), attempt(2, 3, 1, { requestHeaders: [['Last-Event-ID', '42']] })] });
    expect(loopOf(resuming)?.resumesLastEventId).toBe(true);
    const preflightOnly = stream({
      exchanges: [
        attempt(1, 0, 1),
        exchange({ url: URL, attempt: 2, kind: 'preflight', method: 'OPTIONS', requestHeaders: [['last-event-id', '42']], timing: { startedAt: 3000, responseAt: 3005, firstByteAt: 3005, endedAt: 3005 } }),
        attempt(2, 3.01, 1),
      ],
    });
    expect(loopOf(preflightOnly)?.resumesLastEventId).toBe(false);
    const firstOnly = stream({ exchanges: [attempt(1, 0, 1, { requestHeaders: [['Last-Event-ID', '1']] }), attempt(2, 3, 1)] });
    expect(loopOf(firstOnly)?.resumesLastEventId).toBe(false);
  });
});
