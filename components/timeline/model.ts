import type { RetryLoop } from '@/lib/capture/captured';
import type { Exchange, ExchangeKind, ReadyState, StreamRecord } from '@/lib/model/record';

/** The Timeline tab's geometry in milliseconds since the stream was first seen; the view maps it to percentages. */

export interface ExchangeSegment {
  readonly kind: ExchangeKind;
  readonly start: number;
  readonly end: number;
  readonly status: number | null;
  /** When the response headers arrived, if they did. */
  readonly responseAt: number | null;
}

export interface AttemptLane {
  readonly attempt: number;
  readonly start: number;
  readonly end: number;
  /** Still open when observation stopped: the bar runs to the end of the axis. */
  readonly stillOpen: boolean;
  readonly segments: readonly ExchangeSegment[];
}

export interface ReadyStateSpan {
  readonly state: ReadyState;
  readonly start: number;
  readonly end: number;
}

export interface EventBin {
  readonly start: number;
  readonly end: number;
  readonly count: number;
}

export interface TimelineModel {
  readonly span: number;
  readonly ticks: readonly number[];
  readonly attempts: readonly AttemptLane[];
  readonly readyStates: readonly ReadyStateSpan[];
  readonly eventBins: readonly EventBin[];
  /** From the first request to the first byte of the first response; null without one. */
  readonly timeToFirstByte: number | null;
  readonly firstEventAt: number | null;
  /** Time between consecutive attempt starts: what makes a retry loop visible. */
  readonly reconnectGaps: readonly { readonly from: number; readonly to: number }[];
  readonly retryLoop: RetryLoop | null;
}

/** Enough bins to show bursts and silences, few enough to draw at 100,000 events. */
const EVENT_BINS = 120;

function exchangeEnd(exchange: Exchange, span: number): number {
  return exchange.timing.endedAt ?? (exchange.error !== null ? (exchange.timing.responseAt ?? exchange.timing.startedAt) : span);
}

/** 0, then round steps (1, 2 or 5 times a power of ten) up to the span. */
export function axisTicks(span: number, target = 5): number[] {
  if (span <= 0) return [0];
  const raw = span / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) ticks.push(t);
  return ticks;
}

export function timelineModel(record: StreamRecord, retryLoop: RetryLoop | null): TimelineModel {
  let last = record.observedFor ?? 0;
  for (const exchange of record.exchanges) {
    const { startedAt, responseAt, endedAt } = exchange.timing;
    last = Math.max(last, startedAt, responseAt ?? 0, endedAt ?? 0);
  }
  for (const state of record.readyStates) last = Math.max(last, state.at);
  const lastEvent = record.events[record.events.length - 1];
  if (lastEvent) last = Math.max(last, lastEvent.at);
  const span = Math.max(1, last);

  const byAttempt = new Map<number, Exchange[]>();
  for (const exchange of record.exchanges) {
    const list = byAttempt.get(exchange.attempt) ?? [];
    list.push(exchange);
    byAttempt.set(exchange.attempt, list);
  }
  const attempts: AttemptLane[] = [...byAttempt.entries()]
    .sort(([a], [b]) => a - b)
    .map(([attempt, exchanges]) => {
      const segments = exchanges.map((exchange) => ({
        kind: exchange.kind,
        start: exchange.timing.startedAt,
        end: Math.max(exchange.timing.startedAt, exchangeEnd(exchange, span)),
        status: exchange.status,
        responseAt: exchange.timing.responseAt,
      }));
      const final = exchanges[exchanges.length - 1];
      return {
        attempt,
        start: Math.min(...segments.map((s) => s.start)),
        end: Math.max(...segments.map((s) => s.end)),
        stillOpen: final !== undefined && final.timing.endedAt === null && final.error === null && final.status !== null,
        segments,
      };
    });

  const readyStates: ReadyStateSpan[] = record.readyStates.map((transition, index) => ({
    state: transition.state,
    start: transition.at,
    end: record.readyStates[index + 1]?.at ?? span,
  }));

  const eventBins: EventBin[] = [];
  if (record.events.length > 0) {
    const width = span / EVENT_BINS;
    const counts = new Array<number>(EVENT_BINS).fill(0);
    for (const event of record.events) counts[Math.min(EVENT_BINS - 1, Math.floor(event.at / width))]! += 1;
    counts.forEach((count, i) => {
      if (count > 0) eventBins.push({ start: i * width, end: (i + 1) * width, count });
    });
  }

  const firstRequest = record.exchanges[0];
  const firstResponse = record.exchanges.find((e) => e.kind === 'response' && e.timing.firstByteAt !== null);
  const timeToFirstByte = firstRequest && firstResponse?.timing.firstByteAt != null ? firstResponse.timing.firstByteAt - firstRequest.timing.startedAt : null;
  const reconnectGaps = attempts.slice(1).map((lane, i) => ({ from: attempts[i]!.start, to: lane.start }));

  return {
    span,
    ticks: axisTicks(span),
    attempts,
    readyStates,
    eventBins,
    timeToFirstByte,
    firstEventAt: record.events[0]?.at ?? null,
    reconnectGaps,
    retryLoop,
  };
}
