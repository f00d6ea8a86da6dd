import { describe, expect, it } from 'vitest';
import { createHookRelay, DEFAULT_RELAY_LIMITS, type IdleDeadlineLike, type RelayLimits } from '../../../lib/capture/page-hook-relay';
import { parsePageHookMessage, type PageHookMessage, type PageHookWireMessage, type WireRequest } from '../../../lib/capture/protocol';

const T = 1_760_000_000_000;
const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);

/** requestIdleCallback by hand, on a clock the test moves (or that moves `tick` ms per reading). */
function manualScheduler(tick = 0) {
  let clock = 0;
  const idle: ((deadline: IdleDeadlineLike) => void)[] = [];
  return {
    idle,
    scheduler: {
      requestIdle: (callback: (deadline: IdleDeadlineLike) => void) => void idle.push(callback),
      now: () => (clock += tick),
    },
    /** Runs the oldest idle callback with `timeRemaining` ms left (or timed out). */
    runIdle(timeRemaining: number, didTimeout = false): void {
      idle.shift()?.({ didTimeout, timeRemaining: () => timeRemaining });
    },
  };
}

function relayOf(limits: Partial<RelayLimits> = {}, tick = 0) {
  const manual = manualScheduler(tick);
  const relay = createHookRelay({ limits: { ...DEFAULT_RELAY_LIMITS, ...limits }, scheduler: manual.scheduler, baseUrl: () => 'https://app.test/chat/' });
  return { relay, ...manual };
}

/** Everything kept after flushing; every observation also passes the next hop's validator. */
function observations(relay: ReturnType<typeof createHookRelay>): PageHookMessage[] {
  relay.flush();
  for (const message of relay.messages) expect(parsePageHookMessage(message)).not.toBeNull();
  return [...relay.messages];
}

const REQUEST: WireRequest = ['https://api.test/sse', 'GET', 'same-origin', [['accept', 'text/event-stream']]];
const http = (id: number, contentType = 'text/event-stream', request: WireRequest = REQUEST): PageHookWireMessage => ['http', id, T, T + 1, ...request, 200, 'OK', contentType, 'https://api.test/sse', false];
const chunk = (id: number, body: string | Uint8Array, at = T + 2): PageHookWireMessage => ['chunk', id, at, typeof body === 'string' ? bytes(body) : body];
const end = (id: number, at = T + 9): PageHookWireMessage => ['end', id, at, 'complete'];

/** The `message` observations of a fetch stream whose body arrives in these chunks. */
function parsed(chunks: readonly (string | Uint8Array)[], limits: Partial<RelayLimits> = {}): PageHookMessage[] {
  const { relay } = relayOf(limits);
  relay.receive([http(1), ...chunks.map((body, i) => chunk(1, body, T + 2 + i)), end(1)]);
  return observations(relay).filter((m) => m.type === 'message' || m.type === 'dropped');
}

const message = (event: string, data: string, lastEventId: string, at = T + 2) => ({ type: 'message', streamId: 1, event, data, lastEventId, size: data.length, at });

// Every rule of the event-stream format the relay relies on (browser-facts.md 5), in one body:
// a BOM, CRLF, LF and CR line ends, comments, retry, an id that persists, an empty id that
// resets it, an id with NULL that is ignored, an empty event type, multi-line data with
// characters of 2, 3 and 4 UTF-8 bytes, and an unterminated event at the end.
const BODY = bytes(
  '\uFEFFid: 1\r\nevent: tick\r\ndata: a\r\n\r\n: comment\nretry: 3000\ndata: é€😀\ndata: second line\n\nid: 7\rdata: c\r\r' +
    'id: \ndata: d\n\nid: a\u0000b\ndata: e\n\nevent:\ndata: f\n\ndata: unterminated',
);
const BODY_EVENTS = [
  message('tick', 'a', '1'),
  message('message', 'é€😀\nsecond line', '1'),
  message('message', 'c', '7'),
  message('message', 'd', ''),
  message('message', 'e', ''),
  message('message', 'f', ''),
];

