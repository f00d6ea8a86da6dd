import { describe, expect, it } from 'vitest';
import { OBSERVATIONS_PER_MESSAGE, startCaptureBackground, type CapturePort, type MessageSender } from '../../../lib/capture/background';
import { CAPTURE_PORT, type BackgroundToDevtools, type CaptureObservation, type DevtoolsToBackground, type PageHookMessage } from '../../../lib/capture/protocol';
import { subscribeToCapture, type PortLike } from '../../../lib/capture/subscription';
import { deferred, details, FakeBackgroundPort, FakeEvent, FakeMessageEvent, fakeWebRequest, MemorySession } from '../../support/capture-fakes';

const ORIGIN = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const DEVTOOLS: MessageSender = { url: `${ORIGIN}/devtools.html` };
const DOC = 'd6f3a1b2-4c5d-4e6f-8a9b-0c1d2e3f4a5b';

/** storage.session whose first read waits for the test: a worker still restoring its log. */
class SlowSession extends MemorySession {
  readonly gate = deferred();
  override async get(keys: null): Promise<Record<string, unknown>> {
    await this.gate.promise;
    return super.get(keys);
  }
}

/** One run of the background worker, over fakes of every API it uses. */
function worker(session: MemorySession = new MemorySession()) {
  const webRequest = fakeWebRequest('chromium');
  const onMessage = new FakeMessageEvent();
  const onConnect = new FakeEvent<[CapturePort]>();
  const onTabRemoved = new FakeEvent<[number]>();
  const background = startCaptureBackground({ webRequest, session, onMessage, onConnect, onTabRemoved, extensionOrigin: ORIGIN });
  let nextRequest = 1;
  return {
    background,
    session,
    webRequest,
    onConnect,
    onTabRemoved,
    settled: async () => {
      await background.ready;
      await background.store.settled();
    },
    /** A message from the relay content script of `tabId`'s frame `frameId`. */
    relay: (message: unknown, tabId: number, frameId?: number) => onMessage.fire(message, { tab: { id: tabId }, ...(frameId === undefined ? {} : { frameId }), url: 'https://app.test/' }),
    message: (message: unknown, sender: MessageSender) => onMessage.fire(message, sender),
    devtools: (message: DevtoolsToBackground) => onMessage.fire(message, DEVTOOLS),
    /** An EventSource request of `tabId` starts (webRequest start + Accept: text/event-stream). */
    stream: (tabId: number, frameId = 0): string => {
      const requestId = String(nextRequest++);
      webRequest.onBeforeRequest.fire(details({ requestId, tabId, frameId }));
      webRequest.onSendHeaders.fire(details({ requestId, tabId, frameId, requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }] }));
      return requestId;
    },
    navigate: (tabId: number) => webRequest.onBeforeRequest.fire(details({ requestId: `nav${nextRequest++}`, tabId, type: 'main_frame', url: 'https://app.test/next', timeStamp: 2000 })),
    /** A DevTools page connects the capture port and subscribes to `tabId`. */
    subscribe: (tabId: number, since = 0, name: string = CAPTURE_PORT): FakeBackgroundPort => {
      const port = new FakeBackgroundPort(name);
      onConnect.fire(port);
      port.send({ type: 'subscribe', tabId, since });
      return port;
    },
  };
}

const hookOpen = (streamId: number): PageHookMessage => ({ type: 'open', streamId, at: 1000 });
const batch = (...messages: PageHookMessage[]) => ({ type: 'hook-batch', document: DOC, messages });
const observationsOf = (received: readonly BackgroundToDevtools[]): CaptureObservation[] => received.flatMap((m) => (m.type === 'observations' ? m.observations : []));
const seqs = (observations: readonly CaptureObservation[]) => observations.map((o) => o.seq);
const describeObservation = (o: CaptureObservation): string =>
  o.source === 'web-request' ? `wr:${o.observation.requestId}:${o.observation.phase}` : o.source === 'page-hook' ? `hook:${o.message.type}` : o.source;

