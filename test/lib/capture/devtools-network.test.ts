import { describe, expect, it } from 'vitest';
import { forwardDevtoolsNetwork, type DevtoolsNetworkApi, type NetworkRequest } from '../../../lib/capture/devtools-network';
import type { DevtoolsToBackground } from '../../../lib/capture/protocol';

const TAB = 3;

function entry(fields: { url?: string; method?: string; accept?: string; contentType?: string; status?: number; resourceType?: string; messages?: unknown[] } = {}): Record<string, unknown> {
  return {
    startedDateTime: '2026-11-25T12:00:00.000Z',
    time: 20,
    request: { method: fields.method ?? 'GET', url: fields.url ?? 'https://api.test/sse', headers: fields.accept ? [{ name: 'Accept', value: fields.accept }] : [] },
    response: { status: fields.status ?? 200, statusText: 'OK', headers: fields.contentType ? [{ name: 'Content-Type', value: fields.contentType }] : [], content: { size: 10, mimeType: fields.contentType ?? '' } },
    ...(fields.resourceType ? { _resourceType: fields.resourceType } : {}),
    ...(fields.messages ? { _eventSourceMessages: fields.messages } : {}),
  };
}

function setup(har: Record<string, unknown>[] = []) {
  let listeners: ((request: NetworkRequest) => void)[] = [];
  const sent: DevtoolsToBackground[] = [];
  // The listener's work waits for a task of its own; `runQueued` runs those tasks.
  const queued: (() => void)[] = [];
  const runQueued = () => {
    for (const task of queued.splice(0)) task();
  };
  const network: DevtoolsNetworkApi = {
    onRequestFinished: {
      addListener: (callback) => void listeners.push(callback),
      removeListener: (callback) => void (listeners = listeners.filter((l) => l !== callback)),
    },
    // What DevTools holds at the moment of the call.
    getHAR: () => Promise.resolve({ entries: [...har] }),
  };
  const tap = forwardDevtoolsNetwork(network, TAB, (message) => sent.push(message), (task) => queued.push(task));
  /** The request finishes, and its queued task runs. */
  const finish = (raw: Record<string, unknown>, getContent: NetworkRequest['getContent'] = () => undefined) => {
    for (const listener of listeners) listener({ ...raw, getContent });
    runQueued();
  };
  const finishOnly = (raw: Record<string, unknown>) => {
    for (const listener of listeners) listener({ ...raw, getContent: () => undefined });
  };
  const urls = () => sent.flatMap((m) => (m.type === 'har-entries' ? m.entries.map((e) => `${e.request.method} ${e.request.url}${e.response.content.text !== undefined ? ` body=${e.response.content.text}` : ''}`) : []));
  return { sent, finish, finishOnly, runQueued, urls, tap, har, listening: () => listeners.length };
}

describe('forwardDevtoolsNetwork', () => {
  it('forwards the open streams getHAR() lists, for its own tab, and nothing else', async () => {
    const { sent, urls } = setup([entry({ resourceType: 'eventsource', messages: [] }), entry({ url: 'https://cdn.test/app.js', contentType: 'text/javascript' })]);
    await Promise.resolve();
    expect(sent.every((m) => m.type === 'har-entries' && m.tabId === TAB)).toBe(true);
    expect(urls()).toEqual(['GET https://api.test/sse']);
  });

  it('forwards Chromium entries with their messages as they are, without asking for the body', () => {
    const { finish, urls } = setup();
    let asked = 0;
    finish(entry({ resourceType: 'eventsource', contentType: 'text/event-stream', messages: [{ time: 1, eventName: 'message', eventId: '', data: 'x' }] }), () => {
      asked++;
    });
    expect(asked).toBe(0);
    expect(urls()).toEqual(['GET https://api.test/sse']);
  });

  it('returns from the listener at once and reduces and sends the entry in a task of its own', () => {
    const { finishOnly, runQueued, sent, urls } = setup();
    const messages = Array.from({ length: 50_000 }, (_, i) => ({ time: i, eventName: 'tick', eventId: String(i), data: `{"seq":${i}}` }));
    finishOnly(entry({ resourceType: 'eventsource', contentType: 'text/event-stream', messages }));
    expect(sent).toEqual([]);
    runQueued();
    expect(urls()).toEqual(['GET https://api.test/sse']);
    const [message] = sent;
    expect(message?.type === 'har-entries' ? message.entries[0]?._eventSourceMessages?.length : -1).toBe(10_000);
  });

  it('takes no finished request in while paused (the panel is shown), and on resume forwards once what finished meanwhile', async () => {
    const before = entry({ url: 'https://api.test/before', resourceType: 'eventsource', messages: [] });
    const { tap, har, finish, sent, urls, listening } = setup([before]);
    await Promise.resolve();
    expect(urls()).toEqual(['GET https://api.test/before']);

    tap.pause();
    expect(listening()).toBe(0);
    // Finished while the panel is shown: DevTools holds it, this page is not told.
    const during = entry({ url: 'https://api.test/during', resourceType: 'eventsource', messages: [{ time: 1, eventName: 'message', eventId: '', data: 'x' }] });
    har.push(during);
    finish(during);
    expect(urls()).toEqual(['GET https://api.test/before']);

    tap.resume();
    tap.resume();
    expect(listening()).toBe(1);
    await Promise.resolve();
    // The catch-up holds both entries; the one already forwarded is not sent again.
    expect(urls()).toEqual(['GET https://api.test/before', 'GET https://api.test/during']);
    finish(entry({ url: 'https://api.test/after', resourceType: 'eventsource', messages: [] }));
    expect(urls()).toEqual(['GET https://api.test/before', 'GET https://api.test/during', 'GET https://api.test/after']);
    expect(sent).toHaveLength(3);
  });

  it("reads the body of a stream whose entry has no messages (Firefox), by callback or by promise", async () => {
    const { finish, urls } = setup();
    finish(entry({ url: 'https://api.test/a', contentType: 'text/event-stream' }), (callback) => callback?.('data: a\n\n', ''));
    finish(entry({ url: 'https://api.test/b', contentType: 'text/event-stream' }), () => Promise.resolve(['data: b\n\n', '']));
    await Promise.resolve();
    await Promise.resolve();
    expect(urls()).toEqual(['GET https://api.test/a body=data: a\n\n', 'GET https://api.test/b body=data: b\n\n']);
  });

  it('forwards once even when getContent both calls back and resolves', async () => {
    const { finish, sent } = setup();
    finish(entry({ contentType: 'text/event-stream' }), (callback) => {
      callback?.('data: x\n\n', '');
      return Promise.resolve(['data: x\n\n', '']);
    });
    await Promise.resolve();
    expect(sent).toHaveLength(1);
  });

  it('keeps preflights and refused streams (by Accept) but drops unrelated requests', () => {
    const { finish, urls } = setup();
    finish({ ...entry({ method: 'OPTIONS' }), request: { method: 'OPTIONS', url: 'https://api.test/sse', headers: [{ name: 'Access-Control-Request-Method', value: 'GET' }] } });
    finish(entry({ url: 'https://api.test/blocked', accept: 'text/event-stream', status: 0 }));
    finish(entry({ url: 'https://api.test/data.json', accept: 'application/json', contentType: 'application/json' }));
    finish({ not: 'a har entry' });
    expect(urls()).toEqual(['OPTIONS https://api.test/sse', 'GET https://api.test/blocked']);
  });
});
