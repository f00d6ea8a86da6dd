import { headerMapOf, type HeaderMap } from '../model/headers';
import { isSameOrigin, originOf, resolveLocation } from '../model/origin';
import type { CredentialsMode, Exchange, StreamRecord } from '../model/record';
import type { PreflightResponse } from './preflight-check';
import { preflightRequirement, type PreflightRequirement } from './request-headers';

/**
 * Follows one connection attempt through its exchanges the way the Fetch standard does:
 * preflight, each redirect hop (CORS-checked while the request is cross-origin, with the
 * origin tainted to `null` after a hop between two foreign origins), then the final response.
 * The per-browser checks are passed in, so both browsers share one walk.
 */

export interface BrowserChecks<Failure> {
  access(headers: HeaderMap, origin: string, credentials: CredentialsMode, status: number): Failure | null;
  preflight(response: PreflightResponse, origin: string, credentials: CredentialsMode, requirement: PreflightRequirement): Failure | null;
  redirectWithCredentials(location: string): Failure | null;
}

export type AttemptWalk<Failure> =
  | { kind: 'blocked'; failure: Failure; index: number; url: string; preflight: boolean }
  | { kind: 'network'; index: number; url: string; cors: boolean; error: string | null }
  | { kind: 'pending'; index: number; url: string }
  | { kind: 'response'; index: number; exchange: Exchange; headers: HeaderMap; cors: boolean; requestOrigin: string }
  | { kind: 'missing'; preflightMissing: boolean };

export interface WalkContext {
  readonly requirement: PreflightRequirement;
  readonly credentials: CredentialsMode;
}

export function walkContext(record: StreamRecord): WalkContext {
  const { kind, method, headers } = record.client;
  const credentials: CredentialsMode = record.client.credentials;
  return { requirement: preflightRequirement(kind, method, headers), credentials };
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function isRedirectExchange(exchange: Exchange): boolean {
  return exchange.status !== null && REDIRECT_STATUSES.has(exchange.status) && headerMapOf(exchange.responseHeaders).has('location');
}

/** Groups exchange indexes by attempt, in record order. */
export function attemptsOf(record: StreamRecord): number[][] {
  const byAttempt = new Map<number, number[]>();
  record.exchanges.forEach((exchange, index) => {
    const list = byAttempt.get(exchange.attempt);
    if (list) list.push(index);
    else byAttempt.set(exchange.attempt, [index]);
  });
  return [...byAttempt.entries()].sort((a, b) => a[0] - b[0]).map(([, list]) => list);
}

export function walkAttempt<Failure>(
  record: StreamRecord,
  indexes: readonly number[],
  context: WalkContext,
  checks: BrowserChecks<Failure>,
): AttemptWalk<Failure> {
  const first = indexes[0] === undefined ? undefined : record.exchanges[indexes[0]];
  const pageOrigin = record.pageOrigin;
  let cors = !isSameOrigin(originOf(first?.url ?? record.url), pageOrigin);
  let tainted = false;
  let preflightSeen = false;
  const requestOrigin = () => (tainted ? 'null' : pageOrigin);

  for (const index of indexes) {
    const exchange = record.exchanges[index] as Exchange;
    if (exchange.kind === 'preflight') {
      if (!cors || exchange.status === null) continue;
      preflightSeen = true;
      const failure = checks.preflight(
        { status: exchange.status, headers: headerMapOf(exchange.responseHeaders) },
        requestOrigin(),
        context.credentials,
        context.requirement,
      );
      if (failure) return { kind: 'blocked', failure, index, url: exchange.url, preflight: true };
      continue;
    }
    if (exchange.status === null) {
      return exchange.error
        ? { kind: 'network', index, url: exchange.url, cors, error: exchange.error }
        : { kind: 'pending', index, url: exchange.url };
    }
    const headers = headerMapOf(exchange.responseHeaders);
    if (isRedirectExchange(exchange)) {
      // A redirect response of a cross-origin request is CORS-checked before it is followed.
      if (cors) {
        const failure = checks.access(headers, requestOrigin(), context.credentials, exchange.status);
        if (failure) return { kind: 'blocked', failure, index, url: exchange.url, preflight: false };
      }
      const next = resolveLocation(headers.get('location') as string, exchange.url);
      if (next === null) return { kind: 'network', index, url: exchange.url, cors, error: 'invalid redirect location' };
      const nextUrl = new URL(next);
      if (cors && (nextUrl.username || nextUrl.password)) {
        const failure = checks.redirectWithCredentials(next);
        if (failure) return { kind: 'blocked', failure, index, url: exchange.url, preflight: false };
      }
      const from = originOf(exchange.url);
      const to = originOf(next);
      if (!isSameOrigin(from, to) && !isSameOrigin(pageOrigin, from)) tainted = true;
      if (!isSameOrigin(to, pageOrigin)) cors = true;
      continue;
    }
    if (cors) {
      const failure = checks.access(headers, requestOrigin(), context.credentials, exchange.status);
      if (failure) return { kind: 'blocked', failure, index, url: exchange.url, preflight: false };
    }
    return { kind: 'response', index, exchange, headers, cors, requestOrigin: requestOrigin() };
  }
  return { kind: 'missing', preflightMissing: cors && context.requirement.needed && !preflightSeen };
}
