import { reduceHarEntry, type HarEntrySummary } from './har-entry';
import type { WebRequestObservation } from './web-request';

/**
 * Every message that crosses a boundary in the capture pipeline, one discriminated union per hop:
 *
 *   page hook (MAIN world) --MessagePort--> relay (isolated content script)
 *   relay --runtime messaging--> background
 *   background <--port--> DevTools page
 *   DevTools page --> panel
 *
 * The page hook runs in the page's own JavaScript world, so the page can read, replace and forge
 * anything it sends (browser-facts.md section 8). Its messages are therefore parsed here, field by
 * field, with every string and number bounded, before anything else looks at them; the hop after
 * it never lets page data choose a tab, a frame or another page's stream.
 */

/** Bounds the validators enforce; the hook cuts its data to them before sending. */
export const PAGE_HOOK_BOUNDS = {
  maxUrlLength: 8192,
  /** Event data is cut to this many UTF-16 code units; `size` keeps the full length. */
  maxDataLength: 16_384,
  maxEventTypeLength: 256,
  maxEventIdLength: 1024,
  maxMethodLength: 64,
  maxHeaderCount: 64,
  maxHeaderNameLength: 256,
  maxHeaderValueLength: 4096,
  maxContentTypeLength: 1024,
  maxStatusTextLength: 256,
  /** Messages in one batch posted over the channel. */
  maxBatchLength: 512,
  /** Hook-local stream ids count up from 1. */
  maxStreamId: 2 ** 31 - 1,
  maxCount: Number.MAX_SAFE_INTEGER,
} as const;

// ---- Hop 1: page hook -> relay ------------------------------------------------------------------

/** What `credentials` a fetch ran with (Fetch standard RequestCredentials). */
export type FetchCredentials = 'omit' | 'same-origin' | 'include';

/** EventSource.readyState: CONNECTING, OPEN, CLOSED. */
export type ReadyState = 0 | 1 | 2;

/** A request header the page set, as `Headers` iterates it (lower-case name, joined value). */
export type HookHeader = readonly [name: string, value: string];

/** Times are milliseconds since the Unix epoch (performance.timeOrigin + a high-resolution offset). */
export type PageHookMessage =
  | {
      readonly type: 'stream-created';
      readonly kind: 'eventsource';
      readonly streamId: number;
      readonly at: number;
      /** The EventSource's resolved `url`. */
      readonly url: string;
      readonly withCredentials: boolean;
    }
  | {
      readonly type: 'stream-created';
      readonly kind: 'fetch';
      readonly streamId: number;
      /** When the page called fetch(). */
      readonly at: number;
      /** The response URL (after redirects), or the request URL when the response has none. */
      readonly url: string;
      readonly method: string;
      readonly credentials: FetchCredentials;
      readonly requestHeaders: readonly HookHeader[];
    }
  | { readonly type: 'ready-state'; readonly streamId: number; readonly state: ReadyState; readonly at: number }
  | { readonly type: 'open'; readonly streamId: number; readonly at: number }
  /** The EventSource's `error` event; the `ready-state` after it says reconnecting (0) or failed (2). */
  | { readonly type: 'error'; readonly streamId: number; readonly at: number }
  | {
      readonly type: 'message';
      readonly streamId: number;
      /** The event type (`message` unless the server sent `event:`). */
      readonly event: string;
      /** Cut to PAGE_HOOK_BOUNDS.maxDataLength. */
      readonly data: string;
      /** The stream's last event ID as of this event (MessageEvent.lastEventId semantics). */
      readonly lastEventId: string;
      /** Length of the full data in UTF-16 code units (not bytes: counting bytes costs a pass). */
      readonly size: number;
      readonly at: number;
    }
  /** The page called EventSource.close() or cancelled a fetch stream's body. */
  | { readonly type: 'closed-by-page'; readonly streamId: number; readonly at: number }
  | {
      readonly type: 'fetch-response';
      readonly streamId: number;
      readonly at: number;
      readonly status: number;
      readonly statusText: string;
      readonly contentType: string;
      readonly redirected: boolean;
    }
  /** A fetch stream's body ended: the server finished it, or it errored (network, abort). */
  | { readonly type: 'body-end'; readonly streamId: number; readonly at: number; readonly reason: 'complete' | 'error' }
  /** Events of this stream not sent because of the per-stream bound (a running total). */
  | { readonly type: 'dropped'; readonly streamId: number; readonly count: number }
  /** Streams not observed because of the per-page bound (a running total). */
  | { readonly type: 'streams-dropped'; readonly count: number };

