import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { PAGE_HOOK_BOUNDS, type FetchCredentials, type HookHeader, type PageHookBatch, type PageHookMessage, type ReadyState } from './protocol';

/**
 * The page-world hook: wraps `EventSource` and `fetch` in the page's own JavaScript world, at
 * document_start, so that every event-stream the page opens is reported with the page's view of
 * it (readyState transitions, open/error/message timing, close()). It must be invisible to the
 * page and nearly free:
 * - everything it calls later is captured at install, before any page script can replace it;
 * - a non-SSE fetch costs one Content-Type check;
 * - messages are batched (one structured clone per batch, not per event) and bounded.
 */

/** The globals the hook reads, so tests can pass a plain object. */
export interface PageHookWindow {
  EventSource: typeof EventSource;
  fetch: typeof fetch;
  Response: typeof Response;
  Request: typeof Request;
  Headers: typeof Headers;
  ReadableStream: typeof ReadableStream;
  TextDecoder: typeof TextDecoder;
  performance: { readonly timeOrigin: number; now(): number };
  setTimeout(callback: () => void, ms: number): unknown;
  /** Preferred when present: the hook's work waits for the page to be idle. */
  requestIdleCallback?(callback: () => void, options: { timeout: number }): unknown;
}

export interface PageHookLimits {
  /** Events reported per stream; later ones only count in a `dropped` message. */
  readonly maxEventsPerStream: number;
  /** Streams observed per page (created, not concurrent: a page that re-creates forever is bounded). */
  readonly maxStreams: number;
  /** Messages waiting for an idle moment; past this many they are posted at once. */
  readonly maxPendingMessages: number;
  /** The longest the hook's work waits for the page to be idle. */
  readonly maxDelayMs: number;
}

export const DEFAULT_PAGE_HOOK_LIMITS: PageHookLimits = {
  maxEventsPerStream: 10_000,
  maxStreams: 256,
  maxPendingMessages: 20_000,
  maxDelayMs: 250,
};

export interface PageHook {
  /** Posts what is batched now (tests; the hook flushes on its own). */
  flush(): void;
}

// Media type essence `text/event-stream`, case-insensitive, parameters ignored (browser-facts.md 4).
const EVENT_STREAM = /^[\t ]*text\/event-stream[\t ]*(;|$)/i;
// Fetch body text awaiting an idle moment, per stream, before it is parsed at once.
const MAX_PENDING_CHARS = 4 * 1024 * 1024;
const STANDARD_TYPES: ReadonlySet<string> = new Set(['open', 'error', 'message']);

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** Per-stream counters; `handleEvent` makes it its own EventSource listener (no closure per stream). */
interface Tap {
  readonly id: number;
  events: number;
  dropped: number;
  /** Dropped count changed since the last flush. */
  dirty: boolean;
  state: ReadyState;
  lastEventId: string;
  closed: boolean;
}