describe('startCaptureBackground: messages from content scripts', () => {
  it('files a relay batch under the sender tab and frame', async () => {
    const w = worker();
    w.relay(batch(hookOpen(1), hookOpen(2)), 5, 3);
    await w.settled();
    expect(w.background.store.since(5, 0).observations).toEqual([
      { source: 'page-hook', seq: 1, frameId: 3, document: DOC, message: hookOpen(1) },
      { source: 'page-hook', seq: 2, frameId: 3, document: DOC, message: hookOpen(2) },
    ]);
  });

  it('takes frame 0 when the sender has no frameId, and files relay counts', async () => {
    const w = worker();
    w.relay({ type: 'hook-rejected', document: DOC, rejected: 2, overflowed: 1 }, 5);
    await w.settled();
    expect(w.background.store.since(5, 0).observations).toEqual([{ source: 'relay', seq: 1, frameId: 0, document: DOC, rejected: 2, overflowed: 1 }]);
  });

  it('never lets a message choose its tab: one that names a tab is refused', async () => {
    const w = worker();
    w.relay({ ...batch(hookOpen(1)), tabId: 9 }, 5);
    w.relay({ ...batch(hookOpen(1)), frameId: 0 }, 5);
    await w.settled();
    expect(w.background.store.since(5, 0).observations).toEqual([]);
    expect(w.background.store.since(9, 0).observations).toEqual([]);
  });

  it('refuses a batch with one malformed message whole, and anything not a relay message', async () => {
    const w = worker();
    w.relay(batch(hookOpen(1), { type: 'open', streamId: -1, at: 1 } as unknown as PageHookMessage), 5);
    w.relay({ type: 'hook-batch', document: 'not-a-key', messages: [hookOpen(1)] }, 5);
    for (const value of [null, 'hook-batch', [batch(hookOpen(1))], { type: 'subscribe', tabId: 5, since: 0 }]) w.relay(value, 5);
    await w.settled();
    expect(w.background.store.since(5, 0).observations).toEqual([]);
  });

  it('takes no DevTools command from a content script, whatever tab it names', async () => {
    const w = worker();
    w.relay(batch(hookOpen(1)), 5);
    await w.settled();
    const port = w.subscribe(5);
    await w.settled();
    w.relay({ type: 'clear', tabId: 5 }, 5);
    w.relay({ type: 'set-preserve-log', tabId: 5, preserve: true }, 5);
    w.relay({ type: 'har-entries', tabId: 5, entries: [] }, 5);
    await w.settled();
    expect(seqs(w.background.store.since(5, 0).observations)).toEqual([1]);
    expect(w.background.store.state(5).preserveLog).toBe(false);
    expect(port.received.map((m) => m.type)).toEqual(['state', 'observations']);
  });
});

