import { describe, expect, it } from 'vitest';
import {
  PAGE_HOOK_BOUNDS,
  WIRE_BOUNDS,
  WIRE_MAX_DATA,
  WIRE_MAX_STRING,
  parseDevtoolsMessage,
  parsePageHookBatch,
  parsePageHookMessage,
  parsePageHookWireBatch,
  parsePageHookWireMessage,
  parseRelayMessage,
  type PageHookMessage,
  type PageHookWireMessage,
} from '../../../lib/capture/protocol';

const AT = 1_760_000_000_000.25;

const VALID: Record<string, PageHookMessage> = {
  'eventsource created': { type: 'stream-created', kind: 'eventsource', streamId: 1, at: AT, url: 'https://api.test/sse', withCredentials: true },
  'fetch created': {
    type: 'stream-created',
    kind: 'fetch',
    streamId: 2,
    at: AT,
    url: 'https://api.test/sse',
    method: 'POST',
    credentials: 'include',
    requestHeaders: [['authorization', 'Bearer x'], ['content-type', 'application/json']],
  },
  'ready-state': { type: 'ready-state', streamId: 1, state: 2, at: AT },
  open: { type: 'open', streamId: 1, at: AT },
  error: { type: 'error', streamId: 1, at: AT },
  message: { type: 'message', streamId: 1, event: 'update', data: 'x'.repeat(PAGE_HOOK_BOUNDS.maxDataLength), lastEventId: '7', size: 1_000_000, at: AT },
  'closed-by-page': { type: 'closed-by-page', streamId: 1, at: AT },
  'fetch-response': { type: 'fetch-response', streamId: 2, at: AT, status: 200, statusText: 'OK', contentType: 'text/event-stream; charset=utf-8', redirected: false },
  'fetch-failed': { type: 'fetch-failed', streamId: 2, at: AT, error: 'TypeError: Failed to fetch' },
  'body-end': { type: 'body-end', streamId: 2, at: AT, reason: 'error' },
  dropped: { type: 'dropped', streamId: 1, count: 12 },
  'streams-dropped': { type: 'streams-dropped', count: 3 },
};

/** Copies a valid message with one field replaced (or removed, for `undefined`). */
function altered(name: string, field: string, value: unknown): unknown {
  const copy: Record<string, unknown> = { ...VALID[name] };
  if (value === undefined) delete copy[field];
  else copy[field] = value;
  return copy;
}