export function installPageHook(win: PageHookWindow, send: (batch: PageHookBatch) => void, limits: PageHookLimits = DEFAULT_PAGE_HOOK_LIMITS): PageHook {
  // Captured now: page scripts run later and may replace any of these.
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const NativeEventSource = win.EventSource;
  const nativeFetch = win.fetch;
  const listen = NativeEventSource.prototype.addEventListener;
  const nativeClose = NativeEventSource.prototype.close;
  const then = Promise.prototype.then;
  const { Response: NativeResponse, Request: NativeRequest, Headers: NativeHeaders, ReadableStream: NativeReadableStream, TextDecoder: NativeTextDecoder, performance } = win;
  const timeOrigin = performance.timeOrigin;
  const now = () => timeOrigin + apply(performance.now, performance, []);
  const setTimer = win.setTimeout;
  const idleCallback = win.requestIdleCallback;

  /**
   * Everything the hook does beyond counting (building and posting messages, parsing fetch
   * bodies) waits for an idle moment, at most `maxDelayMs`: a page reading a burst of events is
   * not slowed by it, and the timestamps were taken when things happened.
   */
  let pending: PageHookMessage[] = [];
  let work: (() => void)[] = [];
  let idleRequested = false;
  let nextId = 1;
  let streamsDropped = 0;
  let streamsDroppedSent = 0;
  const droppedTaps: Tap[] = [];

  function post(): void {
    for (const tap of droppedTaps) {
      tap.dirty = false;
      pending.push({ type: 'dropped', streamId: tap.id, count: tap.dropped });
    }
    droppedTaps.length = 0;
    if (streamsDropped !== streamsDroppedSent) {
      streamsDroppedSent = streamsDropped;
      pending.push({ type: 'streams-dropped', count: streamsDropped });
    }
    if (pending.length === 0) return;
    const all = pending;
    pending = [];
    const size = PAGE_HOOK_BOUNDS.maxBatchLength;
    try {
      if (all.length <= size) send(all);
      else for (let i = 0; i < all.length; i += size) send(all.slice(i, i + size));
    } catch {
      // A closed channel must never surface in the page.
    }
  }

  function onIdle(): void {
    idleRequested = false;
    const running = work;
    work = [];
    for (const task of running) task();
    post();
  }

  function schedule(): void {
    if (idleRequested) return;
    idleRequested = true;
    if (idleCallback) apply(idleCallback, win, [onIdle, { timeout: limits.maxDelayMs }]);
    else apply(setTimer, win, [onIdle, limits.maxDelayMs]);
  }

  function later(task: () => void): void {
    if (!work.includes(task)) work.push(task);
    schedule();
  }

  function emit(message: PageHookMessage): void {
    pending.push(message);
    if (pending.length >= limits.maxPendingMessages) post();
    else schedule();
  }

  /** The next stream id, or 0 when the page is over its bound of streams. */
  function nextStreamId(): number {
    if (nextId <= limits.maxStreams) return nextId++;
    streamsDropped++;
    schedule();
    return 0;
  }

  function newTap(id: number): Tap {
    return { id, events: 0, dropped: 0, dirty: false, state: 0, lastEventId: '', closed: false };
  }

  /** Reports one event unless the stream is over its bound; then it only counts. */
  function message(tap: Tap, event: string, data: string, at: number): void {
    if (tap.events >= limits.maxEventsPerStream) {
      tap.dropped++;
      if (!tap.dirty) {
        tap.dirty = true;
        droppedTaps.push(tap);
      }
      return;
    }
    tap.events++;
    emit({ type: 'message', streamId: tap.id, event: clip(event, PAGE_HOOK_BOUNDS.maxEventTypeLength), data: clip(data, PAGE_HOOK_BOUNDS.maxDataLength), lastEventId: clip(tap.lastEventId, PAGE_HOOK_BOUNDS.maxEventIdLength), size: data.length, at });
  }

  function readyState(tap: Tap, state: ReadyState, at: number): void {
    if (tap.state === state) return;
    tap.state = state;
    emit({ type: 'ready-state', streamId: tap.id, state, at });
  }

  // ---- EventSource ----

  interface EventSourceTap extends Tap {
    readonly source: EventSource;
    /** Event types the hook listens to besides open/error/message (those the page listens to). */
    types: Set<string> | null;
    handleEvent(event: Event): void;
  }

  function handleEventSourceEvent(this: EventSourceTap, event: Event): void {
    // Events the page dispatches itself (es.dispatchEvent(...)) are not the browser's.
    if (!event.isTrusted) return;
    const at = timeOrigin + event.timeStamp;
    const data: unknown = (event as MessageEvent).data;
    // A server can name an event `open` or `error`: that is a MessageEvent, not the connection's.
    if (typeof data === 'string') {
      this.lastEventId = (event as MessageEvent).lastEventId;
      message(this, event.type, data, at);
      return;
    }
    const state = this.source.readyState as ReadyState;
    if (event.type === 'open') emit({ type: 'open', streamId: this.id, at });
    else if (event.type === 'error') emit({ type: 'error', streamId: this.id, at });
    else return;
    readyState(this, state, at);
  }

  // The hook's listener for the stream's own instance, reachable only from this closure.
  const taps = new WeakMap<EventSource, EventSourceTap>();

  class EventSourceHook extends NativeEventSource {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      const id = nextStreamId();
      if (id === 0) return;
      const source = this as EventSource;
      const tap: EventSourceTap = { ...newTap(id), source, types: null, handleEvent: handleEventSourceEvent };
      taps.set(source, tap);
      // Registered before the page can add its own, so readyState is read as the page will see it.
      apply(listen, source, ['open', tap]);
      apply(listen, source, ['error', tap]);
      apply(listen, source, ['message', tap]);
      emit({ type: 'stream-created', kind: 'eventsource', streamId: tap.id, at: now(), url: clip(source.url, PAGE_HOOK_BOUNDS.maxUrlLength), withCredentials: source.withCredentials });
      emit({ type: 'ready-state', streamId: tap.id, state: 0, at: now() });
    }

    override close(): void {
      apply(nativeClose, this, []);
      const tap = taps.get(this);
      if (!tap || tap.closed) return;
      tap.closed = true;
      const at = now();
      emit({ type: 'closed-by-page', streamId: tap.id, at });
      readyState(tap, 2, at);
    }
  }
  // Named events (`event: update`) reach only listeners of that type: follow the page's ones.
  // Defined like a class method (non-enumerable); `arguments` keeps the page's call as it was.
  defineProperty(EventSourceHook.prototype, 'addEventListener', {
    writable: true,
    configurable: true,
    value: function addEventListener(this: EventSource, type: unknown): void {
      const tap = taps.get(this);
      if (tap && typeof type === 'string' && !STANDARD_TYPES.has(type)) {
        const types = (tap.types ??= new Set());
        if (!types.has(type) && types.size < 64) {
          types.add(type);
          apply(listen, this, [type, tap]);
        }
      }
      apply(listen, this, arguments);
    },
  });
  // The page sees `EventSource` (name, length, constants via the prototype chain, instanceof).
  defineProperty(EventSourceHook, 'name', { value: 'EventSource' });
  defineProperty(EventSourceHook, 'length', { value: 1 });
  defineProperty(win, 'EventSource', { value: EventSourceHook, writable: true, configurable: true, enumerable: false });

  // ---- fetch ----

  function requestOf(input: unknown, init: unknown): { method: string; credentials: FetchCredentials; requestHeaders: HookHeader[] } {
    const request = input instanceof NativeRequest ? input : null;
    const options = typeof init === 'object' && init !== null ? (init as RequestInit) : null;
    const requestHeaders: HookHeader[] = [];
    try {
      // Iterating a Headers gives lower-case names, sorted, duplicates joined: what was sent.
      for (const [name, value] of new NativeHeaders(options?.headers ?? request?.headers)) {
        if (requestHeaders.length === PAGE_HOOK_BOUNDS.maxHeaderCount) break;
        requestHeaders.push([clip(name, PAGE_HOOK_BOUNDS.maxHeaderNameLength), clip(value, PAGE_HOOK_BOUNDS.maxHeaderValueLength)]);
      }
    } catch {
      // fetch() accepted them, so this cannot fail short of a page tampering with its own objects.
    }
    const method = options?.method ?? request?.method ?? 'GET';
    const credentials = options?.credentials ?? request?.credentials ?? 'same-origin';
    return {
      method: clip(String(method), PAGE_HOOK_BOUNDS.maxMethodLength) || 'GET',
      credentials: credentials === 'omit' || credentials === 'include' ? credentials : 'same-origin',
      requestHeaders,
    };
  }

  /**
   * Hands the page a stream that reads the original body at the page's own pace and shows the
   * hook every chunk on the way. Not `body.tee()`: with a tee the hook's branch keeps pulling
   * after the page cancels its own (the connection would stay open, which the server sees) and
   * the page's branch buffers without bound when the page reads slower than the network.
   */
  function mirror(body: ReadableStream<Uint8Array<ArrayBuffer>>, tap: Tap): ReadableStream<Uint8Array<ArrayBuffer>> {
    const reader = body.getReader();
    const decoder = new NativeTextDecoder();
    // Chunks the page already has, waiting to be parsed once the page yields (see `drain`).
    const texts: string[] = [];
    const times: number[] = [];
    let pendingChars = 0;
    let chunkAt = 0;
    const parser = createParser({
      onEvent(event: EventSourceMessage) {
        if (event.id !== undefined) tap.lastEventId = event.id;
        message(tap, event.event ?? 'message', event.data, chunkAt);
      },
      // A line that never ends would grow the parser's buffer without bound.
      maxBufferSize: PAGE_HOOK_BOUNDS.maxDataLength * 64,
    });
    const drain = (): void => {
      for (let i = 0; i < texts.length; i++) {
        chunkAt = times[i] ?? 0;
        parser.feed(texts[i] ?? '');
      }
      texts.length = times.length = pendingChars = 0;
    };
    const end = (type: 'body-end' | 'closed-by-page', reason: 'complete' | 'error') => {
      if (tap.closed) return;
      tap.closed = true;
      drain();
      const at = now();
      emit(type === 'body-end' ? { type, streamId: tap.id, at, reason } : { type, streamId: tap.id, at });
    };
    return new NativeReadableStream({
      type: 'bytes',
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          end('body-end', 'error');
          throw error;
        }
        if (chunk.done) {
          controller.close();
          end('body-end', 'complete');
          return;
        }
        // Decoded before enqueue: a byte stream transfers the chunk's buffer to the page.
        const text = decoder.decode(chunk.value, { stream: true });
        controller.enqueue(chunk.value);
        texts.push(text);
        times.push(now());
        pendingChars += text.length;
        if (pendingChars > MAX_PENDING_CHARS) drain();
        else later(drain);
      },
      cancel(reason) {
        end('closed-by-page', 'complete');
        return reader.cancel(reason);
      },
    });
  }

  function observe(response: Response, input: unknown, init: unknown, startedAt: number): Response {
    try {
      const body = response.body;
      const contentType = response.headers.get('content-type');
      if (body === null || contentType === null || !EVENT_STREAM.test(contentType)) return response;
      const status = response.status;
      if (status < 200 || status > 599 || body.locked) return response;
      const id = nextStreamId();
      if (id === 0) return response;
      const tap = newTap(id);
      const url = clip(response.url || (input instanceof NativeRequest ? input.url : ''), PAGE_HOOK_BOUNDS.maxUrlLength);
      const headers = new NativeHeaders(response.headers);
      emit({ type: 'stream-created', kind: 'fetch', streamId: tap.id, at: startedAt, url, ...requestOf(input, init) });
      emit({ type: 'fetch-response', streamId: tap.id, at: now(), status, statusText: clip(response.statusText, PAGE_HOOK_BOUNDS.maxStatusTextLength), contentType: clip(contentType, PAGE_HOOK_BOUNDS.maxContentTypeLength), redirected: response.redirected });
      const page = new NativeResponse(mirror(body, tap), { status, statusText: response.statusText, headers });
      // A constructed Response has url '', type 'default', redirected false: give back the real ones.
      defineProperty(page, 'url', { value: response.url });
      defineProperty(page, 'type', { value: response.type });
      defineProperty(page, 'redirected', { value: response.redirected });
      return page;
    } catch {
      return response;
    }
  }

  function fetchHook(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const startedAt = now();
    const pending: Promise<Response> = apply(nativeFetch, this, arguments);
    return apply(then, pending, [(response: Response) => observe(response, input, init, startedAt)]) as Promise<Response>;
  }
  defineProperty(fetchHook, 'name', { value: 'fetch' });
  defineProperty(fetchHook, 'length', { value: 1 });
  defineProperty(win, 'fetch', { value: fetchHook, writable: true, configurable: true, enumerable: true });

  return { flush: onIdle };
}
