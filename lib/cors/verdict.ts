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
  preflightKeepsPageOrigin: false,
};

const firefoxChecks: BrowserChecks<FirefoxFailure> = {
  access: firefoxAccessCheck,
  preflight: firefoxPreflightCheck,
  // Firefox strips credentials from the URL instead of failing.
  redirectWithCredentials: () => null,
  preflightKeepsPageOrigin: true,
};

// Most verdicts print nothing: they share one empty, frozen list.
const NO_LINES: readonly string[] = Object.freeze([]);

/** How the client itself (not CORS) treats a response that passed the CORS check. */
export interface ClientResult {
  readonly outcome: Outcome;
  readonly cause: VerdictCause;
  readonly mime: string | null;
  readonly charset: string | null;
}

const result = (outcome: Outcome, cause: VerdictCause, mime: string | null = null, charset: string | null = null): ClientResult => ({
  outcome,
  cause,
  mime,
  charset,
});

// The answers that carry no MIME type or charset, shared by every stream that gets them.
const OPEN = Object.freeze(result('open', 'ok'));
const NO_CONTENT = Object.freeze(result('failed', 'no-content'));
const BAD_STATUS = Object.freeze(result('failed', 'status'));
const SNIFFED = Object.freeze(result('failed', 'sniffed', 'text/plain'));
const STILL_PENDING = Object.freeze(result('failed', 'pending'));

/**
 * Why an EventSource fails the connection on a response that passed CORS (HTML standard: status
 * exactly 200 and MIME type text/event-stream; Chromium alone also refuses a non-UTF-8 charset),
 * or null when it accepts it. The CLI's emulation stops on the same answer.
 */
export function eventSourceRefusal(status: number, contentType: string | null, browser: Browser): ClientResult | null {
  if (status !== 200) return status === 204 ? NO_CONTENT : BAD_STATUS;
  if (contentType === null) return SNIFFED;
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
    if (status === 204) return NO_CONTENT;
    if (status < 200 || status > 299) return BAD_STATUS;
    return OPEN;
  }
  const refused = eventSourceRefusal(status, walk.headers.get('content-type'), browser);
  if (refused) return refused;
  // Firefox announces the connection only when the first body bytes arrive (observed): headers
  // alone leave its EventSource in CONNECTING, where Chromium has already fired `open`.
  if (browser === 'firefox' && walk.exchange.bodyBytes === 0 && walk.exchange.bodyEnd === null && !record.events.some((e) => e.attempt === walk.exchange.attempt)) {
    return STILL_PENDING;
  }
  return OPEN;
}

/** What one browser made of the attempts: where the last one's walk ended, and what its client did with a response. */
interface BrowserAttempts<Failure> {
  /** Null when the record has no exchange at all. */
  readonly walk: AttemptWalk<Failure> | null;
  readonly client: ClientResult | null;
  /** A preflight was required on some attempt but is not in the record. */
  readonly preflightAssumed: boolean;
}

const preflightMissing = (walk: AttemptWalk<unknown>) => (walk.kind === 'missing' || walk.kind === 'response') && walk.preflightMissing;

/**
 * The attempts that decide the verdict, walked once for both browsers. The last attempt decides
 * the outcome and earlier ones only count; the one thing an earlier attempt can add is a missing
 * preflight, which only a request that needs one can have. So a reconnecting EventSource with
 * hundreds of attempts costs one walk, not hundreds.
 */
