import { parseContentType } from '../model/headers';
import type { StreamRecord } from '../model/record';
import { chromiumAccessCheck, firefoxAccessCheck } from './access-check';
import {
  CHROMIUM_NET_FAILED,
  chromiumCharsetMessage,
  chromiumCorsMessage,
  chromiumMimeMessage,
  chromiumStatusMessage,
  firefoxConnectionFailure,
  firefoxCorsMessage,
} from './messages';
import { chromiumPreflightCheck, firefoxPreflightCheck, type ChromiumPreflightFailure, type FirefoxPreflightFailure } from './preflight-check';
import type { ChromiumCorsError, FirefoxReason } from './vocabulary';
import { RecordFacts } from './facts';
import { walkAttempt, type AttemptWalk, type BrowserChecks } from './walk';

/**
 * What each browser does with a recorded stream, in its own words.
 * `open` the page receives the stream; `blocked` refused on CORS grounds; `failed` no CORS block
 * but no working stream; `reconnecting` an EventSource whose response keeps ending.
 */

export type Outcome = 'open' | 'blocked' | 'failed' | 'reconnecting';
export type Browser = 'chromium' | 'firefox';

export type VerdictCause =
  | 'ok'
  | 'cors'
  | 'preflight'
  | 'status'
  | 'no-content'
  | 'mime'
  | 'charset'
  | 'sniffed'
  | 'pending'
  | 'network-error'
  | 'server-ended'
  | 'not-captured';

interface VerdictBase {
  readonly outcome: Outcome;
  readonly cause: VerdictCause;
  /** The main console line the browser prints, or null when it prints none. */
  readonly message: string | null;
  /** Every console line the browser prints for this stream, in order. */
  readonly console: readonly string[];
  /** Index in `record.exchanges` of the exchange that decided the verdict. */
  readonly exchangeIndex: number | null;
  readonly attempt: number;
  /** A preflight was required but is not in the record (cached, or not captured): assumed passed. */
  readonly preflightAssumed: boolean;
  /** The Origin the browser sent on the deciding exchange: the page's, or `null` after a tainting redirect. */
  readonly requestOrigin: string | null;
}

export interface ChromiumVerdict extends VerdictBase {
  readonly browser: 'chromium';
  readonly corsError: ChromiumCorsError | null;
  readonly failedParameter: string | null;
}

export interface FirefoxVerdict extends VerdictBase {
  readonly browser: 'firefox';
  readonly reason: FirefoxReason | null;
  /** The value Firefox puts in its message: the ACAO value, header name, token or status code. */
  readonly parameter: string | null;
}

export interface Verdicts {
  readonly chromium: ChromiumVerdict;
  readonly firefox: FirefoxVerdict;
}

type ChromiumFailure = ChromiumPreflightFailure;
type FirefoxFailure = FirefoxPreflightFailure;

const chromiumChecks: BrowserChecks<ChromiumFailure> = {
  access: (headers, origin, credentials) => chromiumAccessCheck(headers, origin, credentials),
  preflight: chromiumPreflightCheck,
  redirectWithCredentials: (location) => ({ corsError: 'RedirectContainsCredentials', failedParameter: location }),
};

const firefoxChecks: BrowserChecks<FirefoxFailure> = {
  access: firefoxAccessCheck,
  preflight: firefoxPreflightCheck,
  // Firefox strips credentials from the URL instead of failing.
  redirectWithCredentials: () => null,
};

// Most verdicts print nothing: they share one empty, frozen list.
const NO_LINES: readonly string[] = Object.freeze([]);

/** How the client itself (not CORS) treats a response that passed the CORS check. */
export interface ClientResult {
  outcome: Outcome;
  cause: VerdictCause;
  mime: string | null;
  charset: string | null;
}

const result = (outcome: Outcome, cause: VerdictCause, mime: string | null = null, charset: string | null = null): ClientResult => ({
  outcome,
  cause,
  mime,
  charset,
});

/**
 * Why an EventSource fails the connection on a response that passed CORS (HTML standard: status
 * exactly 200 and MIME type text/event-stream; Chromium alone also refuses a non-UTF-8 charset),
 * or null when it accepts it. The CLI's emulation stops on the same answer.
 */
export function eventSourceRefusal(status: number, contentType: string | null, browser: Browser): ClientResult | null {
  if (status !== 200) return result('failed', status === 204 ? 'no-content' : 'status');
  if (contentType === null) return result('failed', 'sniffed', 'text/plain');
  const type = parseContentType(contentType);
  if (type === null || type.essence !== 'text/event-stream') return result('failed', 'mime', type?.essence ?? contentType);
  const charset = type.params.get('charset');
  // Chromium alone refuses a declared charset other than UTF-8; Firefox decodes as UTF-8 anyway.
  if (browser === 'chromium' && charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    return result('failed', 'charset', null, charset);
  }
  return null;
}