describe('startCaptureBackground: messages from DevTools', () => {
  const clear: DevtoolsToBackground = { type: 'clear', tabId: 5 };

  it('ignores commands from other extensions, web pages and unknown senders', async () => {
    const w = worker();
    w.relay(batch(hookOpen(1)), 5);
    await w.settled();
    const senders: MessageSender[] = [
      { url: 'chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/devtools.html' },
      { url: 'https://app.test/' },
      { url: `https://evil.test/${ORIGIN}` },
      {},
      { tab: {} },
    ];
    for (const sender of senders) {
      w.message(clear, sender);
      w.message({ type: 'set-preserve-log', tabId: 5, preserve: true }, sender);
    }
    await w.settled();
    expect(seqs(w.background.store.since(5, 0).observations)).toEqual([1]);
    expect(w.background.store.state(5).preserveLog).toBe(false);
  });

  it('clears a tab and tells its subscribers', async () => {
    const w = worker();
    w.stream(5);
    await w.settled();
    const port = w.subscribe(5);
    await w.settled();
    w.devtools(clear);
    await w.settled();
    expect(w.background.store.since(5, 0).observations).toEqual([]);
    expect(port.received.at(-1)).toEqual({ type: 'cleared', tabId: 5, reason: 'cleared' });
  });

  it('sets preserve log, tells subscribers the state, and then keeps the log across navigations', async () => {
    const w = worker();
    w.stream(5);
    const port = w.subscribe(5);
    await w.settled();
    w.devtools({ type: 'set-preserve-log', tabId: 5, preserve: true });
    await w.settled();
    expect(port.received.at(-1)).toEqual({ type: 'state', tabId: 5, preserveLog: true, dropped: 0, unpersisted: 0 });
    w.navigate(5);
    await w.settled();
    expect(w.background.store.since(5, 0).observations).toHaveLength(2);
    w.devtools({ type: 'set-preserve-log', tabId: 5, preserve: false });
    w.navigate(5);
    await w.settled();
    expect(w.background.store.since(5, 0).observations).toEqual([]);
    expect(port.received.at(-1)).toEqual({ type: 'cleared', tabId: 5, reason: 'navigated' });
  });

  it('files HAR entries under the tab the DevTools page names', async () => {
    const w = worker();
    const entry = {
      startedDateTime: '2026-01-01T00:00:00.000Z',
      request: { method: 'GET', url: 'https://api.test/events', headers: [{ name: 'Accept', value: 'text/event-stream' }] },
      response: { status: 200, headers: [], content: { mimeType: 'text/event-stream' } },
    };
    w.message({ type: 'har-entries', tabId: 5, entries: [entry, { not: 'an entry' }] }, DEVTOOLS);
    await w.settled();
    const observations = w.background.store.since(5, 0).observations;
    expect(observations.map((o) => o.source)).toEqual(['devtools-network']);
    expect(observations[0]?.source === 'devtools-network' && observations[0].entry.request.url).toBe('https://api.test/events');
  });
});

describe('startCaptureBackground: capture port', () => {
  it("sends a subscriber the tab's state and backlog, then that tab's live observations only", async () => {
    const w = worker();
    const first = w.stream(1);
    w.stream(2);
    await w.settled();
    const port = w.subscribe(1);
    await w.settled();
    expect(port.received).toEqual([
      { type: 'state', tabId: 1, preserveLog: false, dropped: 0, unpersisted: 0 },
      { type: 'observations', tabId: 1, firstSeq: 1, observations: w.background.store.since(1, 0).observations },
    ]);
    expect(observationsOf(port.received).map(describeObservation)).toEqual([`wr:${first}:start`, `wr:${first}:request-headers`]);
    const second = w.stream(1);
    w.stream(2);
    w.relay(batch(hookOpen(1)), 2);
    await w.settled();
    expect(port.received.every((m) => m.tabId === 1)).toBe(true);
    expect(observationsOf(port.received).map(describeObservation)).toEqual([
      `wr:${first}:start`,
      `wr:${first}:request-headers`,
      `wr:${second}:start`,
      `wr:${second}:request-headers`,
    ]);
    expect(seqs(observationsOf(port.received))).toEqual([1, 2, 3, 4]);
  });

  it('sends a large backlog and a large flush in pieces, in order, none larger than OBSERVATIONS_PER_MESSAGE', async () => {
    const w = worker();
    // Two observations per stream: 301 streams make a backlog of 602.
    for (let i = 0; i < 301; i++) w.stream(1);
    await w.settled();
    const port = w.subscribe(1);
    await w.settled();
    for (let i = 0; i < 200; i++) w.stream(1);
    await w.settled();
    const pieces = port.received.filter((m) => m.type === 'observations');
    expect(pieces.length).toBeGreaterThanOrEqual(5);
    expect(pieces.every((m) => m.type === 'observations' && m.observations.length <= OBSERVATIONS_PER_MESSAGE && m.firstSeq === m.observations[0]?.seq)).toBe(true);
    expect(seqs(observationsOf(port.received))).toEqual(Array.from({ length: 1002 }, (_, i) => i + 1));
  });

  it('sends the backlog after `since` only', async () => {
    const w = worker();
    w.stream(1);
    w.stream(1);
    await w.settled();
    const port = w.subscribe(1, 3);
    await w.settled();
    expect(port.received[1]).toMatchObject({ type: 'observations', firstSeq: 4 });
    expect(seqs(observationsOf(port.received))).toEqual([4]);
  });

  it('ignores ports of another name, second subscriptions and malformed ones', async () => {
    const w = worker();
    w.stream(1);
    w.stream(2);
    await w.settled();
    const stranger = w.subscribe(1, 0, 'other-port');
    const port = w.subscribe(1);
    port.send({ type: 'subscribe', tabId: 2, since: 0 });
    const malformed = new FakeBackgroundPort(CAPTURE_PORT);
    w.onConnect.fire(malformed);
    malformed.send({ type: 'subscribe', tabId: -1, since: 0 });
    malformed.send({ type: 'subscribe', tabId: 1 });
    malformed.send({ type: 'clear', tabId: 1 });
    await w.settled();
    expect(stranger.received).toEqual([]);
    expect(malformed.received).toEqual([]);
    expect(port.received.every((m) => m.tabId === 1)).toBe(true);
    expect(w.background.store.since(1, 0).observations).toHaveLength(2);
  });

  it('stops sending to a port once it disconnects', async () => {
    const w = worker();
    const port = w.subscribe(1);
    await w.settled();
    const before = port.received.length;
    port.disconnect();
    w.stream(1);
    await w.settled();
    expect(port.received).toHaveLength(before);
    const other = w.subscribe(1);
    await w.settled();
    expect(observationsOf(other.received)).toHaveLength(2);
  });
});

