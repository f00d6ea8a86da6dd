import { describe, expect, it } from 'vitest';
import { PAGE_HOOK_BOUNDS, parsePageHookBatch, parseDevtoolsMessage, parsePageHookMessage, parseRelayMessage, type PageHookMessage } from '../../../lib/capture/protocol';

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
