import { EVENT_STREAM_TYPE, WIRE_MAX_DATA, WIRE_MAX_STRING, type FetchCredentials, type HookHeader, type PageHookWireBatch, type PageHookWireMessage, type WireRequest } from './protocol';

/**
 * The page-world hook: wraps `EventSource`, `fetch` and `XMLHttpRequest` in the page's own
 * JavaScript world, at document_start, so that every event stream the page opens is reported
 * with the page's view of it (readyState transitions, open/error/message timing, close(), fetch
 * and XHR streams that fail at the handshake or come back mis-typed). It is injected into every
 * frame of every page, so it must be invisible, nearly free and small (the target is under 4 KB
 * built; it is about 5.1 KB with XHR and the wrapped EventSource listeners, see the README's hook
 * figures):
 * - everything it calls later is captured at install, before any page script can replace it;
 * - the page's EventSource listeners are wrapped, not joined by one of the hook's, so the browser
 *   calls no more listeners per event than without the hook (measured in Chromium by
 *   test/bench/event-read-cost.ts: a listener of its own costs 0.7-1.1 µs an event, a wrapper 0.04-0.4);
 * - it posts raw facts (protocol.ts, "Hop 1 on the wire"): per event five slots read while the
 *   page handles it, per fetch chunk a copy of the bytes, per XHR progress the new responseText;
 *   checking, bookkeeping, parsing and cutting a request's strings to their bounds are the
 *   relay's (page-hook-relay.ts), at idle time (it cuts only an event's strings itself: they
 *   come with every event and are cloned with every batch);
 * - it posts when the page is idle, or after `maxDelayMs` on a busy page, in one batch (one
 *   structured clone);
 * - a fetch or XHR that is not an event stream costs a Content-Type check (and an Accept check
 *   when the page set headers).
 */

/** The globals the hook reads, so tests can pass a plain object. */
export interface PageHookWindow {
  EventSource: typeof EventSource;
  fetch: typeof fetch;
  Response: typeof Response;
  Request: typeof Request;
  Headers: typeof Headers;
  ReadableStream: typeof ReadableStream;
  /** Absent in tests that do not exercise it. */
  XMLHttpRequest?: typeof XMLHttpRequest;
  performance: { readonly timeOrigin: number; now(): number };
  /** Posting waits for the page to be idle (Chromium 47+, Firefox 55+: every browser the extension runs in). */
  requestIdleCallback(callback: (deadline?: { readonly didTimeout: boolean }) => void, options: { timeout: number }): unknown;
}

export interface PageHookLimits {
  /** EventSource events sent per stream; later ones are only counted (`dropped`). */
  readonly maxEventsPerStream: number;
  /** Messages plus EventSource events waiting for an idle moment; past this many they are posted at once. */
  readonly maxPendingMessages: number;
  /** The longest posting waits for the page to be idle. */
  readonly maxDelayMs: number;
}

export const DEFAULT_PAGE_HOOK_LIMITS: PageHookLimits = { maxEventsPerStream: 10_000, maxPendingMessages: 20_000, maxDelayMs: 500 };

export interface PageHook {
  /** Posts what is batched now (tests; the hook posts on its own). */
  flush(): void;
}

/** Posts one batch; `transfer` holds the fetch chunks' buffers, moved rather than copied. */
export type PageHookSend = (batch: PageHookWireBatch, transfer: ArrayBuffer[]) => void;

function clip(text: string, max = WIRE_MAX_STRING): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** The request asked for an event stream (`Accept: text/event-stream`). */
function asksForStream(request: WireRequest): boolean {
  return request[3].some(([name, value]) => name === 'accept' && EVENT_STREAM_TYPE.test(value));
}

/** What the hook knows of one XMLHttpRequest, from its last open(). */
interface XhrTap {
  /** As WireRequest: headers are added by setRequestHeader(), credentials read with the response. */
  readonly request: [url: string, method: string, credentials: FetchCredentials, headers: HookHeader[]];
  /** When open() was called. */
  readonly requestedAt: number;
  /** 0 until the response is judged, then the stream id, or -1 when it is not followed (any more). */
  id: number;
  /** responseText characters posted so far; -1 when the body is not read (responseType not text). */
  seen: number;
}

// The XHR events the hook follows: readystatechange fires for every chunk received (LOADING) in
// Chromium and Firefox alike, then once at DONE, before load, error, abort or timeout.
const XHR_EVENTS = ['readystatechange', 'load', 'error', 'abort', 'timeout'];

