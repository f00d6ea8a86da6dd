import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PAGE_HOOK_LIMITS, installPageHook, type PageHookLimits, type PageHookWindow } from '../../../lib/capture/page-hook';
import { connectPageHook, offerPageHookChannel } from '../../../lib/capture/page-hook-channel';
import { createHookRelay, DEFAULT_RELAY_LIMITS, type RelayLimits } from '../../../lib/capture/page-hook-relay';
import { parsePageHookWireBatch, type PageHookMessage, type PageHookWireBatch } from '../../../lib/capture/protocol';

/** A browser-like event as the fake EventSource dispatches it. */
interface FakeEvent {
  readonly type: string;
  readonly isTrusted: boolean;
  readonly timeStamp: number;
  readonly data?: string;
  readonly lastEventId?: string;
}

type Listener = ((this: unknown, event: FakeEvent) => void) | { handleEvent(event: FakeEvent): void };

/**
 * Enough of EventSource for the hook, as the DOM Standard has it: one listener list in
 * registration order, deduped on (type, callback, capture), `once` and `signal` honoured, the
 * `on…` handlers as accessors on the prototype whose listener takes its place in the list when
 * first set; and driver methods that play the browser's part (readyState set before dispatch).
 */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static created: FakeEventSource[] = [];
  readyState = 0;
  readonly url: string;
  readonly withCredentials: boolean;
  private readonly listeners: { type: string; callback: Listener; capture: boolean; once: boolean; removed: boolean }[] = [];
  private readonly handlers = new Map<string, { value: (event: FakeEvent) => unknown; listener: (event: FakeEvent) => void }>();
  /** Exceptions thrown by listeners: the browser reports them (window.onerror) and calls the next listener. */
  static reported: unknown[] = [];

  constructor(url: string, init?: { withCredentials?: boolean }) {
    this.url = new URL(url, 'https://app.test/').href;
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.created.push(this);
  }

  addEventListener(type: string, callback: Listener | null, options?: boolean | { capture?: boolean; once?: boolean; signal?: AbortSignal }): void {
    const capture = typeof options === 'object' ? !!options.capture : !!options;
    const once = typeof options === 'object' && !!options.once;
    const signal = typeof options === 'object' ? options.signal : undefined;
    if (!callback || signal?.aborted) return;
    if (this.listeners.some((l) => l.type === type && l.callback === callback && l.capture === capture)) return;
    this.listeners.push({ type, callback, capture, once, removed: false });
    signal?.addEventListener('abort', () => this.removeEventListener(type, callback, capture));
  }

  removeEventListener(type: string, callback: Listener | null, options?: boolean | { capture?: boolean }): void {
    const capture = typeof options === 'object' ? !!options.capture : !!options;
    const index = this.listeners.findIndex((l) => l.type === type && l.callback === callback && l.capture === capture);
    if (index < 0) return;
    const [listener] = this.listeners.splice(index, 1);
    if (listener) listener.removed = true;
  }

  /** The event handler IDL attribute: its listener joins the list when first set, and leaves it when set to null. */
  protected handler(type: string): ((event: FakeEvent) => unknown) | null {
    return this.handlers.get(type)?.value ?? null;
  }
  protected setHandler(type: string, value: ((event: FakeEvent) => unknown) | null): void {
    const slot = this.handlers.get(type);
    if (slot && value !== null) slot.value = value;
    else if (slot) {
      this.removeEventListener(type, slot.listener);
      this.handlers.delete(type);
    } else if (value !== null) {
      const created = { value, listener: (event: FakeEvent): void => void created.value.call(this, event) };
      this.handlers.set(type, created);
      this.addEventListener(type, created.listener);
    }
  }

  close(): void {
    this.readyState = 2;
  }

  dispatch(event: FakeEvent): void {
    for (const listener of [...this.listeners]) {
      if (listener.type !== event.type || listener.removed) continue;
      if (listener.once) this.removeEventListener(listener.type, listener.callback, listener.capture);
      const { callback } = listener;
      try {
        if (typeof callback === 'function') callback.call(this, event);
        else callback.handleEvent(event);
      } catch (error) {
        FakeEventSource.reported.push(error);
      }
    }
  }

  // The browser's part.
  open(at = 10): void {
    this.readyState = 1;
    this.dispatch({ type: 'open', isTrusted: true, timeStamp: at });
  }
  serverEvent(type: string, data: string, lastEventId = '', at = 20): void {
    this.dispatch({ type, isTrusted: true, timeStamp: at, data, lastEventId });
  }
  fail(reconnecting: boolean, at = 30): void {
    this.readyState = reconnecting ? 0 : 2;
    this.dispatch({ type: 'error', isTrusted: true, timeStamp: at });
  }
}
for (const type of ['open', 'message', 'error']) {
  Object.defineProperty(FakeEventSource.prototype, `on${type}`, {
    configurable: true,
    enumerable: true,
    get(this: FakeEventSource) {
      return this['handler'](type);
    },
    set(this: FakeEventSource, value: ((event: FakeEvent) => unknown) | null) {
      this['setHandler'](type, typeof value === 'function' ? value : null);
    },
  });
}
interface FakeEventSource {
  onopen: ((event: FakeEvent) => unknown) | null;
  onmessage: ((event: FakeEvent) => unknown) | null;
  onerror: ((event: FakeEvent) => unknown) | null;
}

