import { headerMapOf, type HeaderLine } from '../model/headers';
import { acceptsEventStream, isEventStreamType, isPreflightRequest } from './stream-markers';

/**
 * The background's webRequest adapter: turns the browser's webRequest events into
 * `WebRequestObservation`s for the requests that matter to SSE Inspector, and nothing else.
 *
 * Which requests matter is only known part-way through a request, so each one is held (bounded)
 * until it declares itself:
 * - at send time, by `Accept: text/event-stream` (EventSource always sends it; fetch clients
 *   usually do), or by being a CORS preflight (OPTIONS with Access-Control-Request-Method);
 * - at response time, by a `text/event-stream` Content-Type (a fetch that did not ask for it).
 * A request that ends without either is forgotten. Once a request matters, everything held for it
 * is emitted in order, then its later events as they come.
 *
 * Browser differences (browser-facts.md section 8): Chromium hides preflights and the headers of
 * CORS-blocked responses unless the listener asks for `extraHeaders`; Firefox has no such option
 * and refuses unknown extraInfoSpec values, so the options are built from what the API offers.
 * EventSource and fetch both arrive as `xmlhttprequest` in Chromium; Chromium's preflights as
 * `other`.
 */

export type WebRequestObservation =
  | {
      readonly phase: 'start';
      readonly requestId: string;
      readonly url: string;
      readonly method: string;
      /** webRequest's ResourceType (`xmlhttprequest`, `other`, ...). */
      readonly resourceType: string;
      /** Origin of the document that made the request (Chromium `initiator`, Firefox `originUrl`); null when unknown. */
      readonly initiator: string | null;
      readonly at: number;
    }
  | { readonly phase: 'request-headers'; readonly requestId: string; readonly headers: readonly HeaderLine[]; readonly at: number }
  | {
      readonly phase: 'response-headers';
      readonly requestId: string;
      readonly status: number;
      /** e.g. `HTTP/1.1 200 OK`; empty when the browser did not say. */
      readonly statusLine: string;
      readonly headers: readonly HeaderLine[];
      readonly at: number;
    }
  | { readonly phase: 'redirect'; readonly requestId: string; readonly redirectUrl: string; readonly at: number }
  | { readonly phase: 'completed'; readonly requestId: string; readonly at: number }
  | { readonly phase: 'error'; readonly requestId: string; readonly error: string; readonly at: number };

/** What the adapter hands on: one observation, with where it came from (never from the page). */
export interface WebRequestEvent {
  readonly tabId: number;
  readonly frameId: number;
  readonly observation: WebRequestObservation;
}

export const WEB_REQUEST_BOUNDS = {
  /** Requests held while undecided, across tabs; the oldest is forgotten first. */
  maxUndecided: 2048,
  /** Requests that matter and are still running, across tabs. */
  maxTracked: 4096,
  maxHeaders: 128,
  maxUrlLength: 8192,
  maxHeaderNameLength: 256,
  maxHeaderValueLength: 8192,
  maxTextLength: 256,
} as const;

// ---- The slice of the webRequest API this adapter uses (structurally compatible with both browsers).

export interface RawHeader {
  readonly name: string;
  readonly value?: string;
  readonly binaryValue?: ArrayLike<number>;
}

export interface RawDetails {
  readonly requestId: string;
  readonly url: string;
  readonly method: string;
  readonly tabId: number;
  readonly frameId: number;
  readonly type: string;
  readonly timeStamp: number;
  readonly initiator?: string;
  readonly originUrl?: string;
  readonly requestHeaders?: readonly RawHeader[];
  readonly responseHeaders?: readonly RawHeader[];
  readonly statusCode?: number;
  readonly statusLine?: string;
  readonly redirectUrl?: string;
  readonly error?: string;
}

export interface RawEvent {
  addListener(callback: (details: RawDetails) => void, filter: { urls: string[]; types?: string[] }, extraInfoSpec?: string[]): void;
}

export interface WebRequestApi {
  readonly onBeforeRequest: RawEvent;
  readonly onSendHeaders: RawEvent;
  readonly onHeadersReceived: RawEvent;
  readonly onBeforeRedirect: RawEvent;
  readonly onCompleted: RawEvent;
  readonly onErrorOccurred: RawEvent;
  /** Chromium only: present when `extraHeaders` is a valid extraInfoSpec value. */
  readonly OnSendHeadersOptions?: { readonly EXTRA_HEADERS?: string };
}

// Types a stream, its preflight or a redirect hop can have. `main_frame` is watched for navigations.
const TYPES = ['xmlhttprequest', 'other', 'main_frame'];

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

function headerLines(raw: readonly RawHeader[] | undefined): HeaderLine[] {
  const lines: HeaderLine[] = [];
  if (!raw) return lines;
  const b = WEB_REQUEST_BOUNDS;
  for (const header of raw) {
    if (lines.length === b.maxHeaders) break;
    // Header values that are not valid UTF-8 come as bytes; keep them as Latin-1 text.
    const value = header.value ?? (header.binaryValue ? String.fromCharCode(...Array.from(header.binaryValue).slice(0, b.maxHeaderValueLength)) : '');
    lines.push([clip(header.name, b.maxHeaderNameLength), clip(value, b.maxHeaderValueLength)]);
  }
  return lines;
}

function isEventStreamResponse(lines: readonly HeaderLine[]): boolean {
  return isEventStreamType(headerMapOf(lines).get('content-type'));
}

