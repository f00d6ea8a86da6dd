import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PanelFeed } from '../../../lib/capture/captured';
import { createCaptureFeed } from '../../../lib/capture/panel-feed';
import type { CaptureObservation, DevtoolsToBackground } from '../../../lib/capture/protocol';
import { FakeDevtoolsPort } from '../../support/capture-fakes';

// A recorded Chromium capture of a reconnect loop (test/capture/record-fixtures.ts).
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/capture/chromium/eventsource-reconnect-loop.json'), 'utf8')) as { capture: CaptureObservation[] };
const TAB = 7;

function setup() {
  const ports: FakeDevtoolsPort[] = [];
  const sent: DevtoolsToBackground[] = [];
  const timers: (() => void)[] = [];
  const delays: number[] = [];
  const clock = { now: 1000 };
  const feed = createCaptureFeed({
    tabId: TAB,
    browser: 'chromium',
    connect: (name) => {
      const port = new FakeDevtoolsPort(name);
      ports.push(port);
      return port;
    },
    send: (message) => sent.push(message),
    schedule: (callback, ms) => {
      timers.push(callback);
      delays.push(ms);
    },
    now: () => clock.now,
  });
  const heard: PanelFeed[] = [];
  feed.connect((message) => heard.push(message));
  const deliver = (observations: CaptureObservation[]) =>
    ports.at(-1)?.onMessage.fire({ type: 'observations', tabId: TAB, firstSeq: observations[0]?.seq ?? 1, observations });
  const runTimers = () => timers.splice(0).forEach((timer) => timer());
  return { feed, heard, sent, deliver, runTimers, ports, delays, clock };
}

describe('createCaptureFeed', () => {
  it('subscribes to its tab and merges what arrives, once per interval', () => {
    const { heard, deliver, runTimers, ports } = setup();
    expect(ports[0]?.posted).toEqual([{ type: 'subscribe', tabId: TAB, since: 0 }]);
    const half = Math.floor(fixture.capture.length / 2);
    deliver(fixture.capture.slice(0, half));
    deliver(fixture.capture.slice(half));
    expect(heard.filter((m) => m.type === 'streams')).toHaveLength(0);
    runTimers();
    const streams = heard.filter((m) => m.type === 'streams');
    expect(streams).toHaveLength(1);
    const [stream] = streams[0]?.type === 'streams' ? streams[0].streams : [];
    expect(stream?.record.client.kind).toBe('eventsource');
    expect(stream?.retryLoop?.attempts).toBe(3);
  });

  it('merges news after a quiet spell within a frame, then batches a steady flow once per interval', () => {
    const { heard, deliver, runTimers, delays, clock } = setup();
    const merges = () => heard.filter((m) => m.type === 'streams').length;
    // Ten pieces of the capture, each 5 ms after the previous merge: as a firehose would send them.
    const pieces = Array.from({ length: 10 }, (_, i) => fixture.capture.slice((i * fixture.capture.length) / 10, ((i + 1) * fixture.capture.length) / 10));
    deliver(pieces[0] ?? []);
    expect(delays).toEqual([0]);
    runTimers();
    expect(merges()).toBe(1);
    for (const piece of pieces.slice(1, 6)) {
      clock.now += 5;
      deliver(piece);
      clock.now += delays.at(-1) ?? 0;
      runTimers();
    }
    // A frame apart while the burst lasts (4 merges; the bucket refills 0.16 of a merge per
    // 16 ms), then waiting for the next whole token: 47 ms, then 95 ms (interval less the 5 ms).
    expect(delays.map(Math.round)).toEqual([0, 11, 11, 11, 47, 95]);
    // Quiet for a while: at once again.
    clock.now += 1000;
    deliver(pieces[6] ?? []);
    expect(delays.at(-1)).toBe(0);
  });

  it('ignores what arrives while paused, and says so', () => {
    const { feed, heard, deliver, runTimers } = setup();
    feed.send({ type: 'set-recording', recording: false });
    expect(heard.at(-1)).toEqual({ type: 'capture-state', recording: false, preserveLog: false });
    deliver(fixture.capture);
    runTimers();
    expect(heard.some((m) => m.type === 'streams')).toBe(false);
  });

  it('passes clear and preserve-log to the background for its own tab', () => {
    const { feed, sent } = setup();
    feed.send({ type: 'clear' });
    feed.send({ type: 'set-preserve-log', preserve: true });
    expect(sent).toEqual([
      { type: 'clear', tabId: TAB },
      { type: 'set-preserve-log', tabId: TAB, preserve: true },
    ]);
  });

  it('starts over when the background clears the log', () => {
    const { heard, deliver, runTimers, ports } = setup();
    deliver(fixture.capture);
    runTimers();
    ports.at(-1)?.onMessage.fire({ type: 'cleared', tabId: TAB, reason: 'navigated' });
    expect(heard.at(-1)).toEqual({ type: 'reset', reason: 'navigated' });
  });

  it('gives a late listener the streams merged so far', () => {
    const { feed, deliver, runTimers } = setup();
    deliver(fixture.capture);
    runTimers();
    const late: PanelFeed[] = [];
    feed.connect((message) => late.push(message));
    expect(late.map((m) => m.type)).toEqual(['capture-state', 'streams']);
  });
});