/**
 * Enough of XMLHttpRequest for the hook, a fresh class per window (the hook patches its
 * prototype): listeners in registration order, then the `on…` handler, and driver methods that
 * play the browser's part in the order browsers dispatch (readystatechange for every chunk).
 */
function fakeXhrClass() {
  return class FakeXMLHttpRequest {
    static readonly created: FakeXMLHttpRequest[] = [];
    readyState = 0;
    status = 0;
    statusText = '';
    responseURL = '';
    responseType = '';
    withCredentials = false;
    /** What the page's request did: the fake's view of the network. */
    readonly sent: { method: string; url: string; headers: [string, string][] } = { method: '', url: '', headers: [] };
    onreadystatechange: ((event: FakeEvent) => void) | null = null;
    private body = '';
    private contentType: string | null = null;
    private readonly listeners: [string, (event: FakeEvent) => void][] = [];

    constructor() {
      FakeXMLHttpRequest.created.push(this);
    }

    get responseText(): string {
      if (this.responseType !== '' && this.responseType !== 'text') throw new DOMException('responseType is not text', 'InvalidStateError');
      return this.body;
    }
    open(method: string, url: string): void {
      Object.assign(this.sent, { method, url, headers: [] });
      Object.assign(this, { readyState: 1, status: 0, body: '', contentType: null });
    }
    setRequestHeader(name: string, value: string): void {
      if (this.readyState !== 1) throw new DOMException('not opened', 'InvalidStateError');
      this.sent.headers.push([name, value]);
    }
    send(): void {}
    getResponseHeader(name: string): string | null {
      return name.toLowerCase() === 'content-type' ? this.contentType : null;
    }
    addEventListener(type: string, listener: (event: FakeEvent) => void): void {
      this.listeners.push([type, listener]);
    }
    private dispatch(type: string): void {
      const event = { type, isTrusted: true, timeStamp: 0 };
      for (const [listened, listener] of [...this.listeners]) if (listened === type) listener.call(this, event);
      if (type === 'readystatechange') this.onreadystatechange?.call(this, event);
    }

    // The browser's part.
    respond(status: number, contentType: string | null, url = new URL(this.sent.url, 'https://app.test/').href): void {
      Object.assign(this, { status, statusText: 'OK', contentType, responseURL: url, readyState: 2 });
      this.dispatch('readystatechange');
    }
    receive(text: string): void {
      this.body += text;
      this.readyState = 3;
      this.dispatch('readystatechange');
      this.dispatch('progress');
    }
    finish(): void {
      this.readyState = 4;
      for (const type of ['readystatechange', 'load', 'loadend']) this.dispatch(type);
    }
    /** A network error, CORS block, timeout or abort: status 0 and no body, as the standard says. */
    fail(type: 'error' | 'timeout' | 'abort'): void {
      Object.assign(this, { status: 0, statusText: '', body: '', contentType: null, readyState: 4 });
      for (const event of ['readystatechange', type, 'loadend']) this.dispatch(event);
    }
  };
}

type FakeXhr = InstanceType<ReturnType<typeof fakeXhrClass>>;

const TIME_ORIGIN = 1_760_000_000_000;

interface FakeWindow extends PageHookWindow {
  /** Pending idle callbacks. */
  readonly timers: (() => void)[];
}