export type PageHookMessageType = PageHookMessage['type'];

/** The page hook posts arrays of messages (one structured clone per batch, not per event). */
export type PageHookBatch = readonly PageHookMessage[];

/**
 * Names of the two one-time DOM events of the channel handshake (see page-hook-channel.ts).
 * They are not secret: the handshake is over before any page script runs.
 */
export const CHANNEL_EVENTS = {
  /** MAIN world -> isolated world: "the hook is here, hand me the port". */
  hookReady: 'sse-inspector:hook-ready',
  /** Isolated world -> MAIN world: a MessageEvent whose `ports[0]` is the hook's end. */
  port: 'sse-inspector:port',
} as const;

// ---- Hop 2: relay -> background -------------------------------------------------------------------

/**
 * The background takes tab and frame from `sender`, never from the message. `document` is a
 * random key the relay draws once per document (hook stream ids restart in every document).
 */
export type RelayMessage =
  | { readonly type: 'hook-batch'; readonly document: string; readonly messages: PageHookBatch }
  /** Batches the relay refused (malformed) or could not keep (its buffer was full). */
  | { readonly type: 'hook-rejected'; readonly document: string; readonly rejected: number; readonly overflowed: number };

// ---- Hop 3: background <-> DevTools page and panel ------------------------------------------------

/** The name of the port a DevTools page or panel opens to the background. */
export const CAPTURE_PORT = 'sse-inspector:capture';

/** One thing the background learned about a tab. `seq` counts up per tab from 1. */
export type CaptureObservation =
  | { readonly source: 'web-request'; readonly seq: number; readonly frameId: number; readonly observation: WebRequestObservation }
  | { readonly source: 'page-hook'; readonly seq: number; readonly frameId: number; readonly document: string; readonly message: PageHookMessage }
  /** A HAR entry from devtools.network (already reduced by `reduceHarEntry`). */
  | { readonly source: 'devtools-network'; readonly seq: number; readonly entry: HarEntrySummary }
  | { readonly source: 'relay'; readonly seq: number; readonly frameId: number; readonly document: string; readonly rejected: number; readonly overflowed: number };

/** Observations as the background stores them, before it numbers them. */
export type UnnumberedObservation = CaptureObservation extends infer O ? (O extends CaptureObservation ? Omit<O, 'seq'> : never) : never;

/** Sent by the DevTools page and the panel (tab from `devtools.inspectedWindow.tabId`). */
export type DevtoolsToBackground =
  /** Observations with seq > `since` are sent back now, then live on the same port. */
  | { readonly type: 'subscribe'; readonly tabId: number; readonly since: number }
  | { readonly type: 'har-entries'; readonly tabId: number; readonly entries: readonly HarEntrySummary[] }
  | { readonly type: 'clear'; readonly tabId: number }
  | { readonly type: 'set-preserve-log'; readonly tabId: number; readonly preserve: boolean };

export type BackgroundToDevtools =
  /**
   * Observations after the subscriber's `since`, in order. `firstSeq` above `since + 1` means the
   * log was cleared or trimmed in between: the subscriber starts over from these.
   */
  | { readonly type: 'observations'; readonly tabId: number; readonly firstSeq: number; readonly observations: readonly CaptureObservation[] }
  | { readonly type: 'cleared'; readonly tabId: number; readonly reason: 'cleared' | 'navigated' }
    /** `dropped`: observations over the tab's bounds; `unpersisted`: kept only in memory (storage quota). */
  | { readonly type: 'state'; readonly tabId: number; readonly preserveLog: boolean; readonly dropped: number; readonly unpersisted: number };

// ---- Validation ----------------------------------------------------------------------------------

type Fields = Record<string, unknown>;

/**
 * A plain object with exactly `keys` enumerable keys (own or inherited: a forged prototype or an
 * own `__proto__` key shows up here and fails the count). Arrays and functions are refused.
 */
