import { verdicts as computeVerdicts } from '../cors/verdict';
import type { ServerPlan } from '../fixes/plan';
import { plannedResponse, withPlannedHeaders } from '../fixes/planned-response';
import type { HeaderLine } from '../model/headers';
import type { ClientKind, Exchange, ExchangeKind, StreamRecord } from '../model/record';
import { headerText, parseHeaderLine } from './header-text';
import { needsPreflight, requestOriginsOf, scenarioOf, streamUrlProblem } from './scenario';

/**
 * The what-if editor's state: a captured stream turned into one editable connection attempt
 * (preflight, redirect hops, final response), everything kept as the text the user typed. The
 * reducer is pure and total: no edit throws, and malformed input stays in the text, marked when
 * the scenario is built (scenario.ts), so nothing the user typed is ever lost.
 */

/** Which exchange of the attempt: the DOM contract's `data-exchange` values. */
export type ExchangeSlot = 'preflight' | 'final' | `redirect-${number}`;

/**
 * What the server does after the headers. A capture shows it only for streams the browser let
 * through; for a blocked or failed one the browser cut the response, and the server is assumed to
 * stream (a fix that lets the page in is then judged on a working stream).
 */
export type BodyBehaviour =
  | 'streams' // sends events and keeps the response open
  | 'silent' // sends nothing after the headers (Firefox then stays CONNECTING)
  | 'ends' // sends, then ends the response (EventSource reconnects)
  | 'breaks'; // sends, then the connection breaks

export interface ExchangeDraft {
  readonly slot: ExchangeSlot;
  readonly kind: ExchangeKind;
  /** The captured exchange this draft started from; null when the capture has none (the browser never sent it). */
  readonly captured: Exchange | null;
  /** The status as typed: three digits, or empty for "no response" (a network error). */
  readonly status: string;
  /** Response header lines as typed. */
  readonly headers: string;
}

export interface WhatIfState {
  /** The captured stream the scenario started from; Reset returns to it. */
  readonly captured: StreamRecord;
  /** The captured attempt the drafts come from (the last one: it decides the verdict). */
  readonly attempt: number;
  readonly pageOrigin: string;
  /** The stream URL the page opens, as typed: "Try this fix" moves it when the fix is to stop redirecting. */
  readonly url: string;
  readonly client: ClientKind;
  /** The fetch method as typed (EventSource always GETs; the text is kept for switching back). */
  readonly method: string;
  readonly credentials: boolean;
  /** Request headers the page's code sets, as typed (fetch only; EventSource cannot set any). */
  readonly requestHeaders: string;
  readonly exchanges: readonly ExchangeDraft[];
  readonly body: BodyBehaviour;
  /** Rule ids whose fix was applied, in order, for the export. */
  readonly fixesApplied: readonly string[];
}

export type WhatIfAction =
  | { readonly type: 'set-page-origin'; readonly value: string }
  | { readonly type: 'set-url'; readonly value: string }
  | { readonly type: 'set-method'; readonly value: string }
  | { readonly type: 'set-client'; readonly client: ClientKind }
  | { readonly type: 'set-credentials'; readonly credentials: boolean }
  | { readonly type: 'set-request-headers'; readonly text: string }
  | { readonly type: 'set-status'; readonly slot: ExchangeSlot; readonly text: string }
  | { readonly type: 'set-response-headers'; readonly slot: ExchangeSlot; readonly text: string }
  | { readonly type: 'set-body'; readonly body: BodyBehaviour }
  /** Puts a preflight in the attempt when the request needs one the capture does not have. */
  | { readonly type: 'add-preflight' }
  /** Puts the fix's statuses and header lines into every exchange of the attempt (lib/fixes/planned-response). */
  | { readonly type: 'apply-fix'; readonly ruleId: string; readonly plan: ServerPlan }
  /** Back to the capture; a newer capture of the same stream may be passed. */
  | { readonly type: 'reset'; readonly captured?: StreamRecord };