/** The hook's globals, with the attributes a browser window gives them. */
function fakeWindow(fetchImpl: typeof fetch = () => Promise.reject(new Error('no fetch'))): FakeWindow {
  const timers: (() => void)[] = [];
  const win = {
    Response,
    Request,
    Headers,
    ReadableStream,
    performance: { timeOrigin: TIME_ORIGIN, now: () => 5 },
    requestIdleCallback: (callback: () => void) => timers.push(callback),
    timers,
  };
  Object.defineProperty(win, 'EventSource', { value: FakeEventSource, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(win, 'fetch', { value: fetchImpl, writable: true, configurable: true, enumerable: true });
  Object.defineProperty(win, 'XMLHttpRequest', { value: fakeXhrClass(), writable: true, configurable: true, enumerable: false });
  return win as unknown as FakeWindow;
}

/**
 * The hook wired to a relay as the extension wires them: each batch crosses a structured clone
 * (with the chunks' buffers transferred, as over the port), the relay parses what the hook left to it.
 */
function hooked(win: FakeWindow, options: { hook?: Partial<PageHookLimits>; relay?: Partial<RelayLimits> } = {}) {
  const sent: PageHookWireBatch[] = [];
  const relay = createHookRelay({
    limits: { ...DEFAULT_RELAY_LIMITS, ...options.relay },
    scheduler: { requestIdle: () => undefined, now: () => 0 },
    baseUrl: () => 'https://app.test/page',
  });
  const hook = installPageHook(
    win,
    (batch, transfer) => {
      sent.push(batch);
      relay.receive(structuredClone(batch, { transfer }));
    },
    { ...DEFAULT_PAGE_HOOK_LIMITS, ...options.hook },
  );
  return {
    hook,
    relay,
    /** What the hook posted, batch by batch (fetch chunks detached: they were transferred). */
    sent,
    /** Every observation so far, after posting what is batched. */
    messages(): PageHookMessage[] {
      hook.flush();
      relay.flush();
      return [...relay.messages];
    },
  };
}

/** A page script: what it observes is what the hook must leave unchanged. */
function eventSourcePage(win: PageHookWindow): { source: EventSource; seen: unknown[] } {
  const seen: unknown[] = [];
  const Source = win.EventSource;
  const source = new Source('/stream', { withCredentials: true });
  seen.push(['created', source instanceof Source, Source.CONNECTING, Source.OPEN, Source.CLOSED, source.url, source.withCredentials, source.readyState]);
  source.onopen = () => seen.push(['onopen', source.readyState]);
  source.addEventListener('message', (e) => seen.push(['message', e.data, e.lastEventId, source.readyState]));
  source.addEventListener('update', (e) => seen.push(['update', (e as MessageEvent).data]));
  source.onerror = () => seen.push(['onerror', source.readyState]);
  return { source, seen };
}

function lastCreated(): FakeEventSource {
  const source = FakeEventSource.created.at(-1);
  if (!source) throw new Error('no EventSource');
  return source;
}

/** The same browser behaviour, played on whichever EventSource the page created. */
function playStream(): void {
  const browser = lastCreated();
  browser.open(10);
  browser.serverEvent('message', 'a', '1', 20);
  browser.serverEvent('update', 'u', '1', 21);
  browser.serverEvent('ignored', 'nobody listens', '1', 22);
  browser.fail(true, 30);
  browser.open(40);
  browser.serverEvent('error', 'a server-sent event named error', '2', 41);
  browser.fail(false, 50);
}

const at = (ms: number) => TIME_ORIGIN + ms;

describe('installPageHook: EventSource', () => {
  it('leaves what the page sees unchanged: events, readyStates, instanceof, constants, the global', () => {
    const plain = eventSourcePage(fakeWindow());
    playStream();
    const win = fakeWindow();
    hooked(win);
    const withHook = eventSourcePage(win);
    playStream();
    expect(withHook.seen).toEqual(plain.seen);
    expect(withHook.source instanceof FakeEventSource).toBe(true);
    expect([win.EventSource.name, win.EventSource.length, win.EventSource.prototype.addEventListener.length, win.EventSource.prototype.removeEventListener.length, win.EventSource.prototype.close.length]).toEqual(['EventSource', 1, 2, 2, 0]);
    expect(Object.getOwnPropertyDescriptor(win, 'EventSource')).toMatchObject({ writable: true, configurable: true, enumerable: false });
  });

  it('reports creation, readyState transitions, open/error and the events the page can see', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    eventSourcePage(win);
    playStream();
    expect(messages()).toEqual([
      { type: 'stream-created', kind: 'eventsource', streamId: 1, at: at(5), url: 'https://app.test/stream', withCredentials: true },
      { type: 'ready-state', streamId: 1, state: 0, at: at(5) },
      { type: 'open', streamId: 1, at: at(10) },
      { type: 'ready-state', streamId: 1, state: 1, at: at(10) },
      { type: 'message', streamId: 1, event: 'message', data: 'a', lastEventId: '1', size: 1, at: at(20) },
      { type: 'message', streamId: 1, event: 'update', data: 'u', lastEventId: '1', size: 1, at: at(21) },
      { type: 'error', streamId: 1, at: at(30) },
      { type: 'ready-state', streamId: 1, state: 0, at: at(30) },
      { type: 'open', streamId: 1, at: at(40) },
      { type: 'ready-state', streamId: 1, state: 1, at: at(40) },
      { type: 'message', streamId: 1, event: 'error', data: 'a server-sent event named error', lastEventId: '2', size: 31, at: at(41) },
      { type: 'error', streamId: 1, at: at(50) },
      { type: 'ready-state', streamId: 1, state: 2, at: at(50) },
    ]);
  });

  it('reports close() by the page once, and closes the stream for the page', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    const { source } = eventSourcePage(win);
    lastCreated().open();
    source.close();
    source.close();
    expect(source.readyState).toBe(2);
    expect(messages().slice(-2)).toEqual([
      { type: 'closed-by-page', streamId: 1, at: at(5) },
      { type: 'ready-state', streamId: 1, state: 2, at: at(5) },
    ]);
  });

  it('ignores events the page dispatches itself', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    eventSourcePage(win);
    lastCreated().dispatch({ type: 'message', isTrusted: false, timeStamp: 1, data: 'forged', lastEventId: '' });
    lastCreated().dispatch({ type: 'error', isTrusted: false, timeStamp: 1 });
    expect(messages().map((m) => m.type)).toEqual(['stream-created', 'ready-state']);
  });

  it('cuts event data in the page world and keeps its full size; the relay bounds events and streams', () => {
    const win = fakeWindow();
    const { messages, sent } = hooked(win, { relay: { maxEventsPerStream: 2, maxStreams: 1 } });
    eventSourcePage(win);
    const browser = lastCreated();
    browser.serverEvent('message', 'x'.repeat(20_000));
    for (let i = 0; i < 5; i++) browser.serverEvent('message', 'y');
    new win.EventSource('/second');
    new win.EventSource('/third');
    const observed = messages();
    expect(sent.flat().find((m) => m[0] === 'events')?.[2].slice(0, 5).map((slot) => (typeof slot === 'string' ? slot.length : slot))).toEqual([7, 16_384, 0, 20_000, at(20)]);
    expect(observed.filter((m) => m.type === 'message').map((m) => m.type === 'message' && [m.data.length, m.size])).toEqual([[16_384, 20_000], [1, 1]]);
    expect(observed.filter((m) => m.type === 'dropped' || m.type === 'streams-dropped')).toEqual([
      { type: 'dropped', streamId: 1, count: 4 },
      { type: 'streams-dropped', count: 2 },
    ]);
  });

  it('past its per-stream bound only counts: reads no event data, posts a running total', () => {
    const win = fakeWindow();
    const { messages, sent, hook } = hooked(win, { hook: { maxEventsPerStream: 2 } });
    eventSourcePage(win);
    const browser = lastCreated();
    let reads = 0;
    const event = (n: number) => ({
      type: 'message',
      isTrusted: true,
      timeStamp: n,
      lastEventId: '',
      get data() {
        reads++;
        return String(n);
      },
    });
    for (let n = 1; n <= 5; n++) browser.dispatch(event(n));
    hook.flush();
    browser.dispatch(event(6));
    // The page reads each event's data once (its listener); the hook only the first two.
    expect(reads).toBe(6 + 2);
    expect(sent.flat().filter((m) => m[0] === 'dropped')).toEqual([['dropped', 1, 3]]);
    expect(messages().filter((m) => m.type === 'message' || m.type === 'dropped')).toEqual([
      { type: 'message', streamId: 1, event: 'message', data: '1', lastEventId: '', size: 1, at: at(1) },
      { type: 'message', streamId: 1, event: 'message', data: '2', lastEventId: '', size: 1, at: at(2) },
      { type: 'dropped', streamId: 1, count: 3 },
      { type: 'dropped', streamId: 1, count: 4 },
    ]);
  });

  it('posts when the page is idle, or at once past the pending bound; one batch, never per event', () => {
    const idle: (() => void)[] = [];
    const win = Object.assign(fakeWindow(), { requestIdleCallback: (callback: () => void) => idle.push(callback) });
    const { sent } = hooked(win, { hook: { maxPendingMessages: 4 } });
    eventSourcePage(win);
    expect(sent).toHaveLength(0);
    expect(idle).toHaveLength(1);
    const browser = lastCreated();
    browser.open();
    browser.serverEvent('message', 'a');
    browser.serverEvent('message', 'b');
    // The stream, its open, and one tuple carrying both events: 4 pending, posted at once.
    expect(sent.map((batch) => batch.map((m) => m[0]))).toEqual([['es', 'open', 'events']]);
    browser.serverEvent('message', 'c');
    idle[0]?.();
    expect(sent.map((batch) => batch.map((m) => m[0]))).toEqual([['es', 'open', 'events'], ['events']]);
  });

  it('asks for one idle callback at a time, with a deadline; what arrives meanwhile joins that batch', () => {
    const idle: { callback: () => void; timeout: number }[] = [];
    const win = Object.assign(fakeWindow(), {
      requestIdleCallback: (callback: () => void, options: { timeout: number }) => idle.push({ callback, timeout: options.timeout }),
    });
    const { sent } = hooked(win);
    new win.EventSource('/stream');
    const browser = lastCreated();
    browser.open();
    browser.serverEvent('message', 'a');
    browser.serverEvent('message', 'b');
    expect(idle.map((request) => request.timeout)).toEqual([DEFAULT_PAGE_HOOK_LIMITS.maxDelayMs]);
    idle[0]?.callback();
    const tags = () => sent.map((batch) => batch.map((m) => (m[0] === 'events' ? m[2].filter((_, i) => i % 5 === 1) : m[0])));
    expect(tags()).toEqual([['es', 'open', ['a', 'b']]]);
    // The next message asks for the next callback.
    browser.serverEvent('message', 'c');
    browser.fail(true);
    expect(idle).toHaveLength(2);
    idle[1]?.callback();
    expect(tags()).toEqual([['es', 'open', ['a', 'b']], [['c'], 'error']]);
  });

  it('reads an event while the page handles it, and skips one whose fields throw', () => {
    const win = fakeWindow();
    const { hook, sent } = hooked(win);
    new win.EventSource('/stream');
    const reads: string[] = [];
    const event = (data: () => string) => ({
      type: 'message',
      isTrusted: true,
      timeStamp: 7,
      lastEventId: '',
      get data() {
        const value = data();
        reads.push(value);
        return value;
      },
    });
    lastCreated().dispatch(event(() => 'a'));
    expect(reads).toEqual(['a']);
    // A page can redefine what the hook reads; the hook skips that event and posts the others.
    expect(() =>
      lastCreated().dispatch(
        event(() => {
          throw new Error('redefined');
        }),
      ),
    ).not.toThrow();
    lastCreated().dispatch(event(() => 'c'));
    hook.flush();
    expect(reads).toEqual(['a', 'c']);
    expect(sent.flat().filter((m) => m[0] === 'events')).toEqual([['events', 1, ['message', 'a', '', 1, at(7), 'message', 'c', '', 1, at(7)]]]);
  });

  it('keeps each stream\'s events in order with everything else, one tuple per run of events', () => {
    const win = fakeWindow();
    const { hook, sent } = hooked(win);
    new win.EventSource('/one');
    const one = lastCreated();
    new win.EventSource('/two');
    const two = lastCreated();
    one.serverEvent('message', '1a');
    one.serverEvent('message', '1b');
    two.serverEvent('message', '2a');
    one.serverEvent('message', '1c');
    one.fail(true);
    one.serverEvent('message', '1d');
    hook.flush();
    expect(sent[0]?.map((m) => (m[0] === 'events' ? [m[1], m[2].filter((_, i) => i % 5 === 1)] : m[0]))).toEqual(['es', 'es', [1, ['1a', '1b']], [2, ['2a']], [1, ['1c']], 'error', [1, ['1d']]]);
    expect(parsePageHookWireBatch(structuredClone(sent[0])).rejected).toBe(0);
  });
});

