import { headerMapOf, type HeaderMap } from '../model/headers';
import { isSameOrigin, originOf, parseUrl, resolveLocation } from '../model/origin';
import type { CredentialsMode, Exchange } from '../model/record';
import type { PreflightResponse } from './preflight-check';
import { isRedirectStatus, type RecordFacts } from './facts';
import type { PreflightRequirement } from './request-headers';

/**
 * Follows one connection attempt through its exchanges the way the Fetch standard does:
 * preflight, each redirect hop (CORS-checked while the request is cross-origin, with the
 * origin tainted to `null` after a hop between two foreign origins), then the final response.
 * The path through the exchanges does not depend on the browser, only the checks on the way do,
 * so one walk applies both browsers' checks and ends where each browser stops.
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

export type WalkPair<A, B> = [AttemptWalk<A>, AttemptWalk<B>];

export function walkAttempt<A, B>(facts: RecordFacts, indexes: readonly number[], checksA: BrowserChecks<A>, checksB: BrowserChecks<B>): WalkPair<A, B> {
  const record = facts.record;
  const first = indexes[0] === undefined ? undefined : record.exchanges[indexes[0]];
  const pageOrigin = record.pageOrigin;
  let cors = !isSameOrigin(first === undefined ? originOf(record.url) : facts.exchangeOrigin(indexes[0] as number), pageOrigin);
  let tainted = false;
  let preflightSeen = false;
  let a: AttemptWalk<A> | null = null;
  let b: AttemptWalk<B> | null = null;
  const requestOrigin = () => (tainted ? 'null' : pageOrigin);
  /** Where both browsers stop for the same reason (a network error, the final response...). */
  const both = (walk: AttemptWalk<never>): WalkPair<A, B> => [a ?? walk, b ?? walk];
  const blocked = <F>(failure: F, index: number, url: string, preflight: boolean): AttemptWalk<F> => ({
    kind: 'blocked',
    failure,
    index,
    url,
    preflight,
    requestOrigin: requestOrigin(),
  });
  /** Runs a check for each browser still going; true once both have stopped. */
  const check = (index: number, url: string, preflight: boolean, run: <F>(checks: BrowserChecks<F>) => F | null): boolean => {
    if (a === null) {
      const failure = run(checksA);
      if (failure) a = blocked(failure, index, url, preflight);
    }
    if (b === null) {
      const failure = run(checksB);
      if (failure) b = blocked(failure, index, url, preflight);
    }
    return a !== null && b !== null;
  };

  for (const index of indexes) {
    const exchange = record.exchanges[index] as Exchange;
    if (exchange.kind === 'preflight') {
      // Only a request that needs one is preflighted (never an EventSource): any other OPTIONS in
      // the record belongs to something else.
      if (!cors || !facts.requirement.needed || exchange.status === null) continue;
      preflightSeen = true;
      const response = { status: exchange.status, headers: facts.responseHeaders(index) };
      if (check(index, exchange.url, true, (c) => c.preflight(response, requestOrigin(), facts.credentials, facts.requirement))) break;
      continue;
    }
    if (exchange.status === null) {
      return both(exchange.error ? { kind: 'network', index, url: exchange.url, cors, error: exchange.error } : { kind: 'pending', index, url: exchange.url });
    }
    const status = exchange.status;
    const headers = facts.responseHeaders(index);
    if (facts.isRedirect(index)) {
      // A hop the network layer refused to follow (the 21st redirect, a bad Location) fails
      // before any CORS check sees it.
      if (exchange.error) return both({ kind: 'network', index, url: exchange.url, cors, error: exchange.error });
      // A redirect response of a cross-origin request is CORS-checked before it is followed.
      if (cors && check(index, exchange.url, false, (c) => c.access(headers, requestOrigin(), facts.credentials, status))) break;
      const next = resolveLocation(headers.get('location') as string, exchange.url);
      if (next === null) return both({ kind: 'network', index, url: exchange.url, cors, error: 'invalid redirect location' });
      const nextUrl = parseUrl(next) as URL;
      if (cors && (nextUrl.username || nextUrl.password) && check(index, exchange.url, false, (c) => c.redirectWithCredentials(next))) break;
      const from = facts.exchangeOrigin(index);
      const to = originOf(next);
      if (!isSameOrigin(from, to) && !isSameOrigin(pageOrigin, from)) tainted = true;
      if (!isSameOrigin(to, pageOrigin)) cors = true;
      continue;
    }
    if (cors) check(index, exchange.url, false, (c) => c.access(headers, requestOrigin(), facts.credentials, status));
    const preflightMissing = cors && facts.requirement.needed && !preflightSeen;
    return both({ kind: 'response', index, exchange, headers, cors, requestOrigin: requestOrigin(), preflightMissing });
  }
  return both({ kind: 'missing', preflightMissing: cors && facts.requirement.needed && !preflightSeen });
}