/** Exchange indexes of the attempt that decides: the last one. */
function lastAttempt(record: StreamRecord): { attempt: number; indexes: number[] } {
  let attempt = 1;
  for (const exchange of record.exchanges) attempt = Math.max(attempt, exchange.attempt);
  const indexes: number[] = [];
  record.exchanges.forEach((exchange, index) => {
    if (exchange.attempt === attempt) indexes.push(index);
  });
  return { attempt, indexes };
}

function bodyOf(record: StreamRecord, final: Exchange | null): BodyBehaviour {
  const responses = record.exchanges.filter((e) => e.kind === 'response' && e.status !== null);
  // An earlier attempt that ended cleanly shows what the server does (the last may still be open).
  if (responses.some((e) => e.bodyEnd === 'server' && e.error === null)) return 'ends';
  if (!final || final.status === null) return 'streams';
  const { chromium, firefox } = computeVerdicts(record);
  const cut = (outcome: string) => outcome === 'blocked' || outcome === 'failed';
  // The browser refused the response itself (CORS, status, MIME): it cut the body, the server did not.
  if (cut(chromium.outcome) && (cut(firefox.outcome) || firefox.cause !== 'pending')) return 'streams';
  if (final.bodyEnd === 'network') return 'breaks';
  if (final.bodyBytes === 0 && final.bodyEnd === null && !record.events.some((e) => e.attempt === final.attempt)) return 'silent';
  return 'streams';
}

export const UNSEEN_FINAL_HEADERS = 'Content-Type: text/event-stream\nCache-Control: no-cache';

// The preflight's lines that a server's actual response carries too (Allow-Methods, -Headers and
// Max-Age are for the preflight alone).
const ACTUAL_RESPONSE_CORS = new Set(['access-control-allow-origin', 'access-control-allow-credentials', 'access-control-expose-headers', 'vary']);

/**
 * The editor's assumption for a final response the browser never asked for: a stream, with the
 * CORS lines the preflight answered (servers mostly send the same on both, one middleware).
 */
export function assumedFinalHeaders(preflight: Exchange | null): string {
  const cors = (preflight?.responseHeaders ?? []).filter(([name]) => ACTUAL_RESPONSE_CORS.has(name.toLowerCase()));
  return cors.length === 0 ? UNSEEN_FINAL_HEADERS : `${UNSEEN_FINAL_HEADERS}\n${headerText(cors)}`;
}

const draftOf = (slot: ExchangeSlot, exchange: Exchange): ExchangeDraft => ({
  slot,
  kind: exchange.kind,
  captured: exchange,
  status: exchange.status === null ? '' : String(exchange.status),
  headers: headerText(exchange.responseHeaders),
});

/** The editor's starting point: the stream as captured, its last attempt made editable. */
export function whatIfFrom(record: StreamRecord): WhatIfState {
  const { attempt, indexes } = lastAttempt(record);
  const exchanges = indexes.map((index) => record.exchanges[index] as Exchange);
  // A fetch retried by the page is rare, but a preflight may belong to an earlier attempt only.
  const preflight = exchanges.findLast((e) => e.kind === 'preflight') ?? record.exchanges.findLast((e) => e.kind === 'preflight') ?? null;
  const redirects = exchanges.filter((e) => e.kind === 'redirect');
  const final = exchanges.findLast((e) => e.kind === 'response') ?? null;
  const drafts: ExchangeDraft[] = [];
  if (preflight) drafts.push(draftOf('preflight', preflight));
  redirects.forEach((hop, i) => drafts.push(draftOf(`redirect-${i + 1}`, hop)));
  // A request refused at its preflight (or stopped at a hop) was never answered: like a cut body,
  // its answer is assumed to be a stream, the only part of it the editor cannot guess being CORS.
  drafts.push(final ? draftOf('final', final) : { slot: 'final', kind: 'response', captured: null, status: '200', headers: assumedFinalHeaders(redirects.length > 0 ? null : preflight) });
  return {
    captured: record,
    attempt,
    pageOrigin: record.pageOrigin,
    url: record.url,
    client: record.client.kind,
    method: record.client.method,
    credentials: record.client.credentials === 'include',
    requestHeaders: headerText(record.client.headers),
    exchanges: drafts,
    body: bodyOf(record, final),
    fixesApplied: [],
  };
}

