import { parseContentType, splitList } from '../../model/headers';
import type { Exchange, StreamRecord } from '../../model/record';
import type { RuleContext } from '../context';

/**
 * What the deployment rules (content-length, compression, caching, buffering, heartbeat,
 * reconnect loop) ask of a record: which response is the stream itself, and how each
 * connection attempt went. Pure functions of the context.
 */

/** A 200 `text/event-stream` for EventSource; any 2xx with a body for fetch (which ignores the MIME type). */
export function isStreamExchange(record: StreamRecord, exchange: Exchange, contentType: string | null): boolean {
  if (exchange.kind !== 'response' || exchange.status === null) return false;
  if (record.client.kind === 'fetch') return exchange.status >= 200 && exchange.status < 300 && exchange.status !== 204;
  return exchange.status === 200 && parseContentType(contentType)?.essence === 'text/event-stream';
}

/**
 * Index of the final response when it is the stream itself and at least one browser lets the page
 * read it. Streams both browsers block belong to the CORS rules; other statuses and MIME types
 * to status-not-200 and content-type-not-event-stream.
 */
export function streamResponseIndex(context: RuleContext): number | null {
  return context.derive(computeStreamResponseIndex);
}

function computeStreamResponseIndex(context: RuleContext): number | null {
  const index = context.finalIndex;
  if (index === null) return null;
  const exchange = context.record.exchanges[index];
  if (!exchange || !isStreamExchange(context.record, exchange, context.headers(index).get('content-type'))) return null;
  if (context.verdicts.chromium.outcome === 'blocked' && context.verdicts.firefox.outcome === 'blocked') return null;
  return index;
}

/** How one connection attempt ended, as far as it was watched. */
export type AttemptEnd =
  | 'open' // the stream response is still open
  | 'server-ended' // the stream opened, then the server (or a proxy) ended the response
  | 'broken' // the stream opened, then the connection broke
  | 'network-error' // no response at all: the request failed
  | 'pending' // no response yet, no error
  | 'other'; // a non-stream response (status, MIME, CORS): the connection is failed, not re-established

export interface AttemptSummary {
  readonly attempt: number;
  /** When the attempt's first request started. */
  readonly startedAt: number;
  /** Index of the attempt's last exchange (its response, or where it stopped). */
  readonly index: number;
  readonly exchange: Exchange;
  readonly end: AttemptEnd;
}

export function attemptSummaries(context: RuleContext): AttemptSummary[] {
  return context.derive(computeAttemptSummaries);
}

function computeAttemptSummaries(context: RuleContext): AttemptSummary[] {
  const { record } = context;
  const attempts = context.facts.attempts;
  // Sized for every attempt up front, trimmed if one is empty.
  const summaries = new Array<AttemptSummary>(attempts.length);
  let count = 0;
  for (const indexes of attempts) {
    const first = record.exchanges[indexes[0] ?? -1];
    const index = indexes[indexes.length - 1];
    const exchange = index === undefined ? undefined : record.exchanges[index];
    if (!first || index === undefined || !exchange) continue;
    summaries[count++] = { attempt: exchange.attempt, startedAt: first.timing.startedAt, index, exchange, end: attemptEnd(context, index, exchange) };
  }
  // Setting length is a slow runtime call: only when an attempt was skipped.
  if (count < summaries.length) summaries.length = count;
  return summaries;
}

function attemptEnd(context: RuleContext, index: number, exchange: Exchange): AttemptEnd {
  if (exchange.kind !== 'response') return 'other';
  if (exchange.status === null) return exchange.error === null ? 'pending' : 'network-error';
  if (!isStreamExchange(context.record, exchange, context.headers(index).get('content-type'))) return 'other';
  if (exchange.bodyEnd === 'server') return 'server-ended';
  if (exchange.bodyEnd === 'network') return 'broken';
  return 'open';
}

/**
 * Whether the page saw the attempt open. The page hook records readyState 1 per attempt; without
 * it (webRequest or HAR capture only) a stream response that a browser lets through counts as open.
 */
export function attemptOpened(context: RuleContext, attempt: number): boolean {
  const { readyStates } = context.record;
  if (readyStates.length === 0) return true;
  return readyStates.some((transition) => transition.attempt === attempt && transition.state === 1);
}

const NO_CODINGS: readonly string[] = Object.freeze([]);

/** Response encodings other than `identity`, lower-cased, in the order sent. */
export function contentCodings(context: RuleContext, index: number): readonly string[] {
  const value = context.headers(index).get('content-encoding');
  // Most streams are not encoded: no lists to build.
  if (value === null) return NO_CODINGS;
  return splitList(value)
    .map((coding) => coding.toLowerCase())
    .filter((coding) => coding !== 'identity');
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