describe('createHookRelay: fetch bodies', () => {
  it('parses a body into the events an EventSource would dispatch', () => {
    expect(parsed([BODY])).toEqual(BODY_EVENTS);
  });

  it('parses the same events whatever byte the body is split at', () => {
    for (let at = 0; at <= BODY.length; at++) {
      const events = parsed([BODY.slice(0, at), BODY.slice(at)]).map((m) => ({ ...m, at: T + 2 }));
      expect(events, `split at byte ${at}`).toEqual(BODY_EVENTS);
    }
  });

  it('parses a body that arrives a byte at a time', () => {
    const events = parsed(Array.from(BODY, (byte) => new Uint8Array([byte])));
    expect(events.map((m) => m.type === 'message' && [m.event, m.data, m.lastEventId])).toEqual(BODY_EVENTS.map((m) => [m.event, m.data, m.lastEventId]));
  });

  it('times each event by the chunk that completes it', () => {
    expect(parsed(['data: a\n\ndata: b\n', '\ndata: c\n\n']).map((m) => m.type === 'message' && [m.data, m.at])).toEqual([
      ['a', T + 2],
      ['b', T + 3],
      ['c', T + 3],
    ]);
  });

  it('cuts long data and event types but keeps the full size', () => {
    const [event] = parsed([`event: ${'e'.repeat(300)}\ndata: ${'x'.repeat(20_000)}\n\n`]);
    expect(event).toMatchObject({ event: 'e'.repeat(256), size: 20_000 });
    expect(event?.type === 'message' && event.data.length).toBe(16_384);
  });

  it('caps events per stream and reports how many it dropped, as a running total', () => {
    expect(parsed(['data: 1\n\ndata: 2\n\ndata: 3\n\n', 'data: 4\n\ndata: 5\n\n'], { maxEventsPerStream: 2 })).toEqual([
      message('message', '1', ''),
      message('message', '2', ''),
      { type: 'dropped', streamId: 1, count: 1 },
      { type: 'dropped', streamId: 1, count: 3 },
    ]);
  });

  it('drops an event too long to buffer, counts it, and parses on from the blank line that ends it', () => {
    const huge = 'x'.repeat(700_000);
    const expected = [{ type: 'dropped', streamId: 1, count: 1 }, message('message', 'after', '', T + 5)];
    // One line too long, arriving in pieces.
    expect(parsed([`data: ${huge}`, `${huge}`, `${huge}\ndata: more of it\n`, '\ndata: after\n\n'])).toEqual(expected);
    // Many lines too long together, the blank line split between CR and LF and across chunks.
    expect(parsed([`data: ${huge}\r\ndata: ${huge}\r\n`, `data: x\r`, '\n\r', '\ndata: after\r\n\r\n'])).toEqual(expected);
  });

  it('reports the stream, the response and the end, in arrival order', () => {
    const { relay } = relayOf();
    relay.receive([http(1), chunk(1, 'data: a\n\n'), end(1)]);
    expect(observations(relay)).toEqual([
      { type: 'stream-created', kind: 'fetch', streamId: 1, at: T, url: 'https://api.test/sse', method: 'GET', credentials: 'same-origin', requestHeaders: [['accept', 'text/event-stream']] },
      { type: 'fetch-response', streamId: 1, at: T + 1, status: 200, statusText: 'OK', contentType: 'text/event-stream', redirected: false },
      message('message', 'a', ''),
      { type: 'body-end', streamId: 1, at: T + 9, reason: 'complete' },
    ]);
  });

  it('parses an XMLHttpRequest stream\'s text like a fetch body, pieces split anywhere', () => {
    const { relay } = relayOf();
    const text = 'id: 1\ndata: é€\n\ndata: b\r\n\r\ndata: unterminated';
    relay.receive([http(1), ['text', 1, T + 2, text.slice(0, 9)], ['text', 1, T + 3, text.slice(9, 20)], ['text', 1, T + 4, text.slice(20)], end(1)]);
    expect(observations(relay).filter((m) => m.type === 'message' || m.type === 'body-end')).toEqual([
      message('message', 'é€', '1', T + 3),
      message('message', 'b', '1', T + 4),
      { type: 'body-end', streamId: 1, at: T + 9, reason: 'complete' },
    ]);
  });

  it('reports a mis-typed stream and follows none of its body', () => {
    const { relay } = relayOf();
    relay.receive([http(1, 'application/json'), chunk(1, 'data: a\n\n')]);
    expect(observations(relay).map((m) => m.type)).toEqual(['stream-created', 'fetch-response']);
    expect(relay.rejected).toBe(1);
  });

  it('reports a fetch that failed at the handshake, with its URL resolved as fetch() did', () => {
    const { relay } = relayOf();
    relay.receive([['failed', 4, T, T + 3, 'stream?x=1', 'POST', 'include', [['Accept', 'text/event-stream']], 'TypeError: Failed to fetch']]);
    expect(observations(relay)).toEqual([
      { type: 'stream-created', kind: 'fetch', streamId: 4, at: T, url: 'https://app.test/chat/stream?x=1', method: 'POST', credentials: 'include', requestHeaders: [['accept', 'text/event-stream']] },
      { type: 'fetch-failed', streamId: 4, at: T + 3, error: 'TypeError: Failed to fetch' },
    ]);
  });

  it('clips every field to its bound and keeps at most 64 request headers', () => {
    const { relay } = relayOf();
    const headers = Array.from({ length: 100 }, (_, i): [string, string] => [`X-H${i}`, 'v'.repeat(5000)]);
    relay.receive([['http', 1, T, T, 'u'.repeat(8192), 'M'.repeat(100), 'omit', headers, 500, 's'.repeat(1000), `text/event-stream;${'p'.repeat(2000)}`, '', true]]);
    const [created, response] = observations(relay);
    expect(created?.type === 'stream-created' && created.kind === 'fetch' && [created.url.length, created.method.length, created.requestHeaders.length, created.requestHeaders[0]]).toEqual([8192, 64, 64, ['x-h0', 'v'.repeat(4096)]]);
    expect(response?.type === 'fetch-response' && [response.statusText.length, response.contentType.length, response.redirected]).toEqual([256, 1024, true]);
  });

  it('refuses a chunk for a stream that ended, and a second end', () => {
    const { relay } = relayOf();
    relay.receive([http(1), end(1), chunk(1, 'data: a\n\n'), end(1)]);
    expect(observations(relay).map((m) => m.type)).toEqual(['stream-created', 'fetch-response', 'body-end']);
    expect(relay.rejected).toBe(2);
  });

  it('reports a cancelled body as closed by the page, once', () => {
    const { relay } = relayOf();
    relay.receive([http(1), ['close', 1, T + 5], ['close', 1, T + 6], end(1)]);
    expect(observations(relay).slice(2)).toEqual([{ type: 'closed-by-page', streamId: 1, at: T + 5 }]);
  });
});