function clientResult(record: StreamRecord, walk: Extract<AttemptWalk<unknown>, { kind: 'response' }>, browser: Browser): ClientResult {
  const status = walk.exchange.status as number;
  if (record.client.kind === 'fetch') {
    // fetch ignores the MIME type and exposes the status; it never reconnects.
    if (status === 204) return result('failed', 'no-content');
    if (status < 200 || status > 299) return result('failed', 'status');
    return result('open', 'ok');
  }
  const refused = eventSourceRefusal(status, walk.headers.get('content-type'), browser);
  if (refused) return refused;
  // Firefox announces the connection only when the first body bytes arrive (observed): headers
  // alone leave its EventSource in CONNECTING, where Chromium has already fired `open`.
  if (browser === 'firefox' && walk.exchange.bodyBytes === 0 && walk.exchange.bodyEnd === null && !record.events.some((e) => e.attempt === walk.exchange.attempt)) {
    return result('failed', 'pending');
  }
  return result('open', 'ok');
}

interface AttemptVerdict<Failure> {
  walk: AttemptWalk<Failure>;
  client: ClientResult | null;
  attempt: number;
}

/** What the verdict needs of the attempts: the last one, how many there were, and any missing preflight. */
interface Attempts<Failure> {
  readonly last: AttemptVerdict<Failure> | null;
  readonly count: number;
  readonly preflightAssumed: boolean;
}

const preflightMissing = (walk: AttemptWalk<unknown>) => (walk.kind === 'missing' || walk.kind === 'response') && walk.preflightMissing;

/**
 * The attempts that decide the verdict, walked once for both browsers. The last attempt decides
 * the outcome and earlier ones only count; the one thing an earlier attempt can add is a missing
 * preflight, which only a request that needs one can have. So a reconnecting EventSource with
 * hundreds of attempts costs one walk, not hundreds.
 */
function evaluateAttempts(facts: RecordFacts): { chromium: Attempts<ChromiumFailure>; firefox: Attempts<FirefoxFailure> } {
  const record = facts.record;
  const all = facts.attempts;
  let chromiumAssumed = false;
  let firefoxAssumed = false;
  let chromium: AttemptVerdict<ChromiumFailure> | null = null;
  let firefox: AttemptVerdict<FirefoxFailure> | null = null;
  for (let i = facts.requirement.needed ? 0 : Math.max(0, all.length - 1); i < all.length; i++) {
    const indexes = all[i] as readonly number[];
    // Indexed, not destructured: destructuring would run the array iterator on this hot path.
    const pair = walkAttempt(facts, indexes, chromiumChecks, firefoxChecks);
    const c = pair[0];
    const f = pair[1];
    chromiumAssumed ||= preflightMissing(c);
    firefoxAssumed ||= preflightMissing(f);
    if (i < all.length - 1) continue;
    const attempt = record.exchanges[indexes[0] as number]?.attempt ?? 1;
    chromium = { walk: c, attempt, client: c.kind === 'response' ? clientResult(record, c, 'chromium') : null };
    firefox = { walk: f, attempt, client: f.kind === 'response' ? clientResult(record, f, 'firefox') : null };
  }
  return {
    chromium: { last: chromium, count: all.length, preflightAssumed: chromiumAssumed },
    firefox: { last: firefox, count: all.length, preflightAssumed: firefoxAssumed },
  };
}

interface Summary<Failure> {
  outcome: Outcome;
  cause: VerdictCause;
  last: AttemptVerdict<Failure> | null;
  preflightAssumed: boolean;
}

/** Folds the attempts into the stream's outcome: the last attempt decides, reconnects colour it. */
function summarize<Failure>(record: StreamRecord, attempts: Attempts<Failure>, browser: Browser): Summary<Failure> {
  const { last, preflightAssumed } = attempts;
  const isEventSource = record.client.kind === 'eventsource';
  const several = attempts.count > 1;
  if (!last) return { outcome: 'failed', cause: 'not-captured', last, preflightAssumed };
  const walk = last.walk;
  switch (walk.kind) {
    case 'blocked':
      return { outcome: 'blocked', cause: walk.preflight ? 'preflight' : 'cors', last, preflightAssumed };
    case 'network':
      // Chromium's EventSource re-establishes the connection after a network error; Firefox's
      // fails it (observed: refused, reset, empty response, TLS failure, too many redirects);
      // fetch rejects.
      return { outcome: isEventSource && browser === 'chromium' ? 'reconnecting' : 'failed', cause: 'network-error', last, preflightAssumed };
    case 'pending':
      return { outcome: isEventSource && several ? 'reconnecting' : 'failed', cause: 'pending', last, preflightAssumed };
    case 'missing':
      return { outcome: 'failed', cause: 'not-captured', last, preflightAssumed };
    case 'response': {
      const client = last.client as ClientResult;
      if (client.outcome !== 'open') return { outcome: client.outcome, cause: client.cause, last, preflightAssumed };
      const ended = walk.exchange.bodyEnd === 'server' || walk.exchange.bodyEnd === 'network';
      if (isEventSource && (several || ended)) return { outcome: 'reconnecting', cause: 'server-ended', last, preflightAssumed };
      return { outcome: 'open', cause: 'ok', last, preflightAssumed };
    }
  }
}

