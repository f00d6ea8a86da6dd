import { EVENT_STREAM_TYPE, WIRE_MAX_DATA, WIRE_MAX_STRING, type FetchCredentials, type HookHeader, type PageHookWireBatch, type PageHookWireMessage, type WireRequest } from './protocol';

/**
 * The page-world hook: wraps `EventSource` and `fetch` in the page's own JavaScript world, at
 * document_start, so that every event stream the page opens is reported with the page's view of
 * it (readyState transitions, open/error/message timing, close(), fetch streams that fail at the
 * handshake or come back mis-typed). It is injected into every frame of every page, so it must
 * be invisible, nearly free and small (under 4 KB built: XMLHttpRequest streams, about 1.4 KB
 * more, do not fit):
 * - everything it calls later is captured at install, before any page script can replace it;
 * - it posts raw facts (protocol.ts, "Hop 1 on the wire"): per event five slots appended to an
 *   array, per fetch chunk a copy of the bytes; checking, bookkeeping and parsing are the
 *   relay's (page-hook-relay.ts), at idle time;
 * - it posts when the page is idle, in one batch (one structured clone);
 * - a fetch that is not an event stream costs a Content-Type check (and an Accept check when the
 *   page set headers).
 */

/** The globals the hook reads, so tests can pass a plain object. */
export interface PageHookWindow {
  EventSource: typeof EventSource;
  fetch: typeof fetch;
  Response: typeof Response;
  Request: typeof Request;
  Headers: typeof Headers;
  ReadableStream: typeof ReadableStream;
  performance: { readonly timeOrigin: number; now(): number };
  setTimeout(callback: () => void, ms: number): unknown;
  /** Preferred when present: posting waits for the page to be idle. */
  requestIdleCallback?(callback: () => void, options: { timeout: number }): unknown;
}

export interface PageHookLimits {
  /** EventSource events sent per stream; later ones are only counted (`dropped`). */
  readonly maxEventsPerStream: number;
  /** Messages plus EventSource events waiting for an idle moment; past this many they are posted at once. */
  readonly maxPendingMessages: number;
  /** The longest posting waits for the page to be idle. */
  readonly maxDelayMs: number;
}

export const DEFAULT_PAGE_HOOK_LIMITS: PageHookLimits = { maxEventsPerStream: 10_000, maxPendingMessages: 20_000, maxDelayMs: 250 };

export interface PageHook {
  /** Posts what is batched now (tests; the hook posts on its own). */
  flush(): void;
}

/** Posts one batch; `transfer` holds the fetch chunks' buffers, moved rather than copied. */
export type PageHookSend = (batch: PageHookWireBatch, transfer: ArrayBuffer[]) => void;

// Connection events (and server events named like them); every other type is a server event.
const CONNECTION_TYPES = ['open', 'error'];

function clip(text: string, max = WIRE_MAX_STRING): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** The request asked for an event stream (`Accept: text/event-stream`). */
function asksForStream(request: WireRequest): boolean {
  return request[3].some(([name, value]) => name === 'accept' && EVENT_STREAM_TYPE.test(value));
}

interface EventSourceTap {
  readonly id: number;
  /** The listener for server events: `message` and the named types the page listens to. */
  readonly listener: (event: MessageEvent) => void;
  /** Event types listened to. */
  readonly types: Set<string>;
  events: number;
  /** Events past `maxEventsPerStream`, only counted. */
  dropped: number;
}

