import type { StreamAnalysis } from '../engine';
import { headerMapOf } from '../model/headers';
import type { StreamRecord } from '../model/record';
import { median } from '../rules/support/stream';
import type { RetryLoop, RetryLoopCause } from './captured';

/**
 * The retry-loop summary the timeline draws, from a record and the engine's findings. The loop
 * itself is diagnosed once, by the `reconnect-loop` and `retry-too-short` rules; this only
 * measures it (attempts, interval, attempt lifetime) and reads whether reconnects resume.
 */

const CAUSE_BY_MESSAGE: Readonly<Record<string, RetryLoopCause>> = {
  'server-ends-response': 'server-ends-response',
  'idle-timeout': 'idle-timeout',
  'network-errors': 'network-error',
};

/** Null for a stream with a single attempt: there is no loop to draw. */
export function retryLoopOf(record: StreamRecord, analysis: StreamAnalysis): RetryLoop | null {
  const starts = new Map<number, number>();
  const ends = new Map<number, number>();
  for (const exchange of record.exchanges) {
    if (!starts.has(exchange.attempt)) starts.set(exchange.attempt, exchange.timing.startedAt);
    if (exchange.kind === 'response' && exchange.timing.endedAt !== null) ends.set(exchange.attempt, exchange.timing.endedAt);
  }
  if (starts.size < 2) return null;
  const startList = [...starts.entries()].sort((a, b) => a[0] - b[0]).map(([, at]) => at);
  const intervals = startList.slice(1).map((at, i) => at - (startList[i] as number));
  const durations = [...ends.entries()].map(([attempt, end]) => end - (starts.get(attempt) ?? end));
  const loop = analysis.findings.find((f) => f.ruleId === 'reconnect-loop');
  const shortRetry = analysis.findings.some((f) => f.ruleId === 'retry-too-short');
  const cause: RetryLoopCause = shortRetry ? 'short-retry' : loop ? (CAUSE_BY_MESSAGE[loop.messageId] ?? 'unknown') : 'unknown';
  const resumesLastEventId = record.exchanges.some((e) => e.attempt > 1 && e.kind !== 'preflight' && headerMapOf(e.requestHeaders).has('last-event-id'));
  return { attempts: starts.size, intervalMs: median(intervals), attemptDurationMs: durations.length > 0 ? median(durations) : null, cause, resumesLastEventId };
}
