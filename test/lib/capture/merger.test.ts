import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureMerger } from '../../../lib/capture/merger';
import type { CaptureObservation } from '../../../lib/capture/protocol';
import type { PageObservation } from '../../browser-truth/observe';
import { CAPTURE_CASES, type CaptureCase } from '../../capture/cases';
import { expectCaptured } from '../../capture/expectations';

/**
 * The merger against captures recorded from real browsers (test/capture/record-fixtures.ts):
 * each fixture is one playground case's raw capture log plus what the page itself saw.
 */
interface Fixture {
  readonly browser: 'chromium' | 'firefox';
  readonly case: CaptureCase;
  readonly url: string;
  readonly observation: PageObservation;
  readonly capture: CaptureObservation[];
}

const DIR = join(import.meta.dirname, '../../fixtures/capture');
const fixtures: Fixture[] = readdirSync(DIR).flatMap((browser) =>
  readdirSync(join(DIR, browser)).map((file) => JSON.parse(readFileSync(join(DIR, browser, file), 'utf8')) as Fixture),
);

describe('merger on recorded captures', () => {
  it('has fixtures from real browsers', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(fixtures.map((f) => [`${f.browser} ${f.case.name}`, f] as const))('%s', (_name, fixture) => {
    // Expectations come from the case list, not from the recording.
    const c = CAPTURE_CASES.find((known) => known.name === fixture.case.name) as CaptureCase;

    it('makes exactly one stream of the case, as the page and the truth suite saw it', () => {
      const merger = new CaptureMerger({ browser: fixture.browser });
      const { changed } = merger.apply(fixture.capture);
      expect(merger.streams).toHaveLength(1);
      expect(changed).toHaveLength(1);
      expectCaptured(merger.streams[0], c, fixture.observation, fixture.url);
    });

    it('builds the same streams when the capture arrives in pieces', () => {
      const merger = new CaptureMerger({ browser: fixture.browser });
      for (const observation of fixture.capture) merger.apply([observation]);
      expect(merger.streams).toHaveLength(1);
      expectCaptured(merger.streams[0], c, fixture.observation, fixture.url);
    });
  });
});

describe('merger: a fetch refused at its preflight', () => {
  // What Chromium's webRequest and the page hook report for `fetch(url, { headers: { Accept:
  // 'text/event-stream', 'X-API-Key': 'demo' } })` against a server without an OPTIONS route: the
  // preflight, answered 404, and no request after it.
  const url = 'http://127.0.0.1:9001/sse/x';
  const page = 'http://localhost:9000';
  const at = 1_800_000_000_000;
  const capture: CaptureObservation[] = [
    { source: 'page-hook', seq: 1, frameId: 0, document: 'd', message: { type: 'stream-created', kind: 'fetch', streamId: 1, at, url, method: 'GET', credentials: 'same-origin', requestHeaders: [['accept', 'text/event-stream'], ['x-api-key', 'demo']] } },
    { source: 'web-request', seq: 2, frameId: 0, observation: { phase: 'start', requestId: '7', url, method: 'OPTIONS', resourceType: 'xmlhttprequest', initiator: page, at: at + 2 } },
    { source: 'web-request', seq: 3, frameId: 0, observation: { phase: 'request-headers', requestId: '7', headers: [['Access-Control-Request-Method', 'GET'], ['Access-Control-Request-Headers', 'x-api-key'], ['Origin', page]], at: at + 2 } },
    { source: 'web-request', seq: 4, frameId: 0, observation: { phase: 'response-headers', requestId: '7', status: 404, statusLine: 'HTTP/1.1 404 Not Found', headers: [['Content-Type', 'text/plain']], at: at + 5 } },
    { source: 'web-request', seq: 5, frameId: 0, observation: { phase: 'completed', requestId: '7', at: at + 6 } },
    { source: 'page-hook', seq: 6, frameId: 0, document: 'd', message: { type: 'fetch-failed', streamId: 1, at: at + 7, error: 'TypeError: Failed to fetch' } },
  ];

  it('joins the preflight to the hook stream and calls it blocked at the preflight', () => {
    const merger = new CaptureMerger({ browser: 'chromium' });
    merger.apply(capture);
    expect(merger.streams).toHaveLength(1);
    const [stream] = merger.streams;
    expect(stream?.record.exchanges.map((e) => [e.kind, e.status])).toEqual([['preflight', 404]]);
    expect(stream?.observed).toBe('blocked');
    // Chromium checks the preflight's Access-Control-Allow-Origin before its status (truth suite).
    expect(stream?.analysis.verdicts.chromium.corsError).toBe('PreflightMissingAllowOriginHeader');
    expect(stream?.record.client.headers).toEqual([['x-api-key', 'demo']]);
  });

  it('keeps the request DevTools lists but nobody sent (status 0) in that stream, not in a second one', () => {
    // With DevTools open, Chromium's network log has the refused request too, with no response.
    const unsent: CaptureObservation = {
      source: 'devtools-network',
      seq: 7,
      entry: {
        startedDateTime: new Date(at + 1).toISOString(),
        time: 6,
        request: { method: 'GET', url, httpVersion: '', headers: [{ name: 'Accept', value: 'text/event-stream' }, { name: 'X-API-Key', value: 'demo' }] },
        response: { status: 0, statusText: '', httpVersion: '', headers: [], redirectURL: '', content: { size: 0, mimeType: 'x-unknown' }, _error: 'net::ERR_FAILED' },
        _resourceType: 'fetch',
      },
    };
    const merger = new CaptureMerger({ browser: 'chromium' });
    merger.apply([...capture, unsent]);
    expect(merger.streams.map((s) => s.record.exchanges.map((e) => [e.kind, e.status]))).toEqual([[['preflight', 404]]]);
    // Another fetch of the same URL a while later is a stream of its own.
    const later: CaptureObservation = { ...unsent, seq: 8, entry: { ...unsent.entry, startedDateTime: new Date(at + 5000).toISOString() } };
    const apart = new CaptureMerger({ browser: 'chromium' });
    apart.apply([...capture, later]);
    expect(apart.streams).toHaveLength(2);
  });
});

describe('merger: a firehose stream', () => {
  const url = 'http://127.0.0.1:9001/sse/firehose';
  const at = 1_800_000_000_000;
  let seq = 0;
  const hook = (message: Extract<CaptureObservation, { source: 'page-hook' }>['message']): CaptureObservation => ({ source: 'page-hook', seq: ++seq, frameId: 0, document: 'd', message });
  const events = (from: number, count: number): CaptureObservation[] =>
    Array.from({ length: count }, (_, i) => hook({ type: 'message', streamId: 1, at: at + from + i, event: 'tick', data: `{"seq":${from + i}}`, lastEventId: String(from + i), size: 12 }));

  it('appends to a stream without changing a record it handed out before, and keeps the events array when only the dropped count moves', () => {
    const merger = new CaptureMerger({ browser: 'chromium', maxEventsPerStream: 5 });
    const [first] = merger.apply([hook({ type: 'stream-created', kind: 'eventsource', streamId: 1, at, url, withCredentials: false }), ...events(1, 3)]).changed;
    expect(first?.record.events.map((e) => e.at)).toEqual([1, 2, 3]);
    const [second] = merger.apply(events(4, 4)).changed;
    // Two more kept (the bound is 5), two counted; the first record still says what it said.
    expect(second?.record.events.map((e) => e.at)).toEqual([1, 2, 3, 4, 5]);
    expect(second?.record.droppedEvents).toBe(2);
    expect(first?.record.events).toHaveLength(3);
    expect(second?.record.exchanges).toEqual([]);
    const [third] = merger.apply([hook({ type: 'dropped', streamId: 1, count: 40 })]).changed;
    expect(third?.record.droppedEvents).toBe(40);
    expect(third?.record.events).toBe(second?.record.events);
  });
});