const encoder = new TextEncoder();

/** A server response whose body is delivered chunk by chunk as the reader pulls. */
function sseResponse(chunks: readonly string[], options: { contentType?: string; status?: number; fail?: boolean; onCancel?: () => void } = {}): Response {
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk !== undefined) controller.enqueue(encoder.encode(chunk));
      else if (options.fail) controller.error(new TypeError('network error'));
      else controller.close();
    },
    cancel: options.onCancel,
  });
  const response = new Response(body, { status: options.status ?? 200, statusText: 'OK', headers: { 'content-type': options.contentType ?? 'text/event-stream; charset=utf-8' } });
  Object.defineProperty(response, 'url', { value: 'https://api.test/stream' });
  Object.defineProperty(response, 'redirected', { value: true });
  return response;
}

async function readAll(response: Response): Promise<{ bytes: number[]; error: unknown }> {
  const bytes: number[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, error: null };
      bytes.push(...value);
    }
  } catch (error) {
    return { bytes, error };
  }
}

const CHUNKS = ['id: 1\nevent: tick\ndata: a\n\nda', 'ta: é\n', '\n: comment\ndata: c\n\nid: 9\ndata: partial'];
const ASKS = { headers: { Accept: 'text/event-stream' } };

/**
 * A page that adds, replaces and removes listeners between server events in every way the DOM
 * allows; `step(n)` plays event n. Returns what the page saw.
 */
