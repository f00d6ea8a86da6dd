import { headerMapOf, type HeaderMap } from '../model/headers';
import { isSameOrigin, originOf, parseUrl, resolveLocation, type ParsedUrl } from '../model/origin';
import type { CredentialsMode, Exchange } from '../model/record';
import type { PreflightResponse } from './preflight-check';
import { isRedirectStatus, type RecordFacts } from './facts';
import type { PreflightRequirement } from './request-headers';

/**
 * Follows one connection attempt through its exchanges the way the Fetch standard does:
 * preflight, each redirect hop (CORS-checked while the request is cross-origin, with the
 * origin tainted to `null` after a hop between two foreign origins), then the final response.
 * The path through the exchanges does not depend on the browser, only the checks on the way do,
 * so one walk applies both browsers' checks and ends where each browser stops. One request differs:
 * a preflight after an origin-tainting hop, which Chromium sends with `Origin: null` and Firefox with
 * the page's origin (observed; Firefox follows the Fetch standard, whose preflight is a new request
 * with no redirect history). A preflight whose recorded Origin is not the one a browser sends there
 * is another browser's: that browser's check skips it (the CLI records both, a browser records its own).
 */

export interface BrowserChecks<Failure> {
  access(headers: HeaderMap, origin: string, credentials: CredentialsMode, status: number): Failure | null;
  preflight(response: PreflightResponse, origin: string, credentials: CredentialsMode, requirement: PreflightRequirement): Failure | null;
  redirectWithCredentials(location: string): Failure | null;
  /** The browser sends a preflight with the page's origin even after an origin-tainting hop. */
  readonly preflightKeepsPageOrigin: boolean;
}