function exactObject(value: unknown, keys: number): Fields | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  let count = 0;
  for (const key in value) {
    count++;
    if (count > keys || key === '__proto__') return null;
  }
  return count === keys ? (value as Fields) : null;
}

function boundedString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

function integerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Epoch milliseconds: finite, not negative, before the year 2286. */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < 1e13;
}

function isStreamId(value: unknown): value is number {
  return integerIn(value, 1, PAGE_HOOK_BOUNDS.maxStreamId);
}

function isCredentials(value: unknown): value is FetchCredentials {
  return value === 'omit' || value === 'same-origin' || value === 'include';
}

function parseHeaders(value: unknown): HookHeader[] | null {
  if (!Array.isArray(value) || value.length > PAGE_HOOK_BOUNDS.maxHeaderCount) return null;
  const headers: HookHeader[] = [];
  for (const line of value as unknown[]) {
    if (!Array.isArray(line) || line.length !== 2) return null;
    const name: unknown = line[0];
    const text: unknown = line[1];
    if (!boundedString(name, PAGE_HOOK_BOUNDS.maxHeaderNameLength) || name === '') return null;
    if (!boundedString(text, PAGE_HOOK_BOUNDS.maxHeaderValueLength)) return null;
    headers.push([name, text]);
  }
  return headers;
}

/**
 * Returns a fresh, fully checked copy of one page-hook message, or null for anything else. Each
 * field is read once (a getter cannot answer differently later) and the copy has no keys but
 * the known ones, so nothing the page added travels further.
 */
export function parsePageHookMessage(value: unknown): PageHookMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const type: unknown = (value as Fields).type;
  const b = PAGE_HOOK_BOUNDS;
  switch (type) {
    case 'stream-created': {
      const kind: unknown = (value as Fields).kind;
      if (kind === 'eventsource') {
        const o = exactObject(value, 6);
        if (!o) return null;
        const { streamId, at, url, withCredentials } = o;
        if (!isStreamId(streamId) || !isTime(at) || !boundedString(url, b.maxUrlLength) || typeof withCredentials !== 'boolean') return null;
        return { type, kind, streamId, at, url, withCredentials };
      }
      if (kind === 'fetch') {
        const o = exactObject(value, 8);
        if (!o) return null;
        const { streamId, at, url, method, credentials } = o;
        if (!isStreamId(streamId) || !isTime(at) || !boundedString(url, b.maxUrlLength)) return null;
        if (!boundedString(method, b.maxMethodLength) || method === '' || !isCredentials(credentials)) return null;
        const requestHeaders = parseHeaders(o.requestHeaders);
        if (!requestHeaders) return null;
        return { type, kind, streamId, at, url, method, credentials, requestHeaders };
      }
      return null;
    }
    case 'ready-state': {
      const o = exactObject(value, 4);
      if (!o) return null;
      const { streamId, state, at } = o;
      if (!isStreamId(streamId) || !isTime(at) || (state !== 0 && state !== 1 && state !== 2)) return null;
      return { type, streamId, state, at };
    }
    case 'open':
    case 'error':
    case 'closed-by-page': {
      const o = exactObject(value, 3);
      if (!o) return null;
      const { streamId, at } = o;
      if (!isStreamId(streamId) || !isTime(at)) return null;
      return { type, streamId, at };
    }
    case 'message': {
      const o = exactObject(value, 7);
      if (!o) return null;
      const { streamId, event, data, lastEventId, size, at } = o;
      if (!isStreamId(streamId) || !isTime(at) || !boundedString(event, b.maxEventTypeLength)) return null;
      if (!boundedString(data, b.maxDataLength) || !boundedString(lastEventId, b.maxEventIdLength)) return null;
      if (!integerIn(size, data.length, b.maxCount)) return null;
      return { type, streamId, event, data, lastEventId, size, at };
    }
    case 'fetch-response': {
      const o = exactObject(value, 7);
      if (!o) return null;
      const { streamId, at, status, statusText, contentType, redirected } = o;
      if (!isStreamId(streamId) || !isTime(at) || !integerIn(status, 0, 999) || typeof redirected !== 'boolean') return null;
      if (!boundedString(statusText, b.maxStatusTextLength) || !boundedString(contentType, b.maxContentTypeLength)) return null;
      return { type, streamId, at, status, statusText, contentType, redirected };
    }
    case 'body-end': {
      const o = exactObject(value, 4);
      if (!o) return null;
      const { streamId, at, reason } = o;
      if (!isStreamId(streamId) || !isTime(at) || (reason !== 'complete' && reason !== 'error')) return null;
      return { type, streamId, at, reason };
    }
    case 'dropped': {
      const o = exactObject(value, 3);
      if (!o) return null;
      const { streamId, count } = o;
      if (!isStreamId(streamId) || !integerIn(count, 1, b.maxCount)) return null;
      return { type, streamId, count };
    }
    case 'streams-dropped': {
      const o = exactObject(value, 2);
      if (!o) return null;
      const { count } = o;
      if (!integerIn(count, 1, b.maxCount)) return null;
      return { type, count };
    }
    default:
      return null;
  }
}