function listenerPage(win: PageHookWindow, step: (n: number) => void): unknown[] {
  const seen: unknown[] = [];
  const source = new win.EventSource('/stream');
  const data = (event: Event) => (event as MessageEvent).data as string;
  step(1); // nobody listens
  const plain = function (this: unknown, event: Event) {
    seen.push(['plain', this === source, data(event)]);
  };
  const handler = (event: MessageEvent) => seen.push(['onmessage', data(event)]);
  const object = { handleEvent: (event: Event) => seen.push(['object 1', data(event)]) };
  source.addEventListener('message', plain);
  source.addEventListener('message', plain); // deduped
  source.onmessage = handler;
  source.addEventListener('message', object);
  seen.push(['getter', source.onmessage === handler]);
  step(2);
  source.removeEventListener('message', plain);
  object.handleEvent = (event: Event) => seen.push(['object 2', data(event)]);
  step(3);
  const thrower = () => {
    throw new Error('boom');
  };
  source.addEventListener('message', thrower);
  source.addEventListener('message', (event) => seen.push(['once', data(event)]), { once: true });
  step(4);
  step(5);
  source.removeEventListener('message', thrower);
  source.onmessage = null;
  source.removeEventListener('message', object);
  seen.push(['getter', source.onmessage]);
  step(6); // nobody listens again
  const captured = (event: Event) => seen.push(['capture', data(event)]);
  source.addEventListener('message', captured, true);
  source.removeEventListener('message', captured); // another registration: the capturing one stays
  const aborter = new AbortController();
  source.addEventListener('update', (event) => seen.push(['update', data(event)]), { signal: aborter.signal });
  step(7);
  aborter.abort();
  source.removeEventListener('message', captured, { capture: true });
  step(8);
  return seen;
}

describe('installPageHook: the page\'s EventSource listeners', () => {
  const play = (n: number) => lastCreated().serverEvent(n === 7 ? 'update' : 'message', String(n), '', n);

  it('are wrapped: the page sees what it sees without the hook, exceptions included', () => {
    FakeEventSource.reported = [];
    const plain = listenerPage(fakeWindow(), play);
    const plainReported = FakeEventSource.reported;
    FakeEventSource.reported = [];
    const win = fakeWindow();
    hooked(win);
    const withHook = listenerPage(win, play);
    expect(withHook).toEqual(plain);
    expect(FakeEventSource.reported).toEqual(plainReported);
    expect(plainReported.map(String)).toEqual(['Error: boom', 'Error: boom']);
    expect(plain).toContainEqual(['getter', true]);
  });

  it('capture every event, listened to or not, whatever the page adds and removes', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    listenerPage(win, play);
    lastCreated().serverEvent('message', 'last', '', 9);
    expect(messages().flatMap((m) => (m.type === 'message' ? [[m.event, m.data]] : []))).toEqual([
      ['message', '1'],
      ['message', '2'],
      ['message', '3'],
      ['message', '4'],
      ['message', '5'],
      ['message', '6'],
      ['update', '7'],
      ['message', '8'],
      ['message', 'last'],
    ]);
  });

  it('leave the browser one listener per event to call while the page listens', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    const source = new win.EventSource('/stream');
    const browser = lastCreated();
    const calls = () => browser['listeners'].filter((l) => l.type === 'message').length;
    // Before the page listens, the hook does.
    expect(calls()).toBe(1);
    source.onmessage = () => undefined;
    // The hook's listener steps out at the first event the page's wrapper recorded.
    browser.serverEvent('message', 'a');
    expect(calls()).toBe(1);
    source.addEventListener('message', () => undefined);
    browser.serverEvent('message', 'b');
    expect(calls()).toBe(2);
    source.onmessage = null;
    browser.serverEvent('message', 'c');
    expect(calls()).toBe(1);
    expect(messages().filter((m) => m.type === 'message')).toHaveLength(3);
  });
});

