import { streamContentLength } from './content-length-on-stream';
import type { RuleContext } from './context';
import { defineRule, evidence, NO_FINDINGS } from './define';
import { isEventSource } from './helpers';
import { attemptOpened, attemptSummaries, median, type AttemptSummary } from './support/stream';

type MessageId = 'server-ends-response' | 'idle-timeout' | 'network-errors';

/** Ended attempts needed before the reconnects count as a loop. */
const LOOP_ATTEMPTS = 3;
/** Intervals between attempt starts within this share of their median count as steady. */
const STEADY_SPREAD = 0.2;
/** Proxy and load-balancer idle timeouts are commonly 30-100 s; "roughly" allows 10% either side of 30-120 s. */
const IDLE_MIN_MS = 27_000;
const IDLE_MAX_MS = 132_000;

export interface ReconnectLoop {
  readonly messageId: MessageId;
  readonly attempts: readonly AttemptSummary[];
  /** Median time between the starts of consecutive attempts. */
  readonly intervalMs: number;
  /** Median time each response stayed open (idle-timeout only). */
  readonly durationMs: number | null;
}

function startIntervals(attempts: readonly AttemptSummary[]): number[] {
  return attempts.slice(1).map((attempt, i) => attempt.startedAt - (attempts[i] as AttemptSummary).startedAt);
}

function steady(intervals: readonly number[]): boolean {
  if (intervals.length === 0) return false;
  const middle = median(intervals);
  return middle > 0 && Math.max(...intervals) - Math.min(...intervals) <= STEADY_SPREAD * middle;
}

function openDuration(attempt: AttemptSummary): number | null {
  const { responseAt, startedAt, endedAt } = attempt.exchange.timing;
  return endedAt === null ? null : endedAt - (responseAt ?? startedAt);
}

/**
 * The reconnect loop an EventSource is in, if any. A loop whose responses carry Content-Length is
 * content-length-on-stream's finding (the length is the cause), so those attempts are left out here.
 */
export function reconnectLoop(context: RuleContext): ReconnectLoop | null {
  return context.derive(computeReconnectLoop);
}

function computeReconnectLoop(context: RuleContext): ReconnectLoop | null {
  if (!isEventSource(context)) return null;
  const all = attemptSummaries(context);
  // Every kind of loop needs LOOP_ATTEMPTS attempts: most streams have one.
  if (all.length < LOOP_ATTEMPTS) return null;
  const openedThenEnded = all.filter(
    (a) => (a.end === 'server-ended' || a.end === 'broken') && attemptOpened(context, a.attempt) && !lengthOwned(context, a),
  );
  const intervals = startIntervals(all);
  const durations = openedThenEnded.map(openDuration);
  if (
    openedThenEnded.length >= LOOP_ATTEMPTS &&
    steady(intervals) &&
    durations.every((d) => d !== null && d >= IDLE_MIN_MS && d <= IDLE_MAX_MS)
  ) {
    return { messageId: 'idle-timeout', attempts: openedThenEnded, intervalMs: median(intervals), durationMs: median(durations as number[]) };
  }
  const serverEnded = openedThenEnded.filter((a) => a.end === 'server-ended');
  if (serverEnded.length >= LOOP_ATTEMPTS) return { messageId: 'server-ends-response', attempts: serverEnded, intervalMs: median(intervals), durationMs: null };
  const networkErrors = all.filter((a) => a.end === 'network-error' || a.end === 'broken');
  if (networkErrors.length >= LOOP_ATTEMPTS) return { messageId: 'network-errors', attempts: networkErrors, intervalMs: median(intervals), durationMs: null };
  return null;
}

function lengthOwned(context: RuleContext, attempt: AttemptSummary): boolean {
  return streamContentLength(context.headers(attempt.index)) !== null;
}

export default defineRule<MessageId>({
  id: 'reconnect-loop',
  title: 'EventSource stays connected',
  failureTitle: 'EventSource is stuck in a reconnect loop',
  severity: 'error',
  docsUrl: 'https://html.spec.whatwg.org/multipage/server-sent-events.html#reestablish-the-connection',
  messages: {
    'server-ends-response': (d) =>
      `The server ended the response ${d.attempts} times after the stream opened, and the EventSource reconnected each time (about every ${Math.round(Number(d.intervalMs) / 100) / 10} s). A stream handler must keep the response open.`,
    'idle-timeout': (d) =>
      `The stream was cut ${d.attempts} times after about ${Math.round(Number(d.durationMs) / 1000)} s each, at a steady period of ${Math.round(Number(d.intervalMs) / 1000)} s: the signature of a proxy or load balancer idle timeout on a quiet stream.`,
    'network-errors': (d) => `${d.attempts} connection attempts ended in network errors; the EventSource keeps reconnecting (about every ${Math.round(Number(d.intervalMs) / 100) / 10} s).`,
  },
  requires: ['eventsource'],
  appliesTo: (context) => isEventSource(context) && context.record.exchanges.length > 0,
  check(context) {
    const loop = reconnectLoop(context);
    if (!loop) return NO_FINDINGS;
    const first = loop.attempts[0];
    const last = loop.attempts.at(-1);
    const data = { attempts: loop.attempts.length, intervalMs: Math.round(loop.intervalMs), ...(loop.durationMs === null ? {} : { durationMs: Math.round(loop.durationMs) }) };
    return [
      {
        messageId: loop.messageId,
        data,
        evidence: [evidence({ exchangeIndex: first?.index ?? null, note: `attempts ${first?.attempt ?? 1}-${last?.attempt ?? 1}` })],
        ...(loop.messageId === 'idle-timeout' ? { severity: 'warning' as const } : {}),
      },
    ];
  },
  fix(_context, finding) {
    switch (finding.messageId) {
      case 'idle-timeout':
        return {
          summary: 'Send a comment line (`: ping`) about every 15 s so proxies never see the stream idle, or raise their read timeout (nginx `proxy_read_timeout`, load balancer idle timeout).',
          plan: { heartbeatSeconds: 15 },
        };
      case 'server-ends-response':
        return { summary: 'Keep the response open: write events in a loop and return only when the client disconnects. Send `id:` so reconnects resume with Last-Event-ID.' };
      case 'network-errors':
        return { summary: 'Find what breaks the connection (DNS, TLS, a proxy resetting it); send `retry: 3000` or more so a failing server is not hammered.', plan: { retryMs: 3000 } };
    }
  },
});