function evaluateAttempts(facts: RecordFacts): { chromium: BrowserAttempts<ChromiumFailure>; firefox: BrowserAttempts<FirefoxFailure>; attempt: number; count: number } {
  const record = facts.record;
  const all = facts.attempts;
  let chromiumAssumed = false;
  let firefoxAssumed = false;
  let chromium: AttemptWalk<ChromiumFailure> | null = null;
  let firefox: AttemptWalk<FirefoxFailure> | null = null;
  let attempt = 1;
  for (let i = facts.requirement.needed ? 0 : Math.max(0, all.length - 1); i < all.length; i++) {
    const indexes = all[i] as readonly number[];
    // Indexed, not destructured: destructuring would run the array iterator on this hot path.
    const pair = walkAttempt(facts, indexes, chromiumChecks, firefoxChecks);
    chromium = pair[0];
    firefox = pair[1];
    chromiumAssumed ||= preflightMissing(chromium);
    firefoxAssumed ||= preflightMissing(firefox);
    attempt = record.exchanges[indexes[0] as number]?.attempt ?? 1;
  }
  return {
    chromium: { walk: chromium, client: chromium?.kind === 'response' ? clientResult(record, chromium, 'chromium') : null, preflightAssumed: chromiumAssumed },
    firefox: { walk: firefox, client: firefox?.kind === 'response' ? clientResult(record, firefox, 'firefox') : null, preflightAssumed: firefoxAssumed },
    attempt,
    count: all.length,
  };
}

/** A stream's outcome and its cause. */
interface Decision {
  readonly outcome: Outcome;
  readonly cause: VerdictCause;
}

// Decisions without a client result are one of these few pairs: shared, not built per stream.
const decision = (outcome: Outcome, cause: VerdictCause): Decision => Object.freeze({ outcome, cause });
const NOT_CAPTURED = decision('failed', 'not-captured');
const BLOCKED_CORS = decision('blocked', 'cors');
const BLOCKED_PREFLIGHT = decision('blocked', 'preflight');
const NETWORK_RECONNECTING = decision('reconnecting', 'network-error');
const NETWORK_FAILED = decision('failed', 'network-error');
const PENDING_RECONNECTING = decision('reconnecting', 'pending');
const PENDING_FAILED = decision('failed', 'pending');
const SERVER_ENDED = decision('reconnecting', 'server-ended');

/** Folds the attempts into the stream's outcome: the last attempt decides, reconnects colour it. */
function summarize(record: StreamRecord, attempts: BrowserAttempts<unknown>, count: number, browser: Browser): Decision {
  const walk = attempts.walk;
  const isEventSource = record.client.kind === 'eventsource';
  const several = count > 1;
  if (!walk) return NOT_CAPTURED;
  switch (walk.kind) {
    case 'blocked':
      return walk.preflight ? BLOCKED_PREFLIGHT : BLOCKED_CORS;
    case 'network':
      // Chromium's EventSource re-establishes the connection after a network error; Firefox's
      // fails it (observed: refused, reset, empty response, TLS failure, too many redirects);
      // fetch rejects.
      return isEventSource && browser === 'chromium' ? NETWORK_RECONNECTING : NETWORK_FAILED;
    case 'pending':
      return isEventSource && several ? PENDING_RECONNECTING : PENDING_FAILED;
    case 'missing':
      return NOT_CAPTURED;
    case 'response': {
      // A client result with outcome `open` is the shared OPEN, whose cause is `ok`.
      const client = attempts.client as ClientResult;
      if (client.outcome !== 'open') return client;
      const ended = walk.exchange.bodyEnd === 'server' || walk.exchange.bodyEnd === 'network';
      if (isEventSource && (several || ended)) return SERVER_ENDED;
      return OPEN;
    }
  }
}

function decidingIndex(walk: AttemptWalk<unknown> | null): number | null {
  return walk && 'index' in walk ? walk.index : null;
}

function decidingOrigin(walk: AttemptWalk<unknown> | null): string | null {
  return walk && 'requestOrigin' in walk ? walk.requestOrigin : null;
}

export function chromiumVerdict(record: StreamRecord, facts: RecordFacts = new RecordFacts(record)): ChromiumVerdict {
  return verdicts(record, facts).chromium;
}