describe('parsePageHookMessage', () => {
  it.each(Object.entries(VALID))('accepts a valid %s message as an equal, fresh copy', (_name, message) => {
    const parsed = parsePageHookMessage(message);
    expect(parsed).toEqual(message);
    expect(parsed).not.toBe(message);
  });

  it('accepts a structured clone, which is how messages arrive', () => {
    for (const message of Object.values(VALID)) expect(parsePageHookMessage(structuredClone(message))).toEqual(message);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'message'],
    ['a number', 1],
    ['an array', [VALID.open]],
    ['an unknown type', { type: 'eval', streamId: 1, at: AT }],
    ['a forged kind', altered('eventsource created', 'kind', 'websocket')],
    ['a type that is not a string', altered('open', 'type', ['open'])],
    ['a missing field', altered('open', 'at', undefined)],
    ['an extra field', altered('open', 'tabId', 7)],
    ['stream id 0', altered('open', 'streamId', 0)],
    ['a fractional stream id', altered('open', 'streamId', 1.5)],
    ['a string stream id', altered('open', 'streamId', '1')],
    ['a stream id past the bound', altered('open', 'streamId', 2 ** 40)],
    ['NaN time', altered('open', 'at', Number.NaN)],
    ['infinite time', altered('open', 'at', Number.POSITIVE_INFINITY)],
    ['negative time', altered('open', 'at', -1)],
    ['ready state 3', altered('ready-state', 'state', 3)],
    ['ready state as a string', altered('ready-state', 'state', '1')],
    ['data past the bound', altered('message', 'data', 'x'.repeat(PAGE_HOOK_BOUNDS.maxDataLength + 1))],
    ['a size smaller than the data', altered('message', 'size', 3)],
    ['a negative size', altered('message', 'size', -1)],
    ['data that is an object', altered('message', 'data', { toString: () => 'x' })],
    ['an event type past the bound', altered('message', 'event', 'e'.repeat(PAGE_HOOK_BOUNDS.maxEventTypeLength + 1))],
    ['a huge url', altered('eventsource created', 'url', 'u'.repeat(PAGE_HOOK_BOUNDS.maxUrlLength + 1))],
    ['withCredentials as a string', altered('eventsource created', 'withCredentials', 'true')],
    ['an unknown credentials mode', altered('fetch created', 'credentials', 'always')],
    ['an empty method', altered('fetch created', 'method', '')],
    ['headers that are not pairs', altered('fetch created', 'requestHeaders', [['a']])],
    ['a header value that is a number', altered('fetch created', 'requestHeaders', [['a', 1]])],
    ['too many headers', altered('fetch created', 'requestHeaders', Array.from({ length: PAGE_HOOK_BOUNDS.maxHeaderCount + 1 }, (_, i) => [`h${i}`, 'v']))],
    ['headers as an object', altered('fetch created', 'requestHeaders', { a: 'b' })],
    ['status 1000', altered('fetch-response', 'status', 1000)],
    ['an unknown body-end reason', altered('body-end', 'reason', 'timeout')],
    ['a fetch-failed error past the bound', altered('fetch-failed', 'error', 'e'.repeat(PAGE_HOOK_BOUNDS.maxErrorLength + 1))],
    ['a fetch-failed error that is not a string', altered('fetch-failed', 'error', new Error('x'))],
    ['an xhr stream (the hook does not follow XHR)', altered('fetch created', 'kind', 'xhr')],
    ['a dropped count of 0', altered('dropped', 'count', 0)],
    ['an infinite dropped count', altered('streams-dropped', 'count', Number.POSITIVE_INFINITY)],
  ])('rejects %s', (_name, value) => {
    expect(parsePageHookMessage(value)).toBeNull();
  });

  it('rejects prototype-pollution keys and forged prototypes, and pollutes nothing', () => {
    const ownProto = JSON.parse('{"type":"closed-by-page","streamId":1,"__proto__":{"polluted":true}}') as unknown;
    expect(parsePageHookMessage(ownProto)).toBeNull();
    const inherited = Object.assign(Object.create({ extra: 1 }) as object, VALID.open);
    expect(parsePageHookMessage(inherited)).toBeNull();
    const constructorKey = JSON.parse('{"type":"streams-dropped","count":1,"constructor":{"prototype":{"polluted":true}}}') as unknown;
    expect(parsePageHookMessage(constructorKey)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads each field once, so a getter cannot answer differently later', () => {
    let reads = 0;
    const message = {
      type: 'open',
      streamId: 1,
      get at() {
        reads++;
        return reads === 1 ? AT : Number.NaN;
      },
    };
    expect(parsePageHookMessage(message)).toEqual({ type: 'open', streamId: 1, at: AT });
    expect(reads).toBe(1);
  });
});

describe('parsePageHookBatch', () => {
  it('keeps the valid messages of a batch and counts the rest', () => {
    expect(parsePageHookBatch([VALID.open, { type: 'open' }, VALID.dropped, 'junk'])).toEqual({ messages: [VALID.open, VALID.dropped], rejected: 2 });
  });

  it('refuses a batch that is not an array or is past the bound', () => {
    expect(parsePageHookBatch({ length: 1, 0: VALID.open })).toEqual({ messages: [], rejected: 1 });
    const huge = Array.from({ length: PAGE_HOOK_BOUNDS.maxBatchLength + 1 }, () => VALID.open);
    expect(parsePageHookBatch(huge)).toEqual({ messages: [], rejected: huge.length });
  });
});

const DOC = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

describe('parseRelayMessage', () => {
  it('accepts a batch only when every message in it is valid', () => {
    expect(parseRelayMessage({ type: 'hook-batch', document: DOC, messages: [VALID.open] })).toEqual({ type: 'hook-batch', document: DOC, messages: [VALID.open] });
    expect(parseRelayMessage({ type: 'hook-batch', document: DOC, messages: [VALID.open, { type: 'open' }] })).toBeNull();
    expect(parseRelayMessage({ type: 'hook-batch', document: DOC, messages: [], tabId: 3 })).toBeNull();
  });

  it("needs the relay's document key", () => {
    expect(parseRelayMessage({ type: 'hook-batch', messages: [VALID.open] })).toBeNull();
    expect(parseRelayMessage({ type: 'hook-batch', document: '../../etc', messages: [VALID.open] })).toBeNull();
    expect(parseRelayMessage({ type: 'hook-batch', document: DOC.repeat(2), messages: [VALID.open] })).toBeNull();
  });

  it('accepts rejection counts and refuses anything else', () => {
    expect(parseRelayMessage({ type: 'hook-rejected', document: DOC, rejected: 2, overflowed: 0 })).toEqual({ type: 'hook-rejected', document: DOC, rejected: 2, overflowed: 0 });
    expect(parseRelayMessage({ type: 'hook-rejected', document: DOC, rejected: -1, overflowed: 0 })).toBeNull();
    expect(parseRelayMessage({ type: 'navigate', url: 'https://evil.test' })).toBeNull();
    expect(parseRelayMessage(undefined)).toBeNull();
  });
});