/** The Origin a browser sends on a preflight at this point of the walk. */
function preflightOrigin(checks: Pick<BrowserChecks<unknown>, 'preflightKeepsPageOrigin'>, pageOrigin: string, tainted: boolean): string {
  return tainted && !checks.preflightKeepsPageOrigin ? 'null' : pageOrigin;
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

type Check = 'access' | 'preflight';

/** One browser's access check of the exchange at `index`, with the Origin the walk has reached. */
function accessCheck<F>(checks: BrowserChecks<F>, facts: RecordFacts, index: number, origin: string): F | null {
  return checks.access(facts.responseHeaders(index), origin, facts.credentials, facts.record.exchanges[index]?.status as number);
}

/**
 * Walks one attempt for two browsers at once. Each browser stops at its first failed check;
 * where the path itself ends (a network error, the final response) both stop together.
 */
export function walkAttempt<A, B>(facts: RecordFacts, indexes: readonly number[], checksA: BrowserChecks<A>, checksB: BrowserChecks<B>): WalkPair<A, B> {
  const record = facts.record;
  const pageOrigin = record.pageOrigin;
  const firstIndex = indexes[0];
  let cors = !isSameOrigin(firstIndex === undefined ? facts.streamOrigin : facts.exchangeOrigin(firstIndex), pageOrigin);
  let tainted = false;
  // Per browser: a preflight of its own was in the record for the current hop.
  let preflightSeenA = false;
  let preflightSeenB = false;
  let a: AttemptWalk<A> | null = null;
  let b: AttemptWalk<B> | null = null;

  for (const index of indexes) {
    const exchange = record.exchanges[index] as Exchange;
    let check: Check | null = null;
    let next = '';
    if (exchange.kind === 'preflight') {
      // Only a request that needs one is preflighted (never an EventSource): any other OPTIONS in
      // the record belongs to something else.
      if (!cors || !facts.requirement.needed || exchange.status === null) continue;
      check = 'preflight';
    } else if (exchange.status === null) {
      const end: AttemptWalk<never> = exchange.error ? { kind: 'network', index, url: exchange.url, cors, error: exchange.error } : { kind: 'pending', index, url: exchange.url };
      return [a ?? end, b ?? end];
    } else if (facts.isRedirect(index)) {
      // A hop the network layer refused to follow (the 21st redirect, a bad Location) fails
      // before any CORS check sees it.
      const resolved = exchange.error ? null : resolveLocation(facts.responseHeaders(index).get('location') as string, exchange.url);
      if (resolved === null) {
        const end: AttemptWalk<never> = { kind: 'network', index, url: exchange.url, cors, error: exchange.error ?? 'invalid redirect location' };
        return [a ?? end, b ?? end];
      }
      next = resolved;
      // A redirect response of a cross-origin request is CORS-checked before it is followed.
      if (cors) check = 'access';
    } else {
      if (cors) check = 'access';
    }

    const origin = tainted ? 'null' : pageOrigin;
    if (check === 'preflight') {
      const preflight: PreflightResponse = { status: exchange.status as number, headers: facts.responseHeaders(index) };
      // Recorded without an Origin (a hand-written or foreign record): taken as every browser's.
      const sent = headerMapOf(exchange.requestHeaders).get('origin');
      const originA = preflightOrigin(checksA, pageOrigin, tainted);
      const originB = preflightOrigin(checksB, pageOrigin, tainted);
      if (a === null && (sent === null || sent === originA)) {
        preflightSeenA = true;
        const failure = checksA.preflight(preflight, originA, facts.credentials, facts.requirement);
        if (failure) a = { kind: 'blocked', failure, index, url: exchange.url, preflight: true, requestOrigin: originA };
      }
      if (b === null && (sent === null || sent === originB)) {
        preflightSeenB = true;
        const failure = checksB.preflight(preflight, originB, facts.credentials, facts.requirement);
        if (failure) b = { kind: 'blocked', failure, index, url: exchange.url, preflight: true, requestOrigin: originB };
      }
    } else if (check === 'access') {
      if (a === null) {
        const failure = accessCheck(checksA, facts, index, origin);
        if (failure) a = { kind: 'blocked', failure, index, url: exchange.url, preflight: false, requestOrigin: origin };
      }
      if (b === null) {
        const failure = accessCheck(checksB, facts, index, origin);
        if (failure) b = { kind: 'blocked', failure, index, url: exchange.url, preflight: false, requestOrigin: origin };
      }
    }
    if (exchange.kind === 'preflight') {
      if (a !== null && b !== null) break;
      continue;
    }
    if (next !== '') {
      if (a !== null && b !== null) break;
      const nextUrl = parseUrl(next) as ParsedUrl;
      if (cors && (nextUrl.username || nextUrl.password)) {
        if (a === null) {
          const failure = checksA.redirectWithCredentials(next);
          if (failure) a = { kind: 'blocked', failure, index, url: exchange.url, preflight: false, requestOrigin: origin };
        }
        if (b === null) {
          const failure = checksB.redirectWithCredentials(next);
          if (failure) b = { kind: 'blocked', failure, index, url: exchange.url, preflight: false, requestOrigin: origin };
        }
        if (a !== null && b !== null) break;
      }
      // The request to the next URL needs a preflight of its own (browsers and the CLI send one per hop).
      preflightSeenA = false;
      preflightSeenB = false;
      const from = facts.exchangeOrigin(index);
      const to = originOf(next);
      if (!isSameOrigin(from, to) && !isSameOrigin(pageOrigin, from)) tainted = true;
      if (!isSameOrigin(to, pageOrigin)) cors = true;
      continue;
    }
    const needed = cors && facts.requirement.needed;
    const end = (preflightMissing: boolean): AttemptWalk<never> => ({ kind: 'response', index, exchange, headers: facts.responseHeaders(index), cors, requestOrigin: origin, preflightMissing });
    return [a ?? end(needed && !preflightSeenA), b ?? end(needed && !preflightSeenB)];
  }
  const needed = cors && facts.requirement.needed;
  return [a ?? { kind: 'missing', preflightMissing: needed && !preflightSeenA }, b ?? { kind: 'missing', preflightMissing: needed && !preflightSeenB }];
}