describe('createHookRelay: EventSource', () => {
  const created: PageHookWireMessage = ['es', 1, T, 'https://api.test/sse', true];

  it('adds readyState transitions, once each, to what the hook saw', () => {
    const { relay } = relayOf();
    relay.receive([created, ['open', 1, T + 1, 1], ['events', 1, ['message', 'a', '1', 1, T + 2]], ['error', 1, T + 3, 0], ['open', 1, T + 4, 1], ['close', 1, T + 5], ['close', 1, T + 6]]);
    expect(observations(relay)).toEqual([
      { type: 'stream-created', kind: 'eventsource', streamId: 1, at: T, url: 'https://api.test/sse', withCredentials: true },
      { type: 'ready-state', streamId: 1, state: 0, at: T },
      { type: 'open', streamId: 1, at: T + 1 },
      { type: 'ready-state', streamId: 1, state: 1, at: T + 1 },
      { type: 'message', streamId: 1, event: 'message', data: 'a', lastEventId: '1', size: 1, at: T + 2 },
      { type: 'error', streamId: 1, at: T + 3 },
      { type: 'ready-state', streamId: 1, state: 0, at: T + 3 },
      { type: 'open', streamId: 1, at: T + 4 },
      { type: 'ready-state', streamId: 1, state: 1, at: T + 4 },
      { type: 'closed-by-page', streamId: 1, at: T + 5 },
      { type: 'ready-state', streamId: 1, state: 2, at: T + 5 },
    ]);
  });

  it('refuses what contradicts the stream: a taken id, events after close, body messages', () => {
    const { relay } = relayOf();
    relay.receive([created, ['es', 1, T, '/again', false], ['close', 1, T + 1], ['events', 1, ['message', 'late', '', 4, T + 2]], ['end', 1, T + 3, 'complete']]);
    expect(observations(relay).map((m) => m.type)).toEqual(['stream-created', 'ready-state', 'closed-by-page', 'ready-state']);
    expect(relay.rejected).toBe(3);
  });

  it('ignores messages of streams it never saw', () => {
    const { relay } = relayOf();
    relay.receive([['open', 9, T, 1], ['events', 9, ['message', 'a', '', 1, T]], chunk(9, 'data: a\n\n'), end(9)]);
    expect(observations(relay)).toEqual([]);
    expect(relay.rejected).toBe(0);
  });

  it('adds the events the hook only counted to those it dropped itself; a running total never shrinks', () => {
    const { relay } = relayOf({ maxEventsPerStream: 1 });
    relay.receive([created, ['events', 1, ['message', 'a', '', 1, T, 'message', 'b', '', 1, T]], ['dropped', 1, 5], ['dropped', 1, 4], ['dropped', 1, 7]]);
    expect(observations(relay).filter((m) => m.type === 'dropped')).toEqual([
      { type: 'dropped', streamId: 1, count: 1 },
      { type: 'dropped', streamId: 1, count: 6 },
      { type: 'dropped', streamId: 1, count: 8 },
    ]);
    expect(relay.rejected).toBe(1);
  });

  it('bounds streams per page and events per stream, and says how many it dropped', () => {
    const { relay } = relayOf({ maxStreams: 1, maxEventsPerStream: 2 });
    const events = ['message', 'a', '', 1, T, 'message', 'b', '', 1, T, 'message', 'c', '', 1, T];
    relay.receive([created, ['events', 1, events], ['es', 2, T, '/second', false], http(3), ['events', 2, events]]);
    expect(observations(relay).filter((m) => m.type !== 'ready-state')).toEqual([
      { type: 'stream-created', kind: 'eventsource', streamId: 1, at: T, url: 'https://api.test/sse', withCredentials: true },
      { type: 'message', streamId: 1, event: 'message', data: 'a', lastEventId: '', size: 1, at: T },
      { type: 'message', streamId: 1, event: 'message', data: 'b', lastEventId: '', size: 1, at: T },
      { type: 'dropped', streamId: 1, count: 1 },
      { type: 'streams-dropped', count: 2 },
    ]);
  });
});

