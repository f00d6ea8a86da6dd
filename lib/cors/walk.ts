import { headerMapOf, type HeaderMap } from '../model/headers';
import { isSameOrigin, originOf, resolveLocation } from '../model/origin';
import type { CredentialsMode, Exchange, StreamRecord } from '../model/record';
import type { PreflightResponse } from './preflight-check';
import { isRedirectStatus, type RecordFacts } from './facts';
import type { PreflightRequirement } from './request-headers';

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
  | { kind: 'blocked'; failure: Failure; index: number; url: string; preflight: boolean; requestOrigin: string }
  | { kind: 'network'; index: number; url: string; cors: boolean; error: string | null }
  | { kind: 'pending'; index: number; url: string }
  | { kind: 'response'; index: number; exchange: Exchange; headers: HeaderMap; cors: boolean; requestOrigin: string; preflightMissing: boolean }
  | { kind: 'missing'; preflightMissing: boolean };

/** Whether an exchange is a redirect hop the browser follows (a 3xx with a Location). */
export function isRedirectExchange(exchange: Exchange): boolean {
  return isRedirectStatus(exchange.status) && headerMapOf(exchange.responseHeaders).has('location');
}

export function walkAttempt<Failure>(facts: RecordFacts, indexes: readonly number[], checks: BrowserChecks<Failure>): AttemptWalk<Failure> {
  const record = facts.record;
  const context = facts;
  const first = indexes[0] === undefined ? undefined : record.exchanges[indexes[0]];
  const pageOrigin = record.pageOrigin;
  let cors = !isSameOrigin(originOf(first?.url ?? record.url), pageOrigin);
  let tainted = false;
  let preflightSeen = false;
  const requestOrigin = () => (tainted ? 'null' : pageOrigin);

  for (const index of indexes) {
    const exchange = record.exchanges[index] as Exchange;
    if (exchange.kind === 'preflight') {
      // Only a request that needs one is preflighted (never an EventSource): any other OPTIONS in
      // the record belongs to something else.
      if (!cors || !context.requirement.needed || exchange.status === null) continue;
      preflightSeen = true;
      const failure = checks.preflight(
        { status: exchange.status, headers: facts.responseHeaders(index) },
        requestOrigin(),
        context.credentials,
        context.requirement,
      );
      if (failure) return { kind: 'blocked', failure, index, url: exchange.url, preflight: true, requestOrigin: requestOrigin() };
      continue;
    }
    if (exchange.status === null) {
      return exchange.error
        ? { kind: 'network', index, url: exchange.url, cors, error: exchange.error }
        : { kind: 'pending', index, url: exchange.url };
    }
    const headers = facts.responseHeaders(index);
    if (facts.isRedirect(index)) {
      // A hop the network layer refused to follow (the 21st redirect, a bad Location) fails
      // before any CORS check sees it.
      if (exchange.error) return { kind: 'network', index, url: exchange.url, cors, error: exchange.error };
      // A redirect response of a cross-origin request is CORS-checked before it is followed.
      if (cors) {
        const failure = checks.access(headers, requestOrigin(), context.credentials, exchange.status);
        if (failure) return { kind: 'blocked', failure, index, url: exchange.url, preflight: false, requestOrigin: requestOrigin() };
      }
      const next = resolveLocation(headers.get('location') as string, exchange.url);
      if (next === null) return { kind: 'network', index, url: exchange.url, cors, error: 'invalid redirect location' };
      const nextUrl = new URL(next);
      if (cors && (nextUrl.username || nextUrl.password)) {
        const failure = checks.redirectWithCredentials(next);
        if (failure) return { kind: 'blocked', failure, index, url: exchange.url, preflight: false, requestOrigin: requestOrigin() };
      }
      const from = originOf(exchange.url);
      const to = originOf(next);
      if (!isSameOrigin(from, to) && !isSameOrigin(pageOrigin, from)) tainted = true;
      if (!isSameOrigin(to, pageOrigin)) cors = true;
      continue;
    }
    if (cors) {
      const failure = checks.access(headers, requestOrigin(), context.credentials, exchange.status);
      if (failure) return { kind: 'blocked', failure, index, url: exchange.url, preflight: false, requestOrigin: requestOrigin() };
    }
    const preflightMissing = cors && context.requirement.needed && !preflightSeen;
    return { kind: 'response', index, exchange, headers, cors, requestOrigin: requestOrigin(), preflightMissing };
  }
  return { kind: 'missing', preflightMissing: cors && context.requirement.needed && !preflightSeen };
}
