import type { HeaderList } from './headers';

/**
 * The normalized records every part of SSE Inspector speaks. Capture adapters and the CLI
 * produce them; the engine and rules read them; the UI and exporters render them.
 * Times are milliseconds since the stream was first seen.
 */

export type ClientKind = 'eventsource' | 'fetch';
export type CredentialsMode = 'omit' | 'same-origin' | 'include';

/** What the page asked for: the part of a stream the server cannot change. */
export interface ClientRequest {
  readonly kind: ClientKind;
  readonly credentials: CredentialsMode;
  readonly method: string;
  /** Headers the page's code set (fetch-based clients only; EventSource cannot set any). */
  readonly headers: HeaderList;
}

export type ExchangeKind = 'preflight' | 'redirect' | 'response';

/** How a response body came to an end, as far as it was watched. */
export type BodyEnd =
  | 'server' // the server (or a proxy) ended the response
  | 'network' // the connection broke
  | 'client' // the page closed it (EventSource#close, AbortController)
  | null; // still open when observation stopped, or never started

export interface ExchangeTiming {
  readonly startedAt: number;
  readonly responseAt: number | null;
  readonly firstByteAt: number | null;
  readonly endedAt: number | null;
}

/** One HTTP request/response pair on the way to (or during) a stream. */
export interface Exchange {
  readonly kind: ExchangeKind;
  /** 1 for the first connection, 2 for the first reconnect, and so on. */
  readonly attempt: number;
  readonly method: string;
  readonly url: string;
  /** null when no response arrived (network error). */
  readonly status: number | null;
  readonly statusText: string;
  /** e.g. `HTTP/1.1`, `h2`; null when unknown. */
  readonly httpVersion: string | null;
  readonly requestHeaders: HeaderList;
  readonly responseHeaders: HeaderList;
  readonly timing: ExchangeTiming;
  readonly bodyBytes: number;
  readonly bodyEnd: BodyEnd;
  /** Network error text as the capture source reported it (e.g. `net::ERR_FAILED`). */
  readonly error: string | null;
}

export type ReadyState = 0 | 1 | 2;

export interface ReadyStateTransition {
  readonly at: number;
  readonly state: ReadyState;
  readonly attempt: number;
}

export interface StreamEvent {
  readonly at: number;
  readonly attempt: number;
  readonly type: string;
  readonly data: string;
  readonly id: string | null;
  /** Bytes of the raw event as received. */
  readonly size: number;
}

/** Which hostile Origin a security probe sent (only a non-browser client such as the CLI can). */
export type OriginProbeKind =
  | 'arbitrary' // https://evil.example: reflected without an allowlist?
  | 'null' // sandboxed iframes and tainted redirects send `null`
  | 'prefix' // the trusted origin's host as a prefix: https://app.test.evil.example
  | 'suffix' // the trusted host as a suffix: https://evilapp.test
  | 'unescaped-dot' // a regex dot matched by any character: https://appXtest
  | 'subdomain' // any subdomain of the trusted host
  | 'http-downgrade'; // http:// version of an https trusted origin

export interface OriginProbe {
  readonly kind: OriginProbeKind;
  /** The Origin header sent. */
  readonly origin: string;
  readonly status: number | null;
  readonly allowOrigin: string | null;
  readonly allowCredentials: string | null;
}

export interface StreamRecord {
  readonly id: string;
  /** The URL the page asked for (before redirects). */
  readonly url: string;
  /** Serialized origin of the page that opened the stream. */
  readonly pageOrigin: string;
  readonly client: ClientRequest;
  readonly exchanges: readonly Exchange[];
  readonly readyStates: readonly ReadyStateTransition[];
  readonly events: readonly StreamEvent[];
  /** Events not kept because of the per-stream cap. */
  readonly droppedEvents: number;
  /** `retry:` values the server sent, in order. */
  readonly retryValues: readonly number[];
  /** How long the stream was watched, in ms; null when unknown. */
  readonly observedFor: number | null;
  /** Answers to hostile Origin values (CLI `--probe-security`); empty when not probed. */
  readonly originProbes: readonly OriginProbe[];
}