function buildChromiumVerdict(record: StreamRecord, attempts: BrowserAttempts<ChromiumFailure>, decided: Decision, attempt: number): ChromiumVerdict {
  const walk = attempts.walk;
  // Lists sized to their lines: most verdicts print none and share NO_LINES.
  let console: readonly string[] = NO_LINES;
  let corsError: ChromiumCorsError | null = null;
  let failedParameter: string | null = null;
  if (walk?.kind === 'blocked') {
    corsError = walk.failure.corsError;
    failedParameter = walk.failure.failedParameter;
    console = [
      chromiumCorsMessage({
        corsError,
        failedParameter,
        initiator: record.client.kind,
        initialUrl: record.url,
        lastUrl: walk.url,
        pageOrigin: record.pageOrigin,
      }),
      CHROMIUM_NET_FAILED,
    ];
  } else if (walk?.kind === 'network' && walk.error?.startsWith('net::')) {
    console = [`Failed to load resource: ${walk.error}`];
  } else if (walk?.kind === 'response') {
    const client = attempts.client;
    const status = walk.exchange.status as number;
    if (status >= 400) console = [chromiumStatusMessage(status, walk.exchange.statusText)];
    else if (client?.cause === 'mime' || client?.cause === 'sniffed') console = [chromiumMimeMessage(client.mime ?? '')];
    else if (client?.cause === 'charset') console = [chromiumCharsetMessage(client.charset ?? '')];
  }
  return {
    browser: 'chromium',
    outcome: decided.outcome,
    cause: decided.cause,
    corsError,
    failedParameter,
    message: console[0] ?? null,
    console,
    exchangeIndex: decidingIndex(walk),
    attempt,
    preflightAssumed: attempts.preflightAssumed,
    requestOrigin: decidingOrigin(walk),
  };
}

export function firefoxVerdict(record: StreamRecord, facts: RecordFacts = new RecordFacts(record)): FirefoxVerdict {
  return verdicts(record, facts).firefox;
}

function buildFirefoxVerdict(record: StreamRecord, attempts: BrowserAttempts<FirefoxFailure>, decided: Decision, attempt: number): FirefoxVerdict {
  const walk = attempts.walk;
  let corsLine: string | null = null;
  let reason: FirefoxReason | null = null;
  let parameter: string | null = null;
  if (walk?.kind === 'blocked') {
    reason = walk.failure.reason;
    parameter = walk.failure.parameter;
    corsLine = firefoxCorsMessage(reason, walk.url, walk.failure.parameter);
  } else if (walk?.kind === 'network' && walk.cors) {
    reason = 'CORSDidNotSucceed';
    corsLine = firefoxCorsMessage(reason, walk.url, null);
  }
  // Firefox's EventSource says only this for every connection it fails, whatever the cause; one
  // still connecting has not failed yet and has said nothing.
  const failureLine =
    record.client.kind === 'eventsource' && (decided.outcome === 'blocked' || (decided.outcome === 'failed' && decided.cause !== 'pending'))
      ? firefoxConnectionFailure(record.url)
      : null;
  // Lists sized to their lines: most verdicts print none and share NO_LINES.
  let console: readonly string[] = NO_LINES;
  if (corsLine !== null) console = failureLine === null ? [corsLine] : [corsLine, failureLine];
  else if (failureLine !== null) console = [failureLine];
  return {
    browser: 'firefox',
    outcome: decided.outcome,
    cause: decided.cause,
    reason,
    parameter,
    message: console[0] ?? null,
    console,
    exchangeIndex: decidingIndex(walk),
    attempt,
    preflightAssumed: attempts.preflightAssumed,
    requestOrigin: decidingOrigin(walk),
  };
}

export function verdicts(record: StreamRecord, facts: RecordFacts = new RecordFacts(record)): Verdicts {
  const { chromium, firefox, attempt, count } = evaluateAttempts(facts);
  return {
    chromium: buildChromiumVerdict(record, chromium, summarize(record, chromium, count, 'chromium'), attempt),
    firefox: buildFirefoxVerdict(record, firefox, summarize(record, firefox, count, 'firefox'), attempt),
  };
}