function updateDraft(state: WhatIfState, slot: ExchangeSlot, change: Partial<Pick<ExchangeDraft, 'status' | 'headers'>>): WhatIfState {
  const index = state.exchanges.findIndex((draft) => draft.slot === slot);
  // An action for an exchange the scenario does not have (a stale UI) changes nothing.
  if (index < 0) return state;
  const exchanges = [...state.exchanges];
  exchanges[index] = { ...(exchanges[index] as ExchangeDraft), ...change };
  return { ...state, exchanges };
}

const EMPTY_PREFLIGHT: ExchangeDraft = { slot: 'preflight', kind: 'preflight', captured: null, status: '204', headers: '' };

function withPreflight(state: WhatIfState, draft: ExchangeDraft = EMPTY_PREFLIGHT): WhatIfState {
  if (state.exchanges.some((d) => d.slot === 'preflight')) return state;
  return { ...state, exchanges: [draft, ...state.exchanges] };
}

const NEWLINE = /\r\n|\n|\r/;

/** The fix's lines in place of the ones it decides; rows that are not header lines (malformed) stay where they are. */
function textWithPlan(text: string, planned: ReturnType<typeof plannedResponse>): string {
  const rows = text === '' ? [] : text.split(NEWLINE);
  const merged = withPlannedHeaders<string>(rows, planned, parseHeaderLine, ([name, value]: HeaderLine) => `${name}: ${value}`);
  return merged.join('\n');
}

/**
 * The page pointed at the plan's endpoint, when the plan serves the stream from another URL (the
 * target of a redirect that made the browser send `Origin: null`, or the https URL of a mixed
 * content stream): the request goes there directly, so the redirect hops of the old URL go.
 */
function movedTo(state: WhatIfState, plan: ServerPlan): WhatIfState {
  if (plan.streamUrl === scenarioOf(state).record.url || streamUrlProblem(plan.streamUrl) !== null) return state;
  return { ...state, url: plan.streamUrl, exchanges: state.exchanges.filter((draft) => draft.kind !== 'redirect') };
}

function applyFix(state: WhatIfState, ruleId: string, plan: ServerPlan): WhatIfState {
  const moved = movedTo(state, plan);
  // The plan's handler answers every preflight the request needs: a missing one is added first.
  const next = needsPreflight(moved) ? withPreflight(moved) : moved;
  const origins = requestOriginsOf(next);
  const exchanges = next.exchanges.map((draft, i) => {
    const planned = plannedResponse(plan, { kind: draft.kind, requestOrigin: origins[i] ?? null });
    return { ...draft, status: planned.status === null ? draft.status : String(planned.status), headers: textWithPlan(draft.headers, planned) };
  });
  // The plan's handler keeps the stream open and writes to it (events, heartbeats).
  return { ...next, exchanges, body: 'streams', fixesApplied: [...next.fixesApplied, ruleId] };
}

export function whatIfReducer(state: WhatIfState, action: WhatIfAction): WhatIfState {
  switch (action.type) {
    case 'set-page-origin':
      return { ...state, pageOrigin: action.value };
    case 'set-url':
      return { ...state, url: action.value };
    case 'set-method':
      return { ...state, method: action.value };
    case 'set-client':
      return { ...state, client: action.client };
    case 'set-credentials':
      return { ...state, credentials: action.credentials };
    case 'set-request-headers':
      return { ...state, requestHeaders: action.text };
    case 'set-status':
      return updateDraft(state, action.slot, { status: action.text });
    case 'set-response-headers':
      return updateDraft(state, action.slot, { headers: action.text });
    case 'set-body':
      return { ...state, body: action.body };
    case 'add-preflight':
      return withPreflight(state);
    case 'apply-fix':
      return applyFix(state, action.ruleId, action.plan);
    case 'reset':
      return whatIfFrom(action.captured ?? state.captured);
  }
}