describe('parseDevtoolsMessage', () => {
  it('accepts the four commands with their exact shapes', () => {
    expect(parseDevtoolsMessage({ type: 'subscribe', tabId: 4, since: 0 })).toEqual({ type: 'subscribe', tabId: 4, since: 0 });
    expect(parseDevtoolsMessage({ type: 'clear', tabId: 4 })).toEqual({ type: 'clear', tabId: 4 });
    expect(parseDevtoolsMessage({ type: 'set-preserve-log', tabId: 4, preserve: true })).toEqual({ type: 'set-preserve-log', tabId: 4, preserve: true });
    expect(parseDevtoolsMessage({ type: 'har-entries', tabId: 4, entries: [] })).toEqual({ type: 'har-entries', tabId: 4, entries: [] });
  });

  it('refuses wrong shapes, negative ids and extra keys', () => {
    expect(parseDevtoolsMessage({ type: 'subscribe', tabId: -1, since: 0 })).toBeNull();
    expect(parseDevtoolsMessage({ type: 'subscribe', tabId: 1.5, since: 0 })).toBeNull();
    expect(parseDevtoolsMessage({ type: 'clear', tabId: 4, extra: 1 })).toBeNull();
    expect(parseDevtoolsMessage({ type: 'set-preserve-log', tabId: 4, preserve: 'yes' })).toBeNull();
    expect(parseDevtoolsMessage({ type: 'har-entries', tabId: 4, entries: 'x' })).toBeNull();
    expect(parseDevtoolsMessage(null)).toBeNull();
  });

  it('keeps only HAR entries that can belong to an event stream', () => {
    const entry = (accept: string) => ({
      startedDateTime: '2026-11-25T12:00:00.000Z',
      time: 10,
      request: { method: 'GET', url: 'https://api.test/x', headers: [{ name: 'Accept', value: accept }] },
      response: { status: 200, headers: [], content: { mimeType: 'text/html' } },
    });
    const parsed = parseDevtoolsMessage({ type: 'har-entries', tabId: 1, entries: [entry('text/event-stream'), entry('text/html'), 42] });
    expect(parsed?.type === 'har-entries' ? parsed.entries.map((e) => e.request.url) : null).toEqual(['https://api.test/x']);
  });
});

const REQUEST = ['/api/chat', 'POST', 'include', [['accept', 'text/event-stream'], ['authorization', 'Bearer x']]] as const;

/** One valid tuple of every wire type. */
const WIRE: Record<string, PageHookWireMessage> = {
  es: ['es', 1, AT, 'https://api.test/sse', true],
  open: ['open', 1, AT, 1],
  error: ['error', 1, AT, 0],
  events: ['events', 1, ['message', 'a', '1', 1, AT, 'update', 'x'.repeat(WIRE_MAX_DATA), '', 1_000_000, AT + 1]],
  close: ['close', 1, AT],
  dropped: ['dropped', 1, 42],
  http: ['http', 2, AT, AT + 5, ...REQUEST, 200, 'OK', 'text/event-stream', 'https://api.test/api/chat', false],
  failed: ['failed', 3, AT, AT + 5, ...REQUEST, 'TypeError: Failed to fetch'],
  chunk: ['chunk', 2, AT, new TextEncoder().encode('data: a\n\n')],
  text: ['text', 2, AT, 'data: é\n\n'],
  end: ['end', 2, AT, 'complete'],
};

/** Copies a valid tuple with one slot replaced (or cut off, for `undefined` at the end). */
function slot(name: string, index: number, value: unknown): unknown[] {
  const copy: unknown[] = [...(WIRE[name] as readonly unknown[])];
  if (value === undefined && index === copy.length - 1) copy.pop();
  else copy[index] = value;
  return copy;
}