describe('installPageHook: fetch', () => {
  it('gives the page the same status, headers, url and body bytes', async () => {
    const plain = await fakeWindow(async () => sseResponse(CHUNKS)).fetch('https://api.test/stream');
    const win = fakeWindow(async () => sseResponse(CHUNKS));
    hooked(win);
    const page = await win.fetch('https://api.test/stream');
    expect(page).not.toBe(plain);
    expect(page instanceof Response).toBe(true);
    for (const key of ['status', 'statusText', 'url', 'redirected', 'type', 'ok'] as const) expect(page[key]).toEqual(plain[key]);
    expect([...page.headers]).toEqual([...plain.headers]);
    expect(await readAll(page)).toEqual(await readAll(plain));
    expect([win.fetch.name, win.fetch.length, 'prototype' in win.fetch]).toEqual(['fetch', 1, false]);
    expect(Object.getOwnPropertyDescriptor(win, 'fetch')).toMatchObject({ writable: true, configurable: true, enumerable: true });
  });

  it('reports the request, the response and the parsed events, at the page pace', async () => {
    const win = fakeWindow(async () => sseResponse(CHUNKS));
    const { messages } = hooked(win);
    const page = await win.fetch('https://api.test/stream', { method: 'POST', credentials: 'include', headers: { Authorization: 'Bearer t', 'X-Trace': '1' } });
    expect(messages()).toEqual([
      { type: 'stream-created', kind: 'fetch', streamId: 1, at: at(5), url: 'https://api.test/stream', method: 'POST', credentials: 'include', requestHeaders: [['authorization', 'Bearer t'], ['x-trace', '1']] },
      { type: 'fetch-response', streamId: 1, at: at(5), status: 200, statusText: 'OK', contentType: 'text/event-stream; charset=utf-8', redirected: true },
    ]);
    await readAll(page);
    expect(messages().slice(2)).toEqual([
      { type: 'message', streamId: 1, event: 'tick', data: 'a', lastEventId: '1', size: 1, at: at(5) },
      { type: 'message', streamId: 1, event: 'message', data: 'é', lastEventId: '1', size: 1, at: at(5) },
      { type: 'message', streamId: 1, event: 'message', data: 'c', lastEventId: '1', size: 1, at: at(5) },
      { type: 'body-end', streamId: 1, at: at(5), reason: 'complete' },
    ]);
  });

  it('moves its copies of the body to the relay and leaves the page its own bytes', async () => {
    const win = fakeWindow(async () => sseResponse(CHUNKS));
    const { hook, sent } = hooked(win);
    const { bytes } = await readAll(await win.fetch('/stream'));
    hook.flush();
    const chunks = sent.flat().filter((m) => m[0] === 'chunk');
    expect(chunks).toHaveLength(3);
    // Transferred, not cloned: the hook's copies are detached once posted.
    expect(chunks.map((m) => m[0] === 'chunk' && m[3].byteLength)).toEqual([0, 0, 0]);
    expect(new TextDecoder().decode(new Uint8Array(bytes))).toBe(CHUNKS.join(''));
  });

  it('takes method, credentials and headers from a Request', async () => {
    const win = fakeWindow(async () => sseResponse([]));
    const { messages } = hooked(win);
    await win.fetch(new Request('https://api.test/stream', { method: 'PUT', credentials: 'omit', headers: { accept: 'text/event-stream' } }));
    expect(messages()[0]).toMatchObject({ method: 'PUT', credentials: 'omit', requestHeaders: [['accept', 'text/event-stream']] });
  });

  it('returns other responses untouched and reports nothing, headers or not', async () => {
    const json = new Response('{}', { headers: { 'content-type': 'application/json' } });
    const win = fakeWindow(async () => json);
    const { messages } = hooked(win);
    expect(await win.fetch('/api')).toBe(json);
    expect(await win.fetch('/api', { headers: { Accept: 'application/json' } })).toBe(json);
    expect(messages()).toEqual([]);
  });

  it('reports a mis-typed stream (asked for text/event-stream, got something else) and leaves its body alone', async () => {
    const json = new Response('{"error":"unauthorized"}', { status: 401, statusText: 'Unauthorized', headers: { 'content-type': 'application/json' } });
    const win = fakeWindow(async () => json);
    const { messages } = hooked(win);
    const page = await win.fetch('/stream', ASKS);
    expect(page).toBe(json);
    expect(await page.json()).toEqual({ error: 'unauthorized' });
    expect(messages()).toEqual([
      { type: 'stream-created', kind: 'fetch', streamId: 1, at: at(5), url: 'https://app.test/stream', method: 'GET', credentials: 'same-origin', requestHeaders: [['accept', 'text/event-stream']] },
      { type: 'fetch-response', streamId: 1, at: at(5), status: 401, statusText: 'Unauthorized', contentType: 'application/json', redirected: false },
    ]);
  });

  it('passes a rejected fetch through unchanged, and reports it when it asked for a stream', async () => {
    const failure = new TypeError('Failed to fetch');
    const win = fakeWindow(() => Promise.reject(failure));
    const { messages } = hooked(win);
    await expect(win.fetch('/x')).rejects.toBe(failure);
    expect(messages()).toEqual([]);
    await expect(win.fetch('/stream?room=1', ASKS)).rejects.toBe(failure);
    await expect(win.fetch(new Request('https://api.test/s', { headers: { accept: 'application/json, text/event-stream' } }))).rejects.toBe(failure);
    expect(messages()).toEqual([
      { type: 'stream-created', kind: 'fetch', streamId: 1, at: at(5), url: 'https://app.test/stream?room=1', method: 'GET', credentials: 'same-origin', requestHeaders: [['accept', 'text/event-stream']] },
      { type: 'fetch-failed', streamId: 1, at: at(5), error: 'TypeError: Failed to fetch' },
      { type: 'stream-created', kind: 'fetch', streamId: 2, at: at(5), url: 'https://api.test/s', method: 'GET', credentials: 'same-origin', requestHeaders: [['accept', 'application/json, text/event-stream']] },
      { type: 'fetch-failed', streamId: 2, at: at(5), error: 'TypeError: Failed to fetch' },
    ]);
  });

  it('stops reading and cancels the network body when the page cancels its stream', async () => {
    let cancelled = 0;
    const win = fakeWindow(async () => sseResponse(CHUNKS, { onCancel: () => void cancelled++ }));
    const { messages } = hooked(win);
    const page = await win.fetch('/stream');
    const reader = (page.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel('done');
    expect(cancelled).toBe(1);
    expect(messages().map((m) => m.type)).toEqual(['stream-created', 'fetch-response', 'message', 'closed-by-page']);
  });

  it('passes a network error to the page and reports the body ending in error', async () => {
    const plain = await readAll(await fakeWindow(async () => sseResponse(['data: a\n\n'], { fail: true })).fetch('/s'));
    const win = fakeWindow(async () => sseResponse(['data: a\n\n'], { fail: true }));
    const { messages } = hooked(win);
    const withHook = await readAll(await win.fetch('/s'));
    expect(withHook).toEqual(plain);
    expect(messages().at(-1)).toMatchObject({ type: 'body-end', reason: 'error' });
  });
});

describe('installPageHook: XMLHttpRequest', () => {
  const STREAM = 'event: tick\nid: 1\ndata: a\n\ndata: é\n\ndata: partial';

  /** A page script streaming over XHR: what it observes must not change. */
  function xhrPage(win: PageHookWindow, setup: (xhr: XMLHttpRequest) => void = () => undefined): { xhr: FakeXhr; seen: unknown[] } {
    const Xhr = win.XMLHttpRequest as unknown as typeof XMLHttpRequest;
    const xhr = new Xhr();
    const seen: unknown[] = [];
    xhr.onreadystatechange = () => seen.push(['readystatechange', xhr.readyState, xhr.status, xhr.responseType === '' ? xhr.responseText : null]);
    for (const type of ['load', 'error', 'abort', 'timeout', 'loadend']) xhr.addEventListener(type, () => seen.push([type, xhr.readyState, xhr.status]));
    xhr.open('POST', '/api/stream');
    xhr.withCredentials = true;
    setup(xhr);
    xhr.send();
    return { xhr: xhr as unknown as FakeXhr, seen };
  }

  /** The server answers with an event stream in three pieces, split inside an event. */
  function playXhrStream(xhr: FakeXhr): void {
    xhr.respond(200, 'text/event-stream');
    xhr.receive(STREAM.slice(0, 20));
    xhr.receive(STREAM.slice(20, 30));
    xhr.receive(STREAM.slice(30));
    xhr.finish();
  }

  it('leaves what the page sees unchanged: states, events, text, the methods', () => {
    const plain = xhrPage(fakeWindow(), (xhr) => xhr.setRequestHeader('Accept', 'text/event-stream'));
    playXhrStream(plain.xhr);
    const win = fakeWindow();
    hooked(win);
    const withHook = xhrPage(win, (xhr) => xhr.setRequestHeader('Accept', 'text/event-stream'));
    playXhrStream(withHook.xhr);
    expect(withHook.seen).toEqual(plain.seen);
    expect(withHook.xhr.sent).toEqual(plain.xhr.sent);
    const prototype = (win.XMLHttpRequest as typeof XMLHttpRequest).prototype;
    expect([prototype.open.name, prototype.open.length, 'prototype' in prototype.open]).toEqual(['open', 2, false]);
    expect([prototype.setRequestHeader.name, prototype.setRequestHeader.length]).toEqual(['setRequestHeader', 2]);
  });

  it('reports the request, the response, the parsed events and the end, as a fetch-style stream', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    const { xhr } = xhrPage(win, (page) => page.setRequestHeader('X-Trace', '7'));
    playXhrStream(xhr);
    expect(messages()).toEqual([
      { type: 'stream-created', kind: 'fetch', streamId: 1, at: at(5), url: 'https://app.test/api/stream', method: 'POST', credentials: 'include', requestHeaders: [['x-trace', '7']] },
      { type: 'fetch-response', streamId: 1, at: at(5), status: 200, statusText: 'OK', contentType: 'text/event-stream', redirected: false },
      { type: 'message', streamId: 1, event: 'tick', data: 'a', lastEventId: '1', size: 1, at: at(5) },
      { type: 'message', streamId: 1, event: 'message', data: 'é', lastEventId: '1', size: 1, at: at(5) },
      { type: 'body-end', streamId: 1, at: at(5), reason: 'complete' },
    ]);
  });

  it('posts each piece of responseText once, as text', () => {
    const win = fakeWindow();
    const { hook, sent } = hooked(win);
    const { xhr } = xhrPage(win);
    playXhrStream(xhr);
    hook.flush();
    expect(sent.flat().filter((m) => m[0] === 'text').map((m) => m[3])).toEqual([STREAM.slice(0, 20), STREAM.slice(20, 30), STREAM.slice(30)]);
  });

  it.each(['error', 'timeout', 'abort'] as const)('reports a stream-asking request that ended with status 0 (%s: a CORS block, a network error) and nothing for others', (type) => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    xhrPage(win, (xhr) => xhr.setRequestHeader('Accept', 'text/event-stream')).xhr.fail(type);
    xhrPage(win).xhr.fail(type);
    expect(messages()).toEqual([
      { type: 'stream-created', kind: 'fetch', streamId: 1, at: at(5), url: 'https://app.test/api/stream', method: 'POST', credentials: 'include', requestHeaders: [['accept', 'text/event-stream']] },
      { type: 'fetch-failed', streamId: 1, at: at(5), error: type },
    ]);
  });

  it('reports a mis-typed stream and its end without reading its body, and ignores other responses', () => {
    const win = fakeWindow();
    const { messages, sent } = hooked(win);
    const asked = xhrPage(win, (xhr) => xhr.setRequestHeader('Accept', 'text/event-stream')).xhr;
    asked.respond(200, 'text/html');
    asked.receive('<p>login</p>');
    asked.finish();
    const other = xhrPage(win).xhr;
    other.respond(200, 'application/json');
    other.receive('{}');
    other.finish();
    expect(messages().map((m) => m.type)).toEqual(['stream-created', 'fetch-response', 'body-end']);
    expect(sent.flat().map((m) => m[0])).toEqual(['http', 'end']);
  });

  it('reports the page\'s abort() mid-stream as closed by the page, and errors as the body failing', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    const aborted = xhrPage(win).xhr;
    aborted.respond(200, 'text/event-stream');
    aborted.receive('data: a\n\n');
    aborted.fail('abort');
    const broken = xhrPage(win).xhr;
    broken.respond(200, 'text/event-stream');
    broken.fail('error');
    expect(messages().filter((m) => m.type === 'closed-by-page' || m.type === 'body-end' || m.type === 'message')).toEqual([
      { type: 'message', streamId: 1, event: 'message', data: 'a', lastEventId: '', size: 1, at: at(5) },
      { type: 'closed-by-page', streamId: 1, at: at(5) },
      { type: 'body-end', streamId: 2, at: at(5), reason: 'error' },
    ]);
  });

  it('leaves a body of another responseType alone (responseText would throw), and still reports its end', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    const { xhr, seen } = xhrPage(win, (page) => (page.responseType = 'arraybuffer'));
    playXhrStream(xhr);
    expect(seen.filter((entry) => (entry as unknown[])[0] === 'load')).toHaveLength(1);
    expect(messages().map((m) => m.type)).toEqual(['stream-created', 'fetch-response', 'body-end']);
  });

  it('reports a stream abandoned by opening its request again as closed by the page', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    const { xhr } = xhrPage(win);
    xhr.respond(200, 'text/event-stream');
    xhr.receive('data: a\n\n');
    xhr.open('GET', '/other');
    expect(messages().filter((m) => m.type === 'closed-by-page')).toEqual([{ type: 'closed-by-page', streamId: 1, at: at(5) }]);
  });

  it('follows a request opened again on the same object as a new one, with one set of listeners', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    const { xhr } = xhrPage(win);
    playXhrStream(xhr);
    xhr.open('GET', '/again');
    xhr.send();
    playXhrStream(xhr);
    const created = messages().filter((m) => m.type === 'stream-created');
    expect(created.map((m) => [m.streamId, m.url])).toEqual([[1, 'https://app.test/api/stream'], [2, 'https://app.test/again']]);
    expect(messages().filter((m) => m.type === 'message')).toHaveLength(4);
  });
});