describe('createHookRelay: buffer and scheduling', () => {
  const stream = (count: number): PageHookWireMessage[] => [['es', 1, T, '/s', false], ['events', 1, Array.from({ length: count }, (_, i) => ['message', String(i), '', String(i).length, T]).flat()]];

  it('keeps observations up to its bounds and counts the rest, without building them', () => {
    const { relay } = relayOf({ maxMessages: 4, maxDataChars: 3 });
    relay.receive(stream(5));
    expect(observations(relay).map((m) => (m.type === 'message' ? m.data : m.type))).toEqual(['stream-created', 'ready-state', '0', '1']);
    expect(relay.overflowed).toBe(3);
  });

  it('hands observations on as soon as its buffer is full, within a slice: none overflow while they can leave', () => {
    const delivered: PageHookMessage[][] = [];
    // Every clock reading moves 1 ms: a slice of 1 ms is over after its first step...
    const { scheduler, runIdle } = manualScheduler(1);
    const relay = createHookRelay({
      limits: { ...DEFAULT_RELAY_LIMITS, maxMessages: 4, maxSliceMs: 1, maxPendingMessages: 1 },
      scheduler,
      deliver: (messages) => delivered.push(messages),
    });
    relay.receive(stream(10));
    // ... but goes on while the messages waiting are past their bound: through all 10 events.
    runIdle(0, true);
    expect(relay.overflowed).toBe(0);
    expect(delivered.map((batch) => batch.length)).toEqual([4, 4, 4]);
    expect(delivered.flat().flatMap((m) => (m.type === 'message' ? [m.data] : []))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('counts malformed batches and tuples as rejected, and goes on', () => {
    const { relay } = relayOf();
    relay.receive('not a batch');
    relay.receive([['open', 1], { type: 'open', streamId: 1, at: T }]);
    relay.receiveLater(() => {
      throw new DOMException('could not be deserialized', 'DataCloneError');
    });
    relay.receive([['es', 1, T, '/s', false]]);
    relay.flush();
    expect(relay.rejected).toBe(4);
    expect(relay.messages.map((m) => m.type)).toEqual(['stream-created', 'ready-state']);
  });

  it('waits for an idle moment, then works in slices of at most maxSliceMs, in order', () => {
    // Every clock reading moves 1 ms: each step uses up a 1 ms slice.
    const { relay, idle, runIdle } = relayOf({ maxSliceMs: 1, quietMs: 0 }, 1);
    relay.receive([http(1), chunk(1, 'data: x\n\n'.repeat(4000)), end(1)]);
    expect(relay.messages).toEqual([]);
    let slices = 0;
    while (idle.length > 0 && slices < 1000) {
      runIdle(50);
      slices++;
    }
    // Reading the batch, the response, 36,000 characters fed 16K at a time, the end: 6 steps of 1 ms.
    expect(slices).toBe(6);
    const kept = relay.messages;
    expect(kept.map((m) => m.type).filter((t, i, all) => t !== all[i - 1])).toEqual(['stream-created', 'fetch-response', 'message', 'body-end']);
    expect(kept.filter((m) => m.type === 'message')).toHaveLength(4000);
  });

  it('waits while batches keep coming, until they pause for quietMs or the oldest waited maxDelayMs', () => {
    let clock = 0;
    const idle: { callback: (deadline: IdleDeadlineLike) => void; timeout: number }[] = [];
    const relay = createHookRelay({
      limits: { ...DEFAULT_RELAY_LIMITS, quietMs: 50, maxDelayMs: 250 },
      scheduler: { requestIdle: (callback, timeout) => void idle.push({ callback, timeout }), now: () => clock },
    });
    const idleMoment = () => idle.shift()?.callback({ didTimeout: false, timeRemaining: () => 50 });
    const messages = () => relay.messages.filter((m) => m.type === 'message');
    // A lone batch waits quietMs for more.
    relay.receive(stream(2));
    idleMoment();
    expect(messages()).toHaveLength(0);
    clock = 50;
    idleMoment();
    expect(messages()).toHaveLength(2);
    // A burst: a batch every 20 ms, idle moments between them.
    for (clock = 60; clock <= 140; clock += 20) {
      relay.receive([['events', 1, ['message', String(clock), '', String(clock).length, T]]]);
      idleMoment();
    }
    expect(messages()).toHaveLength(2);
    // The burst pauses: 50 ms after its last batch, an idle moment works through all of it.
    clock = 190;
    idleMoment();
    expect(messages()).toHaveLength(7);
    // A burst that does not pause (a batch every 40 ms, under the bound of batches waiting): worked
    // on once its oldest batch (200) waited 250 ms; each idle callback asks for no later timeout than that.
    const timeouts: number[] = [];
    for (clock = 200; clock <= 440; clock += 40) {
      relay.receive([['events', 1, ['message', String(clock), '', String(clock).length, T]]]);
      timeouts.push(...idle.map((request) => request.timeout));
      idleMoment();
      expect(messages()).toHaveLength(7);
    }
    clock = 449;
    idleMoment();
    expect(messages()).toHaveLength(7);
    clock = 450;
    idleMoment();
    expect(messages()).toHaveLength(7 + 7);
    expect(Math.max(...timeouts)).toBe(250);
    expect(timeouts.at(-1)).toBeLessThanOrEqual(250 - (400 - 200));
  });

  it('catching up on a page that is never idle, asks for one slice per maxDelayMs', () => {
    let clock = 0;
    const timeouts: number[] = [];
    const idle: ((deadline: IdleDeadlineLike) => void)[] = [];
    const relay = createHookRelay({
      limits: { ...DEFAULT_RELAY_LIMITS, maxSliceMs: 1, maxDelayMs: 250 },
      scheduler: {
        requestIdle: (callback, timeout) => {
          idle.push(callback);
          timeouts.push(timeout);
        },
        // Every clock reading moves 1 ms: a slice of 1 ms is one step.
        now: () => clock++,
      },
    });
    relay.receive(stream(2000));
    clock = 300;
    // The callback times out (the page was never idle): one slice, and the next wait is a full one.
    idle.shift()?.({ didTimeout: true, timeRemaining: () => 0 });
    expect(relay.messages.length).toBeLessThan(2002);
    // (The first is what was left of the batch's wait when it was asked for.)
    expect(timeouts).toEqual([249, 250]);
  });

  it('reads a batch only when it gets to it, and does one slice when the idle callback timed out', () => {
    const { relay, idle, runIdle } = relayOf({ maxSliceMs: 1 }, 1);
    let reads = 0;
    relay.receiveLater(() => {
      reads++;
      return stream(2000);
    });
    expect(reads).toBe(0);
    // A page that is never idle is still served, one slice per timed-out callback.
    runIdle(0, true);
    expect([reads, relay.messages.length]).toEqual([1, 0]);
    runIdle(0, true);
    // The stream's creation (stream-created and ready-state), not its events yet.
    expect(relay.messages.map((m) => m.type)).toEqual(['stream-created', 'ready-state']);
    expect(idle).toHaveLength(1);
  });

  it('counts each EventSource event against its bound of pending messages', () => {
    const { relay, runIdle } = relayOf({ maxSliceMs: 1, maxPendingMessages: 100 }, 1);
    relay.receive(stream(150));
    // One slice of 1 ms reads the batch, then goes on while 150 events wait, past the bound of 100.
    runIdle(0, true);
    expect(relay.messages).toHaveLength(2 + 150);
  });

  it('works at once, past its budget, while over a pending bound', () => {
    const { relay, idle } = relayOf({ maxPendingBatches: 0, maxPendingBytes: 10 });
    relay.receive([http(1), chunk(1, 'data: 12345678\n\n'), chunk(1, 'data: 9\n\n')]);
    // Read at once (one batch is past the bound), then parsed until the bytes waiting are under theirs.
    expect(relay.messages.map((m) => m.type)).toEqual(['stream-created', 'fetch-response', 'message']);
    expect(idle).toHaveLength(1);
  });
});