function originOfInitiator(details: RawDetails): string | null {
  if (details.initiator !== undefined) return clip(details.initiator, WEB_REQUEST_BOUNDS.maxUrlLength);
  if (details.originUrl === undefined) return null;
  try {
    return new URL(details.originUrl).origin;
  } catch {
    return null;
  }
}

interface Pending {
  readonly tabId: number;
  readonly frameId: number;
  readonly held: WebRequestObservation[];
}

export interface WebRequestTap {
  /** Requests currently held or tracked (for tests and diagnostics). */
  readonly size: number;
  /** Requests forgotten because a bound was reached (a running total). */
  readonly overflowed: number;
}

/**
 * Registers the listeners. `emit` receives observations of requests that matter; `navigated`
 * fires when a tab's top-level document starts loading (for "clear on navigation").
 */
export function tapWebRequest(api: WebRequestApi, emit: (event: WebRequestEvent) => void, navigated: (tabId: number, url: string, at: number) => void): WebRequestTap {
  const undecided = new Map<string, Pending>();
  const tracked = new Map<string, Pending>();
  const filter = { urls: ['<all_urls>'], types: TYPES };
  const extra = api.OnSendHeadersOptions?.EXTRA_HEADERS;
  const spec = (kind: 'requestHeaders' | 'responseHeaders'): string[] => (extra ? [kind, extra] : [kind]);
  const tap = { size: 0, overflowed: 0 };
  const b = WEB_REQUEST_BOUNDS;

  const resize = (): void => {
    tap.size = undecided.size + tracked.size;
  };

  const send = (entry: Pending, observation: WebRequestObservation): void => {
    emit({ tabId: entry.tabId, frameId: entry.frameId, observation });
  };

  /** The request matters: emit what was held and follow it from now on. */
  const decide = (requestId: string, entry: Pending): void => {
    undecided.delete(requestId);
    if (tracked.size >= b.maxTracked) {
      tap.overflowed++;
      return;
    }
    tracked.set(requestId, entry);
    for (const observation of entry.held) send(entry, observation);
    entry.held.length = 0;
  };

  const record = (requestId: string, observation: WebRequestObservation): void => {
    const live = tracked.get(requestId);
    if (live) send(live, observation);
    else undecided.get(requestId)?.held.push(observation);
  };

  const finish = (requestId: string): void => {
    undecided.delete(requestId);
    tracked.delete(requestId);
    resize();
  };

  api.onBeforeRequest.addListener(
    (details) => {
      if (details.tabId < 0) return; // the extension's own and other background requests
      if (details.type === 'main_frame') {
        navigated(details.tabId, clip(details.url, b.maxUrlLength), details.timeStamp);
        return;
      }
      const observation: WebRequestObservation = {
        phase: 'start',
        requestId: details.requestId,
        url: clip(details.url, b.maxUrlLength),
        method: clip(details.method, b.maxTextLength),
        resourceType: clip(details.type, b.maxTextLength),
        initiator: originOfInitiator(details),
        at: details.timeStamp,
      };
      // A redirect hop of a tracked request comes back here with the same requestId.
      if (tracked.has(details.requestId) || undecided.has(details.requestId)) {
        record(details.requestId, observation);
        return;
      }
      if (undecided.size >= b.maxUndecided) {
        const oldest = undecided.keys().next().value;
        if (oldest !== undefined) undecided.delete(oldest);
        tap.overflowed++;
      }
      undecided.set(details.requestId, { tabId: details.tabId, frameId: details.frameId, held: [observation] });
      resize();
    },
    filter,
  );

  api.onSendHeaders.addListener(
    (details) => {
      const headers = headerLines(details.requestHeaders);
      record(details.requestId, { phase: 'request-headers', requestId: details.requestId, headers, at: details.timeStamp });
      const entry = undecided.get(details.requestId);
      if (entry && (acceptsEventStream(headers) || isPreflightRequest(details.method, headers))) decide(details.requestId, entry);
      resize();
    },
    filter,
    spec('requestHeaders'),
  );

  api.onHeadersReceived.addListener(
    (details) => {
      const headers = headerLines(details.responseHeaders);
      record(details.requestId, {
        phase: 'response-headers',
        requestId: details.requestId,
        status: details.statusCode ?? 0,
        statusLine: clip(details.statusLine ?? '', b.maxTextLength),
        headers,
        at: details.timeStamp,
      });
      const entry = undecided.get(details.requestId);
      if (entry && isEventStreamResponse(headers)) decide(details.requestId, entry);
      resize();
    },
    filter,
    spec('responseHeaders'),
  );

  api.onBeforeRedirect.addListener(
    (details) => record(details.requestId, { phase: 'redirect', requestId: details.requestId, redirectUrl: clip(details.redirectUrl ?? '', b.maxUrlLength), at: details.timeStamp }),
    filter,
  );

  api.onCompleted.addListener(
    (details) => {
      record(details.requestId, { phase: 'completed', requestId: details.requestId, at: details.timeStamp });
      finish(details.requestId);
    },
    filter,
  );

  // No extraInfoSpec: Firefox refuses any on this event.
  api.onErrorOccurred.addListener(
    (details) => {
      record(details.requestId, { phase: 'error', requestId: details.requestId, error: clip(details.error ?? 'unknown error', b.maxTextLength), at: details.timeStamp });
      finish(details.requestId);
    },
    filter,
  );

  return tap;
}
