import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PAGE_HOOK_LIMITS, installPageHook, type PageHookLimits, type PageHookWindow } from '../../../lib/capture/page-hook';
import { connectPageHook, createHookRelay, offerPageHookChannel } from '../../../lib/capture/page-hook-channel';
import type { PageHookMessage } from '../../../lib/capture/protocol';

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
 * Enough of EventSource for the hook: listeners in registration order, then the `on…` handler,
 * and driver methods that play the browser's part (readyState set before dispatch).
 */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static created: FakeEventSource[] = [];
  readyState = 0;
  readonly url: string;
  readonly withCredentials: boolean;
  onopen: ((event: FakeEvent) => void) | null = null;
  onmessage: ((event: FakeEvent) => void) | null = null;
  onerror: ((event: FakeEvent) => void) | null = null;
  private readonly listeners: [string, Listener][] = [];

  constructor(url: string, init?: { withCredentials?: boolean }) {
    this.url = new URL(url, 'https://app.test/').href;
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.created.push(this);
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.push([type, listener]);
  }

  close(): void {
    this.readyState = 2;
  }

  dispatch(event: FakeEvent): void {
    for (const [type, listener] of [...this.listeners]) {
      if (type !== event.type) continue;
      if (typeof listener === 'function') listener.call(this, event);
      else listener.handleEvent(event);
    }
    const handler = event.type === 'open' ? this.onopen : event.type === 'message' ? this.onmessage : event.type === 'error' ? this.onerror : null;
    handler?.call(this, event);
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

const TIME_ORIGIN = 1_760_000_000_000;

interface FakeWindow extends PageHookWindow {
  readonly timers: (() => void)[];
}

function fakeWindow(fetchImpl: typeof fetch = () => Promise.reject(new Error('no fetch'))): FakeWindow {
  const timers: (() => void)[] = [];
  return {
    EventSource: FakeEventSource as unknown as typeof EventSource,
    fetch: fetchImpl,
    Response,
    Request,
    Headers,
    ReadableStream,
    TextDecoder,
    performance: { timeOrigin: TIME_ORIGIN, now: () => 5 },
    setTimeout: (callback: () => void) => timers.push(callback),
    timers,
  };
}

function hooked(win: FakeWindow, limits?: Partial<PageHookLimits>) {
  const sent: PageHookMessage[][] = [];
  const hook = installPageHook(win, (batch) => sent.push([...batch]), limits && { ...DEFAULT_PAGE_HOOK_LIMITS, ...limits });
  return {
    hook,
    /** Everything sent, after flushing what is batched. */
    messages(): PageHookMessage[] {
      hook.flush();
      return sent.flat();
    },
    sent,
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

describe('installPageHook: EventSource', () => {
  it('leaves what the page sees unchanged: events, readyStates, instanceof, constants', () => {
    const plain = eventSourcePage(fakeWindow());
    playStream();
    const win = fakeWindow();
    hooked(win);
    const withHook = eventSourcePage(win);
    playStream();
    expect(withHook.seen).toEqual(plain.seen);
    expect(withHook.source instanceof FakeEventSource).toBe(true);
    expect(win.EventSource.name).toBe('EventSource');
    expect(win.EventSource.length).toBe(1);
    expect(Object.keys(win)).not.toContain('EventSource');
  });

  it('reports creation, readyState transitions, open/error and the events the page can see', () => {
    const win = fakeWindow();
    const { messages } = hooked(win);
    eventSourcePage(win);
    playStream();
    const at = (ms: number) => TIME_ORIGIN + ms;
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
      { type: 'closed-by-page', streamId: 1, at: TIME_ORIGIN + 5 },
      { type: 'ready-state', streamId: 1, state: 2, at: TIME_ORIGIN + 5 },
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

  it('bounds events per stream, data length and streams per page, and says how many it dropped', () => {
    const win = fakeWindow();
    const { messages } = hooked(win, { maxEventsPerStream: 2, maxStreams: 1 });
    eventSourcePage(win);
    const browser = lastCreated();
    browser.serverEvent('message', 'x'.repeat(20_000));
    for (let i = 0; i < 5; i++) browser.serverEvent('message', 'y');
    new win.EventSource('/second');
    new win.EventSource('/third');
    const sent = messages();
    const events = sent.filter((m) => m.type === 'message');
    expect(events.map((m) => [m.data.length, m.size])).toEqual([[16_384, 20_000], [1, 1]]);
    expect(sent.filter((m) => m.type === 'dropped' || m.type === 'streams-dropped')).toEqual([
      { type: 'dropped', streamId: 1, count: 4 },
      { type: 'streams-dropped', count: 2 },
    ]);
    expect(sent.filter((m) => m.type === 'stream-created')).toHaveLength(1);
  });

  it('posts when the page is idle, or at once past the pending bound; never per event', () => {
    const idle: (() => void)[] = [];
    const win: FakeWindow = { ...fakeWindow(), requestIdleCallback: (callback) => idle.push(callback) };
    const { sent } = hooked(win, { maxPendingMessages: 4 });
    eventSourcePage(win);
    expect(sent).toHaveLength(0);
    expect(idle).toHaveLength(1);
    const browser = lastCreated();
    browser.open();
    expect(sent.map((b) => b.length)).toEqual([4]);
    browser.serverEvent('message', 'a');
    idle[0]?.();
    expect(sent.map((b) => b.length)).toEqual([4, 1]);
    expect(win.timers).toHaveLength(0);
  });

  it('splits what it posts into batches the relay accepts', () => {
    const win = fakeWindow();
    const { sent, messages } = hooked(win);
    eventSourcePage(win);
    for (let i = 0; i < 1000; i++) lastCreated().serverEvent('message', String(i));
    expect(messages()).toHaveLength(1002);
    expect(sent.map((b) => b.length)).toEqual([512, 490]);
  });
});

const encoder = new TextEncoder();

/** A server response whose body is delivered chunk by chunk as the reader pulls. */
function sseResponse(chunks: readonly string[], options: { contentType?: string; fail?: boolean; onCancel?: () => void } = {}): Response {
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
  const response = new Response(body, { status: 200, statusText: 'OK', headers: { 'content-type': options.contentType ?? 'text/event-stream; charset=utf-8' } });
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
  });

  it('reports the request, the response and the parsed events, at the page pace', async () => {
    const win = fakeWindow(async () => sseResponse(CHUNKS));
    const { messages } = hooked(win);
    const page = await win.fetch('https://api.test/stream', { method: 'POST', credentials: 'include', headers: { Authorization: 'Bearer t', 'X-Trace': '1' } });
    const at = TIME_ORIGIN + 5;
    expect(messages()).toEqual([
      { type: 'stream-created', kind: 'fetch', streamId: 1, at, url: 'https://api.test/stream', method: 'POST', credentials: 'include', requestHeaders: [['authorization', 'Bearer t'], ['x-trace', '1']] },
      { type: 'fetch-response', streamId: 1, at, status: 200, statusText: 'OK', contentType: 'text/event-stream; charset=utf-8', redirected: true },
    ]);
    await readAll(page);
    expect(messages().slice(2)).toEqual([
      { type: 'message', streamId: 1, event: 'tick', data: 'a', lastEventId: '1', size: 1, at },
      { type: 'message', streamId: 1, event: 'message', data: 'é', lastEventId: '1', size: 1, at },
      { type: 'message', streamId: 1, event: 'message', data: 'c', lastEventId: '1', size: 1, at },
      { type: 'body-end', streamId: 1, at, reason: 'complete' },
    ]);
  });

  it('takes method, credentials and headers from a Request', async () => {
    const win = fakeWindow(async () => sseResponse([]));
    const { messages } = hooked(win);
    await win.fetch(new Request('https://api.test/stream', { method: 'PUT', credentials: 'omit', headers: { accept: 'text/event-stream' } }));
    expect(messages()[0]).toMatchObject({ method: 'PUT', credentials: 'omit', requestHeaders: [['accept', 'text/event-stream']] });
  });

  it('returns other responses untouched and reports nothing', async () => {
    const json = new Response('{}', { headers: { 'content-type': 'application/json' } });
    const win = fakeWindow(async () => json);
    const { messages } = hooked(win);
    expect(await win.fetch('/api')).toBe(json);
    expect(messages()).toEqual([]);
  });

  it('passes a rejected fetch through unchanged', async () => {
    const failure = new TypeError('Failed to fetch');
    const win = fakeWindow(() => Promise.reject(failure));
    hooked(win);
    await expect(win.fetch('/x')).rejects.toBe(failure);
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
    return Object.assign(new EventTarget(), fakeWindow()) as unknown as Window & PageHookWindow;
  }

  async function received(relay: ReturnType<typeof createHookRelay>, win: PageHookWindow): Promise<PageHookMessage[]> {
    new win.EventSource('/s');
    for (const timer of (win as FakeWindow).timers.splice(0)) timer();
    // MessagePort delivery is a task away: wait for it, bounded.
    for (let i = 0; i < 100 && relay.messages.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    return [...relay.messages];
  }

  it.each(['relay first', 'hook first'])('connects whichever world runs first (%s)', async (order) => {
    const win = sharedWindow();
    const relay = createHookRelay();
    if (order === 'relay first') {
      offerPageHookChannel(win, (data) => relay.receive(data));
      connectPageHook(win);
    } else {
      connectPageHook(win);
      offerPageHookChannel(win, (data) => relay.receive(data));
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

describe('createHookRelay', () => {
  it('keeps valid messages up to its bound and counts the rejected and the overflow', () => {
    const relay = createHookRelay({ maxMessages: 2, maxDataChars: 10 });
    const open = { type: 'open', streamId: 1, at: 1 };
    relay.receive([open, { type: 'open', streamId: -1, at: 1 }, { type: 'message', streamId: 1, event: 'message', data: 'x'.repeat(11), lastEventId: '', size: 11, at: 1 }]);
    relay.receive('not a batch');
    relay.receive([open, open]);
    expect(relay.messages).toEqual([open, open]);
    expect(relay.rejected).toBe(2);
    expect(relay.overflowed).toBe(2);
  });
});