/** A real array whose slot `index` answers `first`, then `later` on every further read. */
function fickle(tuple: readonly unknown[], index: number, first: unknown, later: unknown): { array: unknown[]; reads: () => number } {
  const array = [...tuple];
  let reads = 0;
  Object.defineProperty(array, index, {
    enumerable: true,
    get() {
      reads++;
      return reads === 1 ? first : later;
    },
  });
  return { array, reads: () => reads };
}

describe('parsePageHookWireMessage', () => {
  it.each(Object.entries(WIRE))('accepts a valid %s tuple as an equal, fresh copy', (_name, message) => {
    const parsed = parsePageHookWireMessage(message);
    expect(parsed).toEqual(message);
    expect(parsed).not.toBe(message);
  });

  it('accepts a structured clone, which is how tuples arrive', () => {
    for (const message of Object.values(WIRE)) expect(parsePageHookWireMessage(structuredClone(message))).toEqual(message);
  });

  const bytesOf = (text: string) => new TextEncoder().encode(text);
  it.each<[string, unknown]>([
    ['null', null],
    ['an object with the same slots', { ...WIRE.open }],
    ['an array-like object', { length: 4, 0: 'open', 1: 1, 2: AT, 3: 1 }],
    ['an observation object', { type: 'open', streamId: 1, at: AT }],
    ['a lone message tuple', ['message', 1, 'message', 'a', '', 1, AT]],
    ['an unknown type', ['eval', 1, AT]],
    ['a missing slot', slot('open', 3, undefined)],
    ['an extra slot', [...(WIRE.close as readonly unknown[]), 'extra']],
    ['stream id 0', slot('close', 1, 0)],
    ['a string stream id', slot('close', 1, '1')],
    ['NaN time', slot('close', 2, Number.NaN)],
    ['readyState 3', slot('open', 3, 3)],
    ['withCredentials as a string', slot('es', 4, 'true')],
    ['events that are not an array', slot('events', 2, 'message')],
    ['no events', slot('events', 2, [])],
    ['an event cut short', slot('events', 2, ['message', 'a', '', 1])],
    ['event data past the bound', slot('events', 2, ['message', 'x'.repeat(WIRE_MAX_DATA + 1), '', WIRE_MAX_DATA + 1, AT])],
    ['an event type past the wire bound', slot('events', 2, ['e'.repeat(WIRE_MAX_STRING + 1), 'a', '', 1, AT])],
    ['an event size below its data length', slot('events', 2, ['message', 'abc', '', 2, AT])],
    ['an event time that is a string', slot('events', 2, ['message', 'a', '', 1, String(AT)])],
    ['too many events in one tuple', slot('events', 2, Array.from({ length: WIRE_BOUNDS.maxEventsPerTuple + 1 }, () => ['message', 'a', '', 1, AT]).flat())],
    ['an empty method', slot('http', 5, '')],
    ['an unknown credentials mode', slot('http', 6, 'always')],
    ['headers as an object', slot('http', 7, { accept: 'text/event-stream' })],
    ['a header that is not a pair', slot('http', 7, [['accept']])],
    ['a header with an empty name', slot('http', 7, [['', 'x']])],
    ['too many headers', slot('http', 7, Array.from({ length: WIRE_BOUNDS.maxHeaderCount + 1 }, (_, i) => [`h${i}`, 'v']))],
    ['status 1000', slot('http', 8, 1000)],
    ['redirected as a number', slot('http', 12, 1)],
    ['an http tuple without redirected', slot('http', 12, undefined)],
    ['an error that is not a string', slot('failed', 8, new Error('x'))],
    ['a chunk of text', slot('chunk', 3, 'data: a\n\n')],
    ['a chunk that is an ArrayBuffer', slot('chunk', 3, bytesOf('a').buffer)],
    ['a chunk that is a DataView', slot('chunk', 3, new DataView(new ArrayBuffer(4)))],
    ['a chunk that is an Int8Array', slot('chunk', 3, new Int8Array(4))],
    ['a chunk that only inherits from Uint8Array', slot('chunk', 3, Object.create(Uint8Array.prototype))],
    ['a chunk past the bound', slot('chunk', 3, new Uint8Array(WIRE_BOUNDS.maxChunkBytes + 1))],
    ['text that is bytes', slot('text', 3, bytesOf('data: a\n\n'))],
    ['text past the chunk bound', slot('text', 3, 'x'.repeat(WIRE_BOUNDS.maxChunkBytes + 1))],
    ['an unknown end reason', slot('end', 3, 'timeout')],
    ['a dropped count of 0', slot('dropped', 2, 0)],
    ['a fractional dropped count', slot('dropped', 2, 1.5)],
  ])('rejects %s', (_name, value) => {
    expect(parsePageHookWireMessage(value)).toBeNull();
  });

  it('cuts a request\'s strings to the wire bound (the hook sends them whole), and keeps XHR text whole', () => {
    const long = (c: string) => c.repeat(WIRE_MAX_STRING + 1);
    const cut = (c: string) => c.repeat(WIRE_MAX_STRING);
    expect(parsePageHookWireMessage(slot('es', 3, long('u')))).toEqual(slot('es', 3, cut('u')));
    const http = [...slot('http', 4, long('u'))];
    http[5] = long('M');
    http[7] = [[long('n'), long('v')]];
    http[9] = long('s');
    http[10] = long('c');
    http[11] = long('r');
    expect(parsePageHookWireMessage(http)).toEqual(['http', 2, AT, AT + 5, cut('u'), cut('M'), 'include', [[cut('n'), cut('v')]], 200, cut('s'), cut('c'), cut('r'), false]);
    expect(parsePageHookWireMessage(slot('failed', 8, long('e')))).toEqual(slot('failed', 8, cut('e')));
    expect(parsePageHookWireMessage(slot('text', 3, long('x')))).toEqual(slot('text', 3, long('x')));
  });

  it('judges a chunk by its real length, not an own byteLength', () => {
    const big = new Uint8Array(WIRE_BOUNDS.maxChunkBytes + 1);
    Object.defineProperty(big, 'byteLength', { value: 1 });
    expect(parsePageHookWireMessage(slot('chunk', 3, big))).toBeNull();
  });

  it('accepts an Int8Array only when it really is a Uint8Array, whatever its prototype says', () => {
    const disguised = Object.setPrototypeOf(new Int8Array(4), Uint8Array.prototype) as unknown;
    expect(parsePageHookWireMessage(slot('chunk', 3, disguised))).toBeNull();
  });

  it('reads each slot once, so a getter cannot answer differently later', () => {
    const tuple = fickle(WIRE.http as readonly unknown[], 8, 200, Number.NaN);
    expect(parsePageHookWireMessage(tuple.array)?.[8]).toBe(200);
    expect(tuple.reads()).toBe(1);
    const events = fickle(['message', 'a', '', 1, AT], 1, 'a', { toString: () => 'forged' });
    const parsed = parsePageHookWireMessage(['events', 1, events.array]);
    expect(parsed).toEqual(['events', 1, ['message', 'a', '', 1, AT]]);
    expect(events.reads()).toBe(1);
  });

  it('copies only the slots a tuple has, whatever a proxy answers beyond them', () => {
    const liar = new Proxy(['close', 1, AT], { get: (target, key) => (key === '3' ? 'extra' : Reflect.get(target, key)) });
    const parsed = parsePageHookWireMessage(liar);
    expect(parsed).toEqual(['close', 1, AT]);
    expect(parsed).not.toBe(liar);
  });

  it('refuses objects where strings belong, and pollutes nothing', () => {
    const polluting = JSON.parse('["http",2,1,1,"/s","GET","omit",[{"__proto__":{"polluted":true}}],200,"OK","text/event-stream","",false]') as unknown;
    expect(parsePageHookWireMessage(polluting)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parsePageHookWireBatch', () => {
  it('keeps the valid tuples of a batch and counts the rest', () => {
    expect(parsePageHookWireBatch([WIRE.open, ['open', 1], WIRE.close, 'junk'])).toEqual({ messages: [WIRE.open, WIRE.close], rejected: 2 });
  });

  it('refuses a batch that is not an array or is past the bound', () => {
    expect(parsePageHookWireBatch({ length: 1, 0: WIRE.open })).toEqual({ messages: [], rejected: 1 });
    const huge = Array.from({ length: WIRE_BOUNDS.maxBatchLength + 1 }, () => WIRE.close);
    expect(parsePageHookWireBatch(huge)).toEqual({ messages: [], rejected: huge.length });
  });
});