interface EventSourceTap {
  readonly id: number;
  /**
   * Types the page added a `once` or `signal` listener to: the browser removes those without
   * telling the hook, so for these the hook keeps a listener of its own for good.
   */
  readonly pinned: Set<unknown>;
  events: number;
  /** Events past `maxEventsPerStream`, only counted. */
  dropped: number;
}

export function installPageHook(win: PageHookWindow, send: PageHookSend, limits: PageHookLimits = DEFAULT_PAGE_HOOK_LIMITS): PageHook {
  // Captured now: page scripts run later and may replace any of these.
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const { EventSource: NativeEventSource, fetch: nativeFetch, Response: NativeResponse, Request: NativeRequest, Headers: NativeHeaders, ReadableStream: NativeReadableStream, performance, requestIdleCallback: idleCallback } = win;
  const { addEventListener: listen, removeEventListener: unlisten, close: nativeClose } = NativeEventSource.prototype;
  const onmessage = Object.getOwnPropertyDescriptor(NativeEventSource.prototype, 'onmessage') as { get(): unknown; set(handler: unknown): void };
  const { get: getHandler, set: setHandler } = onmessage;
  const then = Promise.prototype.then;
  const timeOrigin = performance.timeOrigin;
  const performanceNow = performance.now;
  const now = () => timeOrigin + apply(performanceNow, performance, []);
  const { maxEventsPerStream, maxPendingMessages, maxDelayMs } = limits;

  let pending: PageHookWireMessage[] = [];
  // Messages plus events waiting: what `maxPendingMessages` bounds.
  let pendingCount = 0;
  // The slots of the last pending message when it is a stream's events: that stream's next event joins them.
  let events: (string | number)[] | null = null;
  let eventsOf = 0;
  // An idle callback is requested and has not run.
  let requested = false;
  let lastId = 0;
  // Streams whose dropped count changed since the last post.
  const dropping = new Set<EventSourceTap>();

  /** Posts everything pending in one batch (one structured clone, the chunks' buffers moved). */
  function post(): void {
    for (const tap of dropping) pending.push(['dropped', tap.id, tap.dropped]);
    dropping.clear();
    const batch = pending;
    pending = [];
    pendingCount = 0;
    events = null;
    requested = false;
    if (batch.length === 0) return;
    try {
      send(
        batch,
        batch.flatMap((message) => (message[0] === 'chunk' ? [message[3].buffer as ArrayBuffer] : [])),
      );
    } catch {
      // A closed channel must never surface in the page.
    }
  }

  /** `weight`: what joins the pending messages (a dropped event adds nothing but a count). */
  function schedule(weight = 1): void {
    if ((pendingCount += weight) >= maxPendingMessages) post();
    else if (!requested) {
      requested = true;
      apply(idleCallback, win, [post, { timeout: maxDelayMs }]);
    }
  }

  function emit(message: PageHookWireMessage): void {
    events = null;
    pending.push(message);
    schedule();
  }

  // ---- EventSource ----

  // The hook's state for each stream, reachable only from this closure.
  const taps = new WeakMap<EventSource, EventSourceTap>();
  // One wrapper per page listener (a function or a handleEvent object), whatever the type and
  // source it is added to: the browser then dedupes and removes the wrapper as it would the listener.
  const wrappers = new WeakMap<object, (this: EventSource, event: Event) => unknown>();
  // The page's listener behind each wrapper, for the onmessage getter.
  const wrapped = new WeakMap<object, unknown>();
  // The last event recorded: every listener of one event gets the same object, the first records it.
  let recorded: Event | undefined;

  function record(source: EventSource, event: Event): void {
    const tap = taps.get(source);
    // Events the page dispatches itself (es.dispatchEvent(...)) are not the browser's.
    if (!tap || event === recorded || !event.isTrusted) return;
    recorded = event;
    // The connection's own open and error are plain Events; a server's events named so are
    // MessageEvents (`in` reads no string).
    if (!('data' in event)) return emit([event.type as 'open' | 'error', tap.id, timeOrigin + event.timeStamp, source.readyState]);
    // Past the bound only counted: no strings read, nothing sent but the count.
    if (++tap.events > maxEventsPerStream) {
      tap.dropped++;
      dropping.add(tap);
      return schedule(0);
    }
    try {
      // Read now: the page's listener reads the same data string, and nothing keeps the event
      // alive until posting. (The lastEventId is a new string per event when the server sends
      // ids; in the extension, not reading it measured no cheaper: see the README's hook figures.)
      const data = (event as MessageEvent).data as string;
      if (!events || eventsOf !== tap.id) pending.push(['events', (eventsOf = tap.id), (events = [])]);
      events.push(clip(event.type), clip(data, WIRE_MAX_DATA), clip((event as MessageEvent).lastEventId), data.length, timeOrigin + event.timeStamp);
    } catch {
      // A page that redefined what the hook reads (its world, its report): the relay checks the rest.
    }
    schedule();
  }

  /**
   * The hook's own listener: for open and error always (registered first, so readyState is read
   * as the page will see it); for `message` last in line, until an event reaches it already
   * recorded by a page listener's wrapper (then the page listens: the hook steps out, and steps
   * back in when the page removes one); for a type the page listens to `once` or with a `signal`.
   */
  function own(this: EventSource, event: Event): void {
    if (event !== recorded) record(this, event);
    else if (!taps.get(this)?.pinned.has(event.type)) apply(unlisten, this, [event.type, own]);
  }

  function wrap(listener: object): (this: EventSource, event: Event) => unknown {
    let wrapper = wrappers.get(listener);
    if (!wrapper) {
      wrapper = function (this: EventSource, event: Event): unknown {
        // Recorded before the page's code runs, which may throw (the exception goes through the
        // wrapper untouched: the browser reports it as without the hook).
        record(this, event);
        // A handleEvent object's method is looked up at call time, as the browser does.
        return typeof listener === 'function' ? apply(listener, this, arguments) : (listener as EventListenerObject).handleEvent(event);
      };
      wrappers.set(listener, wrapper);
      wrapped.set(wrapper, listener);
    }
    return wrapper;
  }

  /** Puts the hook's `message` listener last: after the page's, it sees whether they recorded. */
  function ownLast(source: EventSource): void {
    apply(unlisten, source, ['message', own]);
    apply(listen, source, ['message', own]);
  }

  // The page sees `EventSource`: name, length 1, constants through the prototype chain, instanceof.
  // Named as the native (terser keeps this one class name, wxt.config.ts).
  const EventSourceHook = class EventSource extends NativeEventSource {
    constructor(url: string | URL, ...init: [EventSourceInit?]) {
      super(url, ...init);
      const tap: EventSourceTap = { id: ++lastId, pinned: new Set(), events: 0, dropped: 0 };
      taps.set(this, tap);
      for (const type of ['open', 'error', 'message']) apply(listen, this, [type, own]);
      emit(['es', tap.id, now(), this.url, this.withCredentials]);
    }

    override close(): void {
      apply(nativeClose, this, []);
      const tap = taps.get(this);
      if (tap) emit(['close', tap.id, now()]);
    }

    // The page's listeners of server events (`message`, and named types: `event: update` reaches
    // only listeners of that type) are wrapped rather than joined by one of the hook's: the browser
    // calls one listener per event fewer. The browser dedupes, orders and removes the wrappers as
    // it would the listeners. Anything else goes through as the page called it.
    // Length 2, as the native's: the options are read from `arguments`.
    override addEventListener(type: string, listener: unknown): void {
      const options: unknown = arguments[2];
      const tap = taps.get(this);
      if (!tap || type === 'open' || type === 'error' || listener !== Object(listener)) return apply(listen, this, arguments);
      apply(listen, this, [type, wrap(listener as object), options]);
      // (Members of a boolean are undefined.)
      if ((options as AddEventListenerOptions | undefined)?.once || (options as AddEventListenerOptions | undefined)?.signal) {
        tap.pinned.add(type);
        apply(listen, this, [type, own]);
      } else if (type === 'message') ownLast(this);
    }

    // Length 2, as the native's: the options are read from `arguments`.
    override removeEventListener(type: string, listener: unknown): void {
      const options: unknown = arguments[2];
      const wrapper = wrappers.get(listener as object);
      if (wrapper) apply(unlisten, this, [type, wrapper, options]);
      // Also as called: a listener the page added through EventTarget.prototype is not wrapped.
      apply(unlisten, this, arguments);
      // The page may have no `message` listener left: the hook's listens until it sees one (on
      // an EventSource: the method can be called on any EventTarget).
      if (wrapper && type === 'message' && taps.has(this)) apply(listen, this, [type, own]);
    }
  };
  // `onmessage` is a listener like the others: the browser keeps the wrapper, the page gets its
  // own function back.
  defineProperty(EventSourceHook.prototype, 'onmessage', {
    // The native's attributes (configurable, enumerable).
    ...onmessage,
    get(this: EventSource): unknown {
      const handler: unknown = apply(getHandler, this, []);
      return wrapped.get(handler as object) ?? handler;
    },
    set(this: EventSource, handler: unknown): void {
      apply(setHandler, this, [typeof handler === 'function' ? wrap(handler) : handler]);
      ownLast(this);
    },
  });
  // Assignment keeps the global's attributes (writable, configurable, not enumerable).
  win.EventSource = EventSourceHook;

  // ---- fetch ----

  function requestOf(input: unknown, init: unknown): WireRequest {
    const request = input instanceof NativeRequest ? input : null;
    const options = typeof init === 'object' ? (init as RequestInit | null) : null;
    return [
      request ? request.url : String(input),
      String(options?.method ?? request?.method ?? 'GET'),
      // Checked by the relay: fetch() rejects any other value.
      String(options?.credentials ?? request?.credentials ?? 'same-origin') as FetchCredentials,
      // Iterating a Headers gives lower-case names, sorted, duplicates joined: what was sent.
      Array.from(new NativeHeaders(options?.headers ?? request?.headers)) as HookHeader[],
    ];
  }

  /**
   * Hands the page a stream that reads the original body at the page's own pace and shows the
   * hook every chunk on the way. Not `body.tee()`: with a tee the hook's branch keeps pulling
   * after the page cancels its own (the connection would stay open, which the server sees) and
   * the page's branch buffers without bound when the page reads slower than the network.
   */
  function mirror(body: ReadableStream<Uint8Array<ArrayBuffer>>, id: number): ReadableStream<Uint8Array<ArrayBuffer>> {
    // Locked at the first read, not before: until the page reads, the original is untouched.
    let reader: ReadableStreamDefaultReader<Uint8Array<ArrayBuffer>> | undefined;
    let over = false;
    const end = (message: PageHookWireMessage): void => {
      if (!over) emit(message);
      over = true;
    };
    return new NativeReadableStream({
      type: 'bytes',
      async pull(controller) {
        let chunk: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
        try {
          chunk = await (reader ??= body.getReader()).read();
        } catch (error) {
          end(['end', id, now(), 'error']);
          throw error;
        }
        if (chunk.done) {
          controller.close();
          return end(['end', id, now(), 'complete']);
        }
        // Copied before enqueue, which hands the chunk's buffer to the page.
        if (!over) {
          const copy = chunk.value.slice();
          emit(['chunk', id, now(), copy]);
        }
        controller.enqueue(chunk.value);
      },
      cancel(reason) {
        end(['close', id, now()]);
        return (reader ?? body).cancel(reason);
      },
    });
  }

  /** Reports a stream-asking request that got no response; `error` says how it ended. */
  function reportFailure(request: WireRequest, requestedAt: number, error: string): void {
    if (asksForStream(request)) emit(['failed', ++lastId, requestedAt, now(), ...request, error]);
  }

  /** Reports a response that is an event stream or was asked for one: its stream id, else 0. */
  function reportResponse(request: WireRequest, requestedAt: number, stream: boolean, status: number, statusText: string, contentType: string, url: string, redirected: boolean): number {
    if (!stream && !asksForStream(request)) return 0;
    emit(['http', ++lastId, requestedAt, now(), ...request, status, statusText, contentType, url, redirected]);
    return lastId;
  }

  function observe(response: Response, input: unknown, init: unknown, requestedAt: number): Response {
    try {
      const contentType = response.headers.get('content-type') ?? '';
      const body = EVENT_STREAM_TYPE.test(contentType) ? response.body : null;
      const stream = body !== null && !body.locked;
      // The page's request headers are read again only when it set some (most fetches set none).
      const request = stream || init || input instanceof NativeRequest ? requestOf(input, init) : null;
      const id = request ? reportResponse(request, requestedAt, stream, response.status, response.statusText, contentType, response.url, response.redirected) : 0;
      // A mis-typed stream is reported, not followed: its body is the page's alone.
      if (!id || !stream) return response;
      // The response is its own init: status, statusText and a copy of its headers.
      const page = new NativeResponse(mirror(body, id), response);
      // A constructed Response has url '', type 'default', redirected false: give back the real ones.
      for (const key of ['url', 'type', 'redirected'] as const) defineProperty(page, key, { value: response[key] });
      return page;
    } catch {
      return response;
    }
  }

  const fetchHook = {
    // A method: like the native fetch it has no prototype and is not a constructor; length 1.
    fetch(this: unknown, input: RequestInfo | URL): Promise<Response> {
      const init: unknown = arguments[1];
      const requestedAt = now();
      return apply(then, apply(nativeFetch, this, arguments), [
        (response: Response) => observe(response, input, init, requestedAt),
        (error: unknown) => {
          // A stream-asking fetch that rejects (CORS block, network error, abort) died at the handshake.
          try {
            reportFailure(requestOf(input, init), requestedAt, `${(error as Error).name}: ${(error as Error).message}`);
          } catch {
            // Whatever the page passed, its own rejection is what matters.
          }
          throw error;
        },
      ]) as Promise<Response>;
    },
  }.fetch;
  win.fetch = fetchHook;

  // ---- XMLHttpRequest ----

  const NativeXhr = win.XMLHttpRequest;
  if (NativeXhr) {
    const xhrPrototype = NativeXhr.prototype;
    // send() is not wrapped: open() marks when the request was made (pages call send() right
    // after), and withCredentials cannot change after send(), so it is read with the response.
    const { open, setRequestHeader, getResponseHeader, addEventListener: listenXhr } = xhrPrototype;
    const xhrTaps = new WeakMap<XMLHttpRequest, XhrTap>();

    // Listeners on the request itself change nothing the page sees (unlike listeners on
    // `xhr.upload`, which force a CORS preflight); reading responseText is idempotent.
    function onXhrEvent(this: XMLHttpRequest, event: Event): void {
      const tap = xhrTaps.get(this);
      if (!tap || tap.id < 0 || !event.isTrusted) return;
      const type = event.type;
      const progress = type === 'readystatechange';
      try {
        if (!tap.id) {
          const status = this.status;
          tap.request[2] = this.withCredentials ? 'include' : 'same-origin';
          // Status 0 is no response (yet, or ever: a network error, a CORS block, an abort).
          if (!status) return void (progress || reportFailure(tap.request, tap.requestedAt, type));
          const contentType = (apply(getResponseHeader, this, ['content-type']) as string | null) ?? '';
          const stream = EVENT_STREAM_TYPE.test(contentType);
          // XMLHttpRequest has no `redirected`: the hops are webRequest's to report.
          tap.id = reportResponse(tap.request, tap.requestedAt, stream, status, this.statusText, contentType, this.responseURL, false) || -1;
          // responseText throws for other response types: such a body is the page's alone.
          if (stream && (this.responseType || 'text') === 'text') tap.seen = 0;
        }
        if (tap.seen >= 0) {
          const text = this.responseText;
          if (text.length > tap.seen) emit(['text', tap.id, now(), text.slice(tap.seen)]);
          tap.seen = text.length;
        }
        if (progress || tap.id < 0) return;
        // The page's abort() is its own close; error and timeout end the body in error.
        emit(type === 'abort' ? ['close', tap.id, now()] : ['end', tap.id, now(), type === 'load' ? 'complete' : 'error']);
        tap.id = -1;
      } catch {
        // Whatever the page did to its request, its own events are what matter.
      }
    }

    // Methods with the natives' names and lengths; assignment keeps the prototype's attributes.
    xhrPrototype.open = {
      open(this: XMLHttpRequest, method: string, url: string | URL): void {
        apply(open, this, arguments);
        const previous = xhrTaps.get(this);
        // Opening again ends a request in flight without an event: for the page, a close.
        if (previous && previous.id > 0) emit(['close', previous.id, now()]);
        if (!previous) for (const type of XHR_EVENTS) apply(listenXhr, this, [type, onXhrEvent]);
        xhrTaps.set(this, { request: [String(url), String(method), 'same-origin', []], requestedAt: now(), id: 0, seen: -1 });
      },
    }.open;
    xhrPrototype.setRequestHeader = {
      setRequestHeader(this: XMLHttpRequest, name: string, value: string): void {
        apply(setRequestHeader, this, arguments);
        // Lower-case like a Headers' names, for the Accept check.
        xhrTaps.get(this)?.request[3].push([String(name).toLowerCase(), String(value)]);
      },
    }.setRequestHeader;
  }

  return { flush: () => post() };
}