/** The valid messages of one posted batch; a batch that is not an array, or too long, yields none. */
export function parsePageHookBatch(value: unknown): { readonly messages: PageHookMessage[]; readonly rejected: number } {
  if (!Array.isArray(value)) return { messages: [], rejected: 1 };
  if (value.length > PAGE_HOOK_BOUNDS.maxBatchLength) return { messages: [], rejected: value.length };
  const messages: PageHookMessage[] = [];
  for (const item of value as unknown[]) {
    const message = parsePageHookMessage(item);
    if (message) messages.push(message);
  }
  return { messages, rejected: value.length - messages.length };
}

/** The relay's per-document key: `crypto.randomUUID()`. */
function isDocumentKey(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f-]{36}$/.test(value);
}

/** For the background: the relay is the extension's own code, but a compromised renderer is not. */
export function parseRelayMessage(value: unknown): RelayMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const type: unknown = (value as Fields).type;
  switch (type) {
    case 'hook-batch': {
      const o = exactObject(value, 3);
      if (!o || !isDocumentKey(o.document)) return null;
      const { messages, rejected } = parsePageHookBatch(o.messages);
      return rejected === 0 ? { type, document: o.document, messages } : null;
    }
    case 'hook-rejected': {
      const o = exactObject(value, 4);
      if (!o || !isDocumentKey(o.document)) return null;
      const { rejected, overflowed } = o;
      if (!integerIn(rejected, 0, PAGE_HOOK_BOUNDS.maxCount) || !integerIn(overflowed, 0, PAGE_HOOK_BOUNDS.maxCount)) return null;
      return { type, document: o.document, rejected, overflowed };
    }
    default:
      return null;
  }
}

const isTabId = (value: unknown): value is number => integerIn(value, 0, PAGE_HOOK_BOUNDS.maxCount);

/**
 * For the background: messages from the extension's own DevTools page and panel. They are not
 * page data, but a message of the wrong shape must not corrupt a tab's log either.
 */
export function parseDevtoolsMessage(value: unknown): DevtoolsToBackground | null {
  if (typeof value !== 'object' || value === null) return null;
  const type: unknown = (value as Fields).type;
  switch (type) {
    case 'subscribe': {
      const o = exactObject(value, 3);
      if (!o || !isTabId(o.tabId) || !integerIn(o.since, 0, PAGE_HOOK_BOUNDS.maxCount)) return null;
      return { type, tabId: o.tabId, since: o.since };
    }
    case 'har-entries': {
      const o = exactObject(value, 3);
      if (!o || !isTabId(o.tabId) || !Array.isArray(o.entries) || o.entries.length > 1000) return null;
      const entries: HarEntrySummary[] = [];
      for (const raw of o.entries as unknown[]) {
        const entry = reduceHarEntry(raw);
        if (entry) entries.push(entry);
      }
      return { type, tabId: o.tabId, entries };
    }
    case 'clear': {
      const o = exactObject(value, 2);
      return o && isTabId(o.tabId) ? { type, tabId: o.tabId } : null;
    }
    case 'set-preserve-log': {
      const o = exactObject(value, 3);
      return o && isTabId(o.tabId) && typeof o.preserve === 'boolean' ? { type, tabId: o.tabId, preserve: o.preserve } : null;
    }
    default:
      return null;
  }
}

/** Compile-time exhaustiveness: a switch over a union ends in `assertNever(value)`. */
export function assertNever(value: never): never {
  throw new Error(`unexpected message ${JSON.stringify(value)}`);
}
