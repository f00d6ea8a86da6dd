import { HeaderMap } from '../model/headers';
import { originOf } from '../model/origin';
import type { CredentialsMode, StreamRecord } from '../model/record';
import { preflightRequirement, type PreflightRequirement } from './request-headers';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

// The grouping of the most common record, a single exchange: shared, read-only like every grouping.
const ONE_EXCHANGE: readonly (readonly number[])[] = [[0]];

/**
 * Captures list attempts in order: group them, or null when they are not in order. Two passes,
 * counting then filling, so every list is allocated at its final size.
 */
function groupContiguous(record: StreamRecord): readonly (readonly number[])[] | null {
  const exchanges = record.exchanges;
  if (exchanges.length === 1) return ONE_EXCHANGE;
  let count = 0;
  let current = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < exchanges.length; index++) {
    const attempt = (exchanges[index] as StreamRecord['exchanges'][number]).attempt;
    if (attempt > current) {
      count++;
      current = attempt;
    } else if (attempt < current) return null;
  }
  const groups = new Array<number[]>(count);
  let start = 0;
  for (let group = 0; group < count; group++) {
    const attempt = (exchanges[start] as StreamRecord['exchanges'][number]).attempt;
    let end = start + 1;
    while (end < exchanges.length && (exchanges[end] as StreamRecord['exchanges'][number]).attempt === attempt) end++;
    const indexes = new Array<number>(end - start);
    for (let index = start; index < end; index++) indexes[index - start] = index;
    groups[group] = indexes;
    start = end;
  }
  return groups;
}

export function isRedirectStatus(status: number | null | undefined): boolean {
  return status !== null && status !== undefined && REDIRECT_STATUSES.has(status);
}

/**
 * What the walk, both browsers' verdicts and every rule ask of one record, each answered once:
 * parsed response headers per exchange, the exchanges grouped by attempt, and the preflight the
 * client's request needs. One instance per analysis; the record itself is never mutated.
 */
export class RecordFacts {
  readonly requirement: PreflightRequirement;
  readonly credentials: CredentialsMode;
  // Per exchange, made on first use at the record's size (most records have one or two exchanges).
  private headerMaps: (HeaderMap | undefined)[] | null = null;
  private origins: (string | undefined)[] | null = null;
  private attemptList: readonly (readonly number[])[] | null = null;
  private streamUrlOrigin: string | null = null;

  constructor(readonly record: StreamRecord) {
    const { kind, method, headers, credentials } = record.client;
    this.requirement = preflightRequirement(kind, method, headers);
    this.credentials = credentials;
  }

  responseHeaders(index: number): HeaderMap {
    const maps = (this.headerMaps ??= new Array<HeaderMap | undefined>(this.record.exchanges.length));
    let map = maps[index];
    if (!map) {
      map = new HeaderMap(this.record.exchanges[index]?.responseHeaders ?? []);
      maps[index] = map;
    }
    return map;
  }

  /** Serialized origin of the stream's URL. */
  get streamOrigin(): string {
    return (this.streamUrlOrigin ??= originOf(this.record.url));
  }

  /** Serialized origin of an exchange's URL. */
  exchangeOrigin(index: number): string {
    const origins = (this.origins ??= new Array<string | undefined>(this.record.exchanges.length));
    let origin = origins[index];
    if (origin === undefined) {
      const url = this.record.exchanges[index]?.url ?? this.record.url;
      // Most exchanges are requests for the stream URL itself: comparing it is cheaper than hashing it.
      origin = url === this.record.url ? this.streamOrigin : originOf(url);
      origins[index] = origin;
    }
    return origin;
  }

  /** A 3xx with a Location: a hop the browser follows. */
  isRedirect(index: number): boolean {
    return isRedirectStatus(this.record.exchanges[index]?.status) && this.responseHeaders(index).has('location');
  }

  /** Exchange indexes grouped by attempt, in attempt order. Shared: do not mutate. */
  get attempts(): readonly (readonly number[])[] {
    if (!this.attemptList) this.attemptList = groupContiguous(this.record) ?? this.groupAnyOrder();
    return this.attemptList;
  }

  private groupAnyOrder(): number[][] {
    const byAttempt = new Map<number, number[]>();
    this.record.exchanges.forEach((exchange, index) => {
      const list = byAttempt.get(exchange.attempt);
      if (list) list.push(index);
      else byAttempt.set(exchange.attempt, [index]);
    });
    return [...byAttempt.entries()].sort((a, b) => a[0] - b[0]).map(([, list]) => list);
  }
}