describe('startCaptureBackground: restart and tab lifecycle', () => {
  it('applies what arrives while the previous log is restored after it, in order', async () => {
    const session = new SlowSession();
    const previous = worker(new MemorySession());
    previous.stream(1);
    await previous.settled();
    for (const [key, value] of previous.session.items) session.items.set(key, value);

    const w = worker(session);
    const port = w.subscribe(1);
    const live = w.stream(1);
    w.relay(batch(hookOpen(7)), 1);
    w.stream(2);
    expect(port.received).toEqual([]);
    session.gate.resolve();
    await w.settled();
    expect(observationsOf(port.received).map(describeObservation)).toEqual(['wr:1:start', 'wr:1:request-headers', `wr:${live}:start`, `wr:${live}:request-headers`, 'hook:open']);
    expect(seqs(observationsOf(port.received))).toEqual([1, 2, 3, 4, 5]);
    expect(seqs(w.background.store.since(2, 0).observations)).toEqual([1, 2]);
  });

  it('still starts when the previous log cannot be read', async () => {
    const session = new MemorySession();
    session.get = () => Promise.reject(new Error('storage unavailable'));
    const w = worker(session);
    w.stream(1);
    await w.settled();
    expect(seqs(w.background.store.since(1, 0).observations)).toEqual([1, 2]);
  });

  it('forgets a closed tab: its log, its storage and its subscribers', async () => {
    const w = worker();
    w.stream(1);
    w.stream(2);
    const port = w.subscribe(1);
    await w.settled();
    const before = port.received.length;
    w.onTabRemoved.fire(1);
    await w.settled();
    expect(w.background.store.since(1, 0).observations).toEqual([]);
    expect(w.session.keys().filter((key) => key.startsWith('capture:1'))).toEqual([]);
    expect(w.session.keys().filter((key) => key.startsWith('capture:2'))).not.toEqual([]);
    // A tab id the browser reuses later starts afresh, and old subscribers hear nothing of it.
    w.stream(1);
    await w.settled();
    expect(port.received).toHaveLength(before);
  });
});