describe('the private channel', () => {
  // Node's MessageEvent ignores `cancelable` (browsers honour it, as EventInit says): use one that does.
  class BrowserMessageEvent extends Event {
    readonly ports: readonly MessagePort[];
    constructor(type: string, init: MessageEventInit) {
      super(type, init);
      this.ports = init.ports ?? [];
    }
  }
  beforeEach(() => vi.stubGlobal('MessageEvent', BrowserMessageEvent));
  afterEach(() => vi.unstubAllGlobals());

  /** A window as both worlds share it: one EventTarget, the hook's globals on it. */
  function sharedWindow(): Window & PageHookWindow {
    return Object.defineProperties(new EventTarget(), Object.getOwnPropertyDescriptors(fakeWindow())) as unknown as Window & PageHookWindow;
  }

  async function received(relay: ReturnType<typeof createHookRelay>, win: PageHookWindow): Promise<PageHookMessage[]> {
    new win.EventSource('/s');
    for (const timer of (win as FakeWindow).timers.splice(0)) timer();
    // MessagePort delivery is a task away: wait for it, bounded.
    for (let i = 0; i < 100 && relay.messages.length === 0; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      relay.flush();
    }
    return [...relay.messages];
  }

  it.each(['relay first', 'hook first'])('connects whichever world runs first (%s)', async (order) => {
    const win = sharedWindow();
    const relay = createHookRelay({ scheduler: { requestIdle: () => undefined, now: () => 0 } });
    if (order === 'relay first') {
      offerPageHookChannel(win, (read) => relay.receiveLater(read));
      connectPageHook(win);
    } else {
      connectPageHook(win);
      offerPageHookChannel(win, (read) => relay.receiveLater(read));
    }
    const messages = await received(relay, win);
    expect(messages.map((m) => m.type)).toEqual(['stream-created', 'ready-state']);
    // Once connected neither side answers a page that replays the handshake.
    let stolen = false;
    win.addEventListener('sse-inspector:port', () => (stolen = true));
    win.dispatchEvent(new Event('sse-inspector:hook-ready'));
    expect(stolen).toBe(false);
  });
});