function decidingIndex(walk: AttemptWalk<unknown> | undefined): number | null {
  return walk && 'index' in walk ? walk.index : null;
}

function decidingOrigin(walk: AttemptWalk<unknown> | undefined): string | null {
  return walk && 'requestOrigin' in walk ? walk.requestOrigin : null;
}

export function chromiumVerdict(record: StreamRecord, facts: RecordFacts = new RecordFacts(record)): ChromiumVerdict {
  return verdicts(record, facts).chromium;
}

function buildChromiumVerdict(record: StreamRecord, summary: Summary<ChromiumFailure>): ChromiumVerdict {
  const walk = summary.last?.walk;
  const console: string[] = [];
  let corsError: ChromiumCorsError | null = null;
  let failedParameter: string | null = null;
  if (walk?.kind === 'blocked') {
    corsError = walk.failure.corsError;
    failedParameter = walk.failure.failedParameter;
    console.push(
      chromiumCorsMessage({
        corsError,
        failedParameter,
        initiator: record.client.kind,
        initialUrl: record.url,
        lastUrl: walk.url,
        pageOrigin: record.pageOrigin,
      }),
      CHROMIUM_NET_FAILED,
    );
  } else if (walk?.kind === 'network' && walk.error?.startsWith('net::')) {
    console.push(`Failed to load resource: ${walk.error}`);
  } else if (walk?.kind === 'response') {
    const client = summary.last?.client;
    const status = walk.exchange.status as number;
    if (status >= 400) console.push(chromiumStatusMessage(status, walk.exchange.statusText));
    else if (client?.cause === 'mime' || client?.cause === 'sniffed') console.push(chromiumMimeMessage(client.mime ?? ''));
    else if (client?.cause === 'charset') console.push(chromiumCharsetMessage(client.charset ?? ''));
  }
  return {
    browser: 'chromium',
    outcome: summary.outcome,
    cause: summary.cause,
    corsError,
    failedParameter,
    message: console[0] ?? null,
    console: console.length === 0 ? NO_LINES : console,
    exchangeIndex: decidingIndex(walk),
    attempt: summary.last?.attempt ?? 1,
    preflightAssumed: summary.preflightAssumed,
    requestOrigin: decidingOrigin(walk),
  };
}

export function firefoxVerdict(record: StreamRecord, facts: RecordFacts = new RecordFacts(record)): FirefoxVerdict {
  return verdicts(record, facts).firefox;
}

function buildFirefoxVerdict(record: StreamRecord, summary: Summary<FirefoxFailure>): FirefoxVerdict {
  const walk = summary.last?.walk;
  const console: string[] = [];
  let reason: FirefoxReason | null = null;
  let parameter: string | null = null;
  if (walk?.kind === 'blocked') {
    reason = walk.failure.reason;
    parameter = walk.failure.parameter;
    console.push(firefoxCorsMessage(reason, walk.url, walk.failure.parameter));
  } else if (walk?.kind === 'network' && walk.cors) {
    reason = 'CORSDidNotSucceed';
    console.push(firefoxCorsMessage(reason, walk.url, null));
  }
  // Firefox's EventSource says only this for every connection it fails, whatever the cause; one
  // still connecting has not failed yet and has said nothing.
  if (record.client.kind === 'eventsource' && (summary.outcome === 'blocked' || (summary.outcome === 'failed' && summary.cause !== 'pending'))) {
    console.push(firefoxConnectionFailure(record.url));
  }
  return {
    browser: 'firefox',
    outcome: summary.outcome,
    cause: summary.cause,
    reason,
    parameter,
    message: console[0] ?? null,
    console: console.length === 0 ? NO_LINES : console,
    exchangeIndex: decidingIndex(walk),
    attempt: summary.last?.attempt ?? 1,
    preflightAssumed: summary.preflightAssumed,
    requestOrigin: decidingOrigin(walk),
  };
}

export function verdicts(record: StreamRecord, facts: RecordFacts = new RecordFacts(record)): Verdicts {
  const attempts = evaluateAttempts(facts);
  return {
    chromium: buildChromiumVerdict(record, summarize(record, attempts.chromium, 'chromium')),
    firefox: buildFirefoxVerdict(record, summarize(record, attempts.firefox, 'firefox')),
  };
}