describe('startCaptureBackground with subscribeToCapture across worker restarts', () => {
  /** DevTools-side ports linked to whichever worker is running; a restart disconnects them. */
  function linkedHost(session: MemorySession) {
    let current = worker(session);
    const live: { devtools: PortLike & { onDisconnect: FakeEvent<[]> }; background: FakeBackgroundPort }[] = [];
    const retries: (() => void)[] = [];
    const connect = (name: string): PortLike => {
      const onMessage = new FakeEvent<[unknown]>();
      const onDisconnect = new FakeEvent<[]>();
      const background = new FakeBackgroundPort(name);
      const devtools = {
        onMessage,
        onDisconnect,
        postMessage: (message: DevtoolsToBackground) => background.send(structuredClone(message)),
        disconnect: () => background.disconnect(),
      };
      // What the background posts reaches the DevTools side.
      background.postMessage = (message: BackgroundToDevtools) => onMessage.fire(structuredClone(message));
      live.push({ devtools, background });
      current.onConnect.fire(background);
      return devtools;
    };
    return {
      worker: () => current,
      connect,
      retryLater: (callback: () => void) => retries.push(callback),
      runRetries: () => {
        for (const retry of retries.splice(0)) retry();
      },
      /** The worker stops (its ports disconnect) and a new one starts from the same storage. */
      restart: () => {
        for (const pair of live.splice(0)) pair.devtools.onDisconnect.fire();
        current = worker(session);
      },
    };
  }

  it('loses and repeats nothing across a restart, and sees a clear it was away for', async () => {
    const session = new MemorySession();
    const host = linkedHost(session);
    const seen: number[] = [];
    let resets = 0;
    const subscription = subscribeToCapture(
      1,
      host.connect,
      { observations: (o) => seen.push(...seqs(o)), reset: () => resets++, state: () => undefined },
      host.retryLater,
    );
    host.worker().stream(1);
    await host.worker().settled();
    expect(seen).toEqual([1, 2]);

    host.restart();
    host.worker().stream(1);
    await host.worker().settled();
    host.runRetries();
    await host.worker().settled();
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(resets).toBe(0);

    host.restart();
    host.worker().devtools({ type: 'clear', tabId: 1 });
    await host.worker().settled();
    host.runRetries();
    await host.worker().settled();
    expect(resets).toBe(1);
    host.worker().stream(1);
    await host.worker().settled();
    expect(resets).toBe(1);
    expect(seen.slice(4)).toHaveLength(2);
    expect(subscription.lastSeq).toBe(seen.at(-1));
    subscription.close();
  });
});

describe('startCaptureBackground: a navigation overtaken by the new page', () => {
  it("keeps the new document's observations that arrived before the navigation's own event", async () => {
    const w = worker();
    w.stream(5);
    await w.settled();
    // The new page's request (at 3000) is filed before the navigation event (at 2000) arrives.
    w.webRequest.onBeforeRequest.fire(details({ requestId: 'late', tabId: 5, timeStamp: 3000 }));
    w.webRequest.onSendHeaders.fire(details({ requestId: 'late', tabId: 5, timeStamp: 3000, requestHeaders: [{ name: 'Accept', value: 'text/event-stream' }] }));
    w.navigate(5);
    await w.settled();
    const kept = w.background.store.since(5, 0).observations;
    expect(kept.map((o) => (o.source === 'web-request' ? o.observation.requestId : o.source))).toEqual(['late', 'late']);
  });
});

describe('startCaptureBackground: late news of the previous page', () => {
  it('does not bring back a stream of the page the tab navigated away from', async () => {
    const w = worker();
    w.navigate(5);
    await w.settled();
    const entry = {
      startedDateTime: new Date(1000).toISOString(),
      request: { method: 'GET', url: 'https://api.test/old', headers: [{ name: 'Accept', value: 'text/event-stream' }] },
      response: { status: 200, headers: [], content: { mimeType: 'text/event-stream' } },
    };
    w.message({ type: 'har-entries', tabId: 5, entries: [entry, { ...entry, startedDateTime: new Date(2500).toISOString(), request: { ...entry.request, url: 'https://api.test/new' } }] }, DEVTOOLS);
    await w.settled();
    const kept = w.background.store.since(5, 0).observations;
    expect(kept.map((o) => (o.source === 'devtools-network' ? o.entry.request.url : o.source))).toEqual(['https://api.test/new']);
  });
});
