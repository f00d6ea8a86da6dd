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
  maxErrorLength: 512,
  /** Messages in one batch the relay forwards. */
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
  /**
   * A fetch() the hook follows: its response is `text/event-stream`, or its request sent
   * `Accept: text/event-stream` (then it is reported even when it fails at the handshake,
   * `fetch-failed`, or answers with another type, `fetch-response`).
   */
  | {
      readonly type: 'stream-created';
      readonly kind: 'fetch';
      readonly streamId: number;
      /** When the page called fetch(). */
      readonly at: number;
      /** The response URL (after redirects), or the request URL when there is no response. */
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
  /**
   * The response headers of a fetch stream. When `contentType` is not `text/event-stream` (a
   * mis-typed stream: the request asked for one and got something else), the hook does not
   * follow the body: nothing more comes for this stream.
   */
  | {
      readonly type: 'fetch-response';
      readonly streamId: number;
      readonly at: number;
      readonly status: number;
      readonly statusText: string;
      /** Empty when the response has none. */
      readonly contentType: string;
      readonly redirected: boolean;
    }
  /**
   * A stream-asking fetch() rejected before any response reached the page (network error, CORS
   * block, abort). `error` is the rejection's "name: message": Chromium says "TypeError: Failed
   * to fetch" for a CORS block and a refused connection alike (webRequest tells them apart).
   */
  | { readonly type: 'fetch-failed'; readonly streamId: number; readonly at: number; readonly error: string }
  /** A fetch stream's body ended: the server finished it, or it errored (network, abort). */
  | { readonly type: 'body-end'; readonly streamId: number; readonly at: number; readonly reason: 'complete' | 'error' }
  /** Events of this stream not sent because of the per-stream bound (a running total). */
  | { readonly type: 'dropped'; readonly streamId: number; readonly count: number }
  /** Streams not observed because of the per-page bound (a running total). */
  | { readonly type: 'streams-dropped'; readonly count: number };

export type PageHookMessageType = PageHookMessage['type'];

/** What the relay keeps and forwards: validated observations, `message` ones included. */
export type PageHookBatch = readonly PageHookMessage[];

// ---- Hop 1 on the wire: what the hook posts ----
//
// The hook does as little as it can in the page's world: it posts raw facts as positional
// tuples, and the relay (page-hook-relay.ts) turns them into the observations above: it checks
// and clips every field, tracks readyState transitions, caps events per stream and streams per
// page, resolves URLs, and parses fetch bodies. Tuples keep the hook small (it is
// injected into every frame) and clone fast (no key names to write, read and check).

/** Media type essence `text/event-stream`, case-insensitive, parameters ignored (browser-facts.md 4); also finds it in an Accept list. */
export const EVENT_STREAM_TYPE = /(^|,)[\t ]*text\/event-stream[\t ]*(;|,|$)/i;

/**
 * Strings on the wire are cut to this many UTF-16 code units: event types and ids by the hook (they
 * come with every event), a request's strings by the relay on arrival (parsePageHookWireMessage).
 */
export const WIRE_MAX_STRING = 8192;
/** Event data is cut to this (PAGE_HOOK_BOUNDS.maxDataLength); the `size` slot keeps the full length. */
export const WIRE_MAX_DATA = 16_384;

/** Bounds of the wire the relay enforces (the hook cannot exceed them from a real browser). */
export const WIRE_BOUNDS = {
  /** Wire messages in one posted batch: the hook posts at most its `maxPendingMessages`. */
  maxBatchLength: 20_000,
  /** EventSource events in one `events` tuple. */
  maxEventsPerTuple: 20_000,
  /**
   * Bytes of one fetch body chunk (Chromium's network chunks are at most a few hundred KB), and
   * characters of one XHR `text` piece.
   */
  maxChunkBytes: 16 * 1024 * 1024,
  /** Request headers of one request. */
  maxHeaderCount: 256,
} as const;

/** Slots per event in `HookEventSlots`. */
export const EVENT_SLOTS = 5;

/**
 * EventSource events as the hook posts them: five slots per event, one flat array
 * `[event, data, lastEventId, size, at, event, data, ...]`, with the meanings of the `message`
 * observation's fields. One array of strings and numbers clones in about half the time of one
 * object per event.
 */
export type HookEventSlots = readonly (string | number)[];

/** The request side of a fetch, as the page made it (the URL possibly relative). */
export type WireRequest = readonly [url: string, method: string, credentials: FetchCredentials, headers: readonly HookHeader[]];

export type PageHookWireMessage =
  /** An EventSource was constructed; the relay adds `ready-state` 0. */
  | readonly [type: 'es', streamId: number, at: number, url: string, withCredentials: boolean]
  /** The EventSource's own `open` or `error` event, with the readyState the page then sees. */
  | readonly [type: 'open' | 'error', streamId: number, at: number, readyState: number]
  /** Events of one EventSource, in order. */
  | readonly [type: 'events', streamId: number, slots: HookEventSlots]
  /**
   * Events of this EventSource the hook did not send, past its per-stream bound (a running
   * total): it only counts them, so a long stream costs the page one listener call per event.
   */
  | readonly [type: 'dropped', streamId: number, count: number]
  /** The page called EventSource#close() or cancelled a fetch stream's body. */
  | readonly [type: 'close', streamId: number, at: number]
  /**
   * A fetch stream (or mis-typed stream) got its response. The relay reports `stream-created`
   * and `fetch-response`, and parses the body when it is an event stream. An XMLHttpRequest
   * stream is reported the same way (credentials `include` for withCredentials, `same-origin`
   * otherwise; `redirected` false: XHR does not tell).
   */
  | readonly [type: 'http', streamId: number, requestedAt: number, at: number, ...request: WireRequest, status: number, statusText: string, contentType: string, responseUrl: string, redirected: boolean]
  /**
   * A stream-asking fetch rejected before its response: `stream-created` and `fetch-failed`. For
   * an XMLHttpRequest that ended with status 0, `error` is the event that ended it: `error`,
   * `abort` or `timeout`.
   */
  | readonly [type: 'failed', streamId: number, requestedAt: number, at: number, ...request: WireRequest, error: string]
  /**
   * Body bytes of a fetch stream as the page received them, in order: copied (the page's
   * chunk goes to the page) and transferred, not cloned. The relay decodes and parses them.
   */
  | readonly [type: 'chunk', streamId: number, at: number, bytes: Uint8Array]
  /**
   * Body text of an XMLHttpRequest stream: what its responseText gained since the last one
   * (already decoded by the browser). The relay parses it like a fetch stream's chunks.
   */
  | readonly [type: 'text', streamId: number, at: number, text: string]
  /** A fetch stream's body ended. */
  | readonly [type: 'end', streamId: number, at: number, reason: 'complete' | 'error'];

/** One postMessage of the hook (one structured clone per batch). */
export type PageHookWireBatch = readonly PageHookWireMessage[];

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
    case 'fetch-failed': {
      const o = exactObject(value, 4);
      if (!o) return null;
      const { streamId, at, error } = o;
      if (!isStreamId(streamId) || !isTime(at) || !boundedString(error, b.maxErrorLength)) return null;
      return { type, streamId, at, error };
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

/**
 * A fresh copy of `HookEventSlots` with every slot checked, or null. Each slot is read once (an
 * array's getters cannot answer differently later) and `length` once.
 */
function parseEventSlots(value: unknown): (string | number)[] | null {
  if (!Array.isArray(value)) return null;
  const length: unknown = value.length;
  if (!integerIn(length, EVENT_SLOTS, EVENT_SLOTS * WIRE_BOUNDS.maxEventsPerTuple) || length % EVENT_SLOTS !== 0) return null;
  const slots: (string | number)[] = [];
  for (let i = 0; i < length; i += EVENT_SLOTS) {
    const event: unknown = value[i];
    const data: unknown = value[i + 1];
    const lastEventId: unknown = value[i + 2];
    const size: unknown = value[i + 3];
    const at: unknown = value[i + 4];
    if (!boundedString(event, WIRE_MAX_STRING) || !boundedString(data, WIRE_MAX_DATA) || !boundedString(lastEventId, WIRE_MAX_STRING)) return null;
    if (!integerIn(size, data.length, PAGE_HOOK_BOUNDS.maxCount) || !isTime(at)) return null;
    slots.push(event, data, lastEventId, size, at);
  }
  return slots;
}

/**
 * A real Uint8Array within the chunk bound, judged by its internal slots: `instanceof` and own
 * properties (`byteLength`) can be forged, %TypedArray%.prototype's getters cannot.
 */
function isChunkBytes(value: unknown): value is Uint8Array {
  const typedArray = Object.getPrototypeOf(Uint8Array.prototype) as object;
  const tag = Object.getOwnPropertyDescriptor(typedArray, Symbol.toStringTag)?.get;
  const byteLength = Object.getOwnPropertyDescriptor(typedArray, 'byteLength')?.get;
  if (!tag || !byteLength || Reflect.apply(tag, value, []) !== 'Uint8Array') return false;
  return (Reflect.apply(byteLength, value, []) as number) <= WIRE_BOUNDS.maxChunkBytes;
}

function parseWireHeaders(value: unknown): HookHeader[] | null {
  if (!Array.isArray(value)) return null;
  const length: unknown = value.length;
  if (!integerIn(length, 0, WIRE_BOUNDS.maxHeaderCount)) return null;
  const headers: HookHeader[] = [];
  for (let i = 0; i < length; i++) {
    const line: unknown = value[i];
    if (!Array.isArray(line) || line.length !== 2) return null;
    const name: unknown = line[0];
    const text: unknown = line[1];
    if (typeof name !== 'string' || name === '' || typeof text !== 'string') return null;
    headers.push([clip(name, WIRE_MAX_STRING), clip(text, WIRE_MAX_STRING)]);
  }
  return headers;
}

/** `text` cut to `max` UTF-16 code units. */
export function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/**
 * A fresh copy of a tuple's slots when it is a real array of exactly `length` (each slot read
 * once), its strings cut to WIRE_MAX_STRING unless `whole` (an XHR `text` piece has its own bound).
 */
function tupleOf(value: unknown, length: number, whole = false): unknown[] | null {
  if (!Array.isArray(value) || value.length !== length) return null;
  const slots: unknown[] = [];
  for (let i = 0; i < length; i++) {
    const slot: unknown = value[i];
    slots.push(!whole && typeof slot === 'string' ? clip(slot, WIRE_MAX_STRING) : slot);
  }
  return slots;
}

/** Any string: tupleOf and parseWireHeaders have cut it. */
const isWireString = (value: unknown): value is string => typeof value === 'string';

/**
 * Returns a fresh, checked copy of one wire tuple, or null. Strings are only cut here
 * (WIRE_MAX_STRING: the hook sends a request's strings whole, they are the page's own and come
 * once per request); the relay clips each to its observation's bound when it builds one. Event
 * slots are the exception: the hook cuts them (they come with every event), so longer ones are
 * refused.
 */
export function parsePageHookWireMessage(value: unknown): PageHookWireMessage | null {
  if (!Array.isArray(value)) return null;
  const type: unknown = value[0];
  switch (type) {
    case 'es': {
      const t = tupleOf(value, 5);
      if (!t) return null;
      const [, streamId, at, url, withCredentials] = t;
      if (!isStreamId(streamId) || !isTime(at) || !isWireString(url) || typeof withCredentials !== 'boolean') return null;
      return [type, streamId, at, url, withCredentials];
    }
    case 'open':
    case 'error': {
      const t = tupleOf(value, 4);
      if (!t) return null;
      const [, streamId, at, readyState] = t;
      if (!isStreamId(streamId) || !isTime(at) || !integerIn(readyState, 0, 2)) return null;
      return [type, streamId, at, readyState];
    }
    case 'events': {
      const t = tupleOf(value, 3);
      if (!t) return null;
      const streamId = t[1];
      const slots = parseEventSlots(t[2]);
      if (!isStreamId(streamId) || !slots) return null;
      return [type, streamId, slots];
    }
    case 'close': {
      const t = tupleOf(value, 3);
      if (!t) return null;
      const [, streamId, at] = t;
      if (!isStreamId(streamId) || !isTime(at)) return null;
      return [type, streamId, at];
    }
    case 'dropped': {
      const t = tupleOf(value, 3);
      if (!t) return null;
      const [, streamId, count] = t;
      if (!isStreamId(streamId) || !integerIn(count, 1, PAGE_HOOK_BOUNDS.maxCount)) return null;
      return [type, streamId, count];
    }
    case 'http':
    case 'failed': {
      const t = tupleOf(value, type === 'http' ? 13 : 9);
      if (!t) return null;
      const [, streamId, requestedAt, at, url, method, credentials] = t;
      const headers = parseWireHeaders(t[7]);
      if (!isStreamId(streamId) || !isTime(requestedAt) || !isTime(at) || !headers) return null;
      if (!isWireString(url) || !isWireString(method) || method === '' || !isCredentials(credentials)) return null;
      if (type === 'failed') {
        const error = t[8];
        return isWireString(error) ? [type, streamId, requestedAt, at, url, method, credentials, headers, error] : null;
      }
      const [status, statusText, contentType, responseUrl, redirected] = t.slice(8);
      if (!integerIn(status, 0, 999) || !isWireString(statusText) || !isWireString(contentType) || !isWireString(responseUrl) || typeof redirected !== 'boolean') return null;
      return [type, streamId, requestedAt, at, url, method, credentials, headers, status, statusText, contentType, responseUrl, redirected];
    }
    case 'chunk': {
      const t = tupleOf(value, 4);
      if (!t) return null;
      const [, streamId, at, bytes] = t;
      if (!isStreamId(streamId) || !isTime(at) || !isChunkBytes(bytes)) return null;
      return [type, streamId, at, bytes];
    }
    case 'text': {
      const t = tupleOf(value, 4, true);
      if (!t) return null;
      const [, streamId, at, text] = t;
      if (!isStreamId(streamId) || !isTime(at) || !boundedString(text, WIRE_BOUNDS.maxChunkBytes)) return null;
      return [type, streamId, at, text];
    }
    case 'end': {
      const t = tupleOf(value, 4);
      if (!t) return null;
      const [, streamId, at, reason] = t;
      if (!isStreamId(streamId) || !isTime(at) || (reason !== 'complete' && reason !== 'error')) return null;
      return [type, streamId, at, reason];
    }
    default:
      return null;
  }
}

/** The valid wire tuples of one posted batch; a batch that is not an array, or too long, yields none. */
export function parsePageHookWireBatch(value: unknown): { readonly messages: PageHookWireMessage[]; readonly rejected: number } {
  if (!Array.isArray(value)) return { messages: [], rejected: 1 };
  const length: unknown = value.length;
  if (!integerIn(length, 0, WIRE_BOUNDS.maxBatchLength)) return { messages: [], rejected: typeof length === 'number' ? length : 1 };
  const messages: PageHookWireMessage[] = [];
  for (let i = 0; i < length; i++) {
    const message = parsePageHookWireMessage(value[i]);
    if (message) messages.push(message);
  }
  return { messages, rejected: length - messages.length };
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
