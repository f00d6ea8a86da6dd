import { HeaderMap } from '../model/headers';
import { originOf } from '../model/origin';
import type { CredentialsMode, StreamRecord } from '../model/record';
import { preflightRequirement, type PreflightRequirement } from './request-headers';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Captures list attempts in order: group them in one pass, or null when they are not in order. */
function groupContiguous(record: StreamRecord): number[][] | null {
  const groups: number[][] = [];
  let current = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < record.exchanges.length; index++) {
    const attempt = (record.exchanges[index] as StreamRecord['exchanges'][number]).attempt;
    if (attempt === current) (groups[groups.length - 1] as number[]).push(index);
    else if (attempt > current) {
      groups.push([index]);
      current = attempt;
    } else return null;
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
  private readonly headerMaps: (HeaderMap | undefined)[] = [];
  private attemptList: number[][] | null = null;
  private origins: (string | undefined)[] = [];

  constructor(readonly record: StreamRecord) {
    const { kind, method, headers, credentials } = record.client;
    this.requirement = preflightRequirement(kind, method, headers);
    this.credentials = credentials;
  }

  responseHeaders(index: number): HeaderMap {
    let map = this.headerMaps[index];
    if (!map) {
      map = new HeaderMap(this.record.exchanges[index]?.responseHeaders ?? []);
      this.headerMaps[index] = map;
    }
    return map;
  }

  /** Serialized origin of an exchange's URL. */
  exchangeOrigin(index: number): string {
    let origin = this.origins[index];
    if (origin === undefined) {
      origin = originOf(this.record.exchanges[index]?.url ?? this.record.url);
      this.origins[index] = origin;
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