export function installPageHook(win: PageHookWindow, send: PageHookSend, limits: PageHookLimits = DEFAULT_PAGE_HOOK_LIMITS): PageHook {
  // Captured now: page scripts run later and may replace any of these.
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const { EventSource: NativeEventSource, fetch: nativeFetch, Response: NativeResponse, Request: NativeRequest, Headers: NativeHeaders, ReadableStream: NativeReadableStream, performance, setTimeout: setTimer, requestIdleCallback: idleCallback } = win;
  const listen = NativeEventSource.prototype.addEventListener;
  const nativeClose = NativeEventSource.prototype.close;
  const then = Promise.prototype.then;
  const timeOrigin = performance.timeOrigin;
  const performanceNow = performance.now;
  const now = () => timeOrigin + apply(performanceNow, performance, []);
  const { maxEventsPerStream, maxPendingMessages, maxDelayMs } = limits;

  let pending: PageHookWireMessage[] = [];
  // Messages plus events waiting: what `maxPendingMessages` bounds.
  let pendingCount = 0;
  // The last pending message when it is an `events` tuple: the next event of its stream joins it.
  let events: ['events', number, (string | number)[]] | null = null;
  let idleRequested = false;
  let lastId = 0;
  // Streams whose dropped count changed since the last post.
  const dropping = new Set<EventSourceTap>();

  function post(): void {
    idleRequested = false;
    for (const tap of dropping) pending.push(['dropped', tap.id, tap.dropped]);
    dropping.clear();
    const batch = pending;
    pending = [];
    pendingCount = 0;
    events = null;
    if (batch.length === 0) return;
    // Fetch chunks are copies made for the relay: their buffers move with the batch.
    const transfer: ArrayBuffer[] = [];
    for (const message of batch) if (message[0] === 'chunk') transfer.push(message[3].buffer as ArrayBuffer);
    try {
      send(batch, transfer);
    } catch {
      // A closed channel must never surface in the page.
    }
  }

  function schedule(): void {
    if (++pendingCount >= maxPendingMessages) post();
    else if (!idleRequested) {
      idleRequested = true;
      if (idleCallback) apply(idleCallback, win, [post, { timeout: maxDelayMs }]);
      else apply(setTimer, win, [post, maxDelayMs]);
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

  // The page sees `EventSource`: name, length 1, constants through the prototype chain, instanceof.
  class EventSourceHook extends NativeEventSource {
    constructor(url: string | URL, ...init: [EventSourceInit?]) {
      super(url, ...init);
      const id = ++lastId;
      const source = this as EventSource;
      // Functions, not handleEvent objects: the browser calls them without a property lookup.
      const listener = (event: MessageEvent): void => {
        // Events the page dispatches itself (es.dispatchEvent(...)) are not the browser's.
        if (!event.isTrusted) return;
        // Past the bound only counted: no strings read, nothing sent but the count.
        if (++tap.events > maxEventsPerStream) {
          tap.dropped++;
          dropping.add(tap);
          return schedule();
        }
        const data = event.data as string;
        if (events?.[1] !== id) pending.push((events = ['events', id, []]));
        events[2].push(clip(event.type), clip(data, WIRE_MAX_DATA), clip(event.lastEventId), data.length, timeOrigin + event.timeStamp);
        schedule();
      };
      const tap: EventSourceTap = { id, listener, types: new Set(['open', 'error', 'message']), events: 0, dropped: 0 };
      taps.set(source, tap);
      // Registered before the page can add its own, so readyState is read as the page will see it.
      for (const type of CONNECTION_TYPES) {
        apply(listen, source, [
          type,
          (event: Event) => {
            // A server can name an event `open` or `error`: that is a MessageEvent, not the connection's.
            if (typeof (event as MessageEvent).data === 'string') listener(event as MessageEvent);
            else if (event.isTrusted) emit([type as 'open' | 'error', id, timeOrigin + event.timeStamp, source.readyState]);
          },
        ]);
      }
      apply(listen, source, ['message', listener]);
      emit(['es', id, now(), clip(source.url), source.withCredentials]);
    }

    override close(): void {
      apply(nativeClose, this, []);
      const tap = taps.get(this);
      if (tap) emit(['close', tap.id, now()]);
    }

    // Named events (`event: update`) reach only listeners of that type: follow the page's ones.
    // `arguments` keeps the page's call as it was.
    override addEventListener(type: string, listener: unknown, ...options: unknown[]): void {
      const tap = taps.get(this);
      if (tap && typeof type === 'string' && !tap.types.has(type) && tap.types.size < 64) {
        tap.types.add(type);
        apply(listen, this, [type, tap.listener]);
      }
      apply(listen, this, arguments);
    }
  }
  defineProperty(EventSourceHook, 'name', { value: 'EventSource' });
  // Assignment keeps the global's attributes (writable, configurable, not enumerable).
  win.EventSource = EventSourceHook;

  // ---- fetch ----

  function requestOf(input: unknown, init: unknown): WireRequest {
    const request = input instanceof NativeRequest ? input : null;
    const options = typeof init === 'object' ? (init as RequestInit | null) : null;
    return [
      clip(request ? request.url : String(input)),
      clip(String(options?.method ?? request?.method ?? 'GET')),
      // Checked by the relay: fetch() rejects any other value.
      String(options?.credentials ?? request?.credentials ?? 'same-origin') as FetchCredentials,
      // Iterating a Headers gives lower-case names, sorted, duplicates joined: what was sent.
      Array.from(new NativeHeaders(options?.headers ?? request?.headers), ([name, value]): HookHeader => [clip(name), clip(value)]),
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
        if (!over) emit(['chunk', id, now(), chunk.value.slice()]);
        controller.enqueue(chunk.value);
      },
      cancel(reason) {
        end(['close', id, now()]);
        return (reader ?? body).cancel(reason);
      },
    });
  }

  function observe(response: Response, input: unknown, init: unknown, requestedAt: number): Response {
    try {
      const contentType = response.headers.get('content-type') ?? '';
      const body = EVENT_STREAM_TYPE.test(contentType) ? response.body : null;
      const stream = body !== null && !body.locked;
      // The page's request headers are read again only when it set some (most fetches set none).
      const request = stream || init || input instanceof NativeRequest ? requestOf(input, init) : null;
      if (!request || !(stream || asksForStream(request))) return response;
      const id = ++lastId;
      emit(['http', id, requestedAt, now(), ...request, response.status, clip(response.statusText), clip(contentType), clip(response.url), response.redirected]);
      // A mis-typed stream is reported, not followed: its body is the page's alone.
      if (!body || !stream) return response;
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
            const request = requestOf(input, init);
            if (asksForStream(request)) emit(['failed', ++lastId, requestedAt, now(), ...request, clip(`${(error as Error).name}: ${(error as Error).message}`)]);
          } catch {
            // Whatever the page passed, its own rejection is what matters.
          }
          throw error;
        },
      ]) as Promise<Response>;
    },
  }.fetch;
  win.fetch = fetchHook;

  return { flush: post };
}
