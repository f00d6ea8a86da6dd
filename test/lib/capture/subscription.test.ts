import { describe, expect, it } from 'vitest';
import { CAPTURE_PORT, type BackgroundToDevtools, type CaptureObservation } from '../../../lib/capture/protocol';
import { subscribeToCapture, type SubscriptionListener } from '../../../lib/capture/subscription';
import { FakeDevtoolsPort } from '../../support/capture-fakes';

const TAB = 12;

type Heard = { observations: number[] } | { reset: 'cleared' | 'navigated' } | { state: { preserveLog: boolean; dropped: number; unpersisted: number } };

function setup() {
  const ports: FakeDevtoolsPort[] = [];
  const retries: { callback: () => void; ms: number }[] = [];
  const heard: Heard[] = [];
  const listener: SubscriptionListener = {
    observations: (observations) => heard.push({ observations: observations.map((o) => o.seq) }),
    reset: (reason) => heard.push({ reset: reason }),
    state: (state) => heard.push({ state }),
  };
  const subscription = subscribeToCapture(
    TAB,
    (name) => {
      const port = new FakeDevtoolsPort(name);
      ports.push(port);
      return port;
    },
    listener,
    (callback, ms) => retries.push({ callback, ms }),
  );
  const port = () => ports.at(-1) as FakeDevtoolsPort;
  const deliver = (message: BackgroundToDevtools | unknown) => port().onMessage.fire(message);
  /** Runs the retries scheduled so far, as their timers would. */
  const runRetries = () => {
    for (const retry of retries.splice(0)) retry.callback();
  };
  return { subscription, ports, retries, heard, port, deliver, runRetries };
}

const observation = (seq: number): CaptureObservation => ({ source: 'web-request', seq, frameId: 0, observation: { phase: 'completed', requestId: String(seq), at: seq } });
const batch = (firstSeq: number, lastSeq: number, tabId = TAB): BackgroundToDevtools => ({
  type: 'observations',
  tabId,
  firstSeq,
  observations: Array.from({ length: Math.max(0, lastSeq - firstSeq + 1) }, (_, i) => observation(firstSeq + i)),
});

describe('subscribeToCapture', () => {
  it('opens the capture port and subscribes from the beginning', () => {
    const { ports } = setup();
    expect(ports.map((p) => p.name)).toEqual([CAPTURE_PORT]);
    expect(ports[0]?.posted).toEqual([{ type: 'subscribe', tabId: TAB, since: 0 }]);
  });

  it('passes observations on, in order, and remembers the last number', () => {
    const { deliver, heard, subscription } = setup();
    deliver(batch(1, 3));
    deliver(batch(4, 4));
    expect(heard).toEqual([{ observations: [1, 2, 3] }, { observations: [4] }]);
    expect(subscription.lastSeq).toBe(4);
  });

  it('passes on no observation twice', () => {
    const { deliver, heard, subscription } = setup();
    deliver(batch(1, 3));
    deliver(batch(2, 5));
    deliver(batch(1, 5));
    expect(heard).toEqual([{ observations: [1, 2, 3] }, { observations: [4, 5] }]);
    expect(subscription.lastSeq).toBe(5);
  });

  it('passes state on with only its own fields', () => {
    const { deliver, heard } = setup();
    deliver({ type: 'state', tabId: TAB, preserveLog: true, dropped: 3, unpersisted: 1, extra: 'x' });
    expect(heard).toEqual([{ state: { preserveLog: true, dropped: 3, unpersisted: 1 } }]);
  });

  it('ignores messages about other tabs and values that are not messages', () => {
    const { deliver, heard, subscription } = setup();
    deliver(batch(1, 2, TAB + 1));
    deliver({ type: 'cleared', tabId: TAB + 1, reason: 'cleared' });
    deliver({ type: 'state', tabId: TAB + 1, preserveLog: true, dropped: 0, unpersisted: 0 });
    deliver({ type: 'observations', tabId: String(TAB), firstSeq: 1, observations: [observation(1)] });
    for (const value of [null, undefined, 'observations', 42, true]) deliver(value);
    expect(heard).toEqual([]);
    expect(subscription.lastSeq).toBe(0);
  });

  it("passes a clear on with the background's reason", () => {
    const { deliver, heard } = setup();
    deliver(batch(1, 2));
    deliver({ type: 'cleared', tabId: TAB, reason: 'navigated' });
    expect(heard.at(-1)).toEqual({ reset: 'navigated' });
  });

  it('reconnects after a disconnect and asks for what follows the last number', () => {
    const { deliver, heard, port, ports, retries, runRetries } = setup();
    deliver(batch(1, 3));
    port().onDisconnect.fire();
    expect(ports).toHaveLength(1);
    expect(retries).toHaveLength(1);
    runRetries();
    expect(ports).toHaveLength(2);
    expect(port().posted).toEqual([{ type: 'subscribe', tabId: TAB, since: 3 }]);
    deliver(batch(4, 6));
    expect(heard).toEqual([{ observations: [1, 2, 3] }, { observations: [4, 5, 6] }]);
  });

  it('reconnects again after each restart of the background', () => {
    const { deliver, port, ports, runRetries } = setup();
    for (let round = 1; round <= 3; round++) {
      deliver(batch(round, round));
      port().onDisconnect.fire();
      runRetries();
      expect(port().posted).toEqual([{ type: 'subscribe', tabId: TAB, since: round }]);
    }
    expect(ports).toHaveLength(4);
  });

  it('reconnects once for a port, however often it reports its disconnect', () => {
    const { ports, retries, runRetries } = setup();
    const first = ports[0] as FakeDevtoolsPort;
    first.onDisconnect.fire();
    first.onDisconnect.fire();
    expect(retries).toHaveLength(1);
    runRetries();
    first.onDisconnect.fire();
    expect(retries).toHaveLength(0);
    expect(ports).toHaveLength(2);
  });

  it('starts over when the backlog does not follow on from the last number (the log was cleared meanwhile)', () => {
    const { deliver, heard, port, runRetries } = setup();
    deliver(batch(1, 3));
    port().onDisconnect.fire();
    runRetries();
    deliver(batch(6, 7));
    expect(heard).toEqual([{ observations: [1, 2, 3] }, { reset: 'cleared' }, { observations: [6, 7] }]);
  });

  it('starts over once when it finds an empty log after a clear it missed', () => {
    const { deliver, heard, port, runRetries } = setup();
    deliver(batch(1, 3));
    port().onDisconnect.fire();
    runRetries();
    deliver({ type: 'observations', tabId: TAB, firstSeq: 5, observations: [] });
    deliver(batch(5, 5));
    expect(heard).toEqual([{ observations: [1, 2, 3] }, { reset: 'cleared' }, { observations: [5] }]);
  });

  it('does not start over twice for a clear it was told about', () => {
    const { deliver, heard } = setup();
    deliver(batch(1, 3));
    deliver({ type: 'cleared', tabId: TAB, reason: 'navigated' });
    deliver(batch(5, 6));
    expect(heard).toEqual([{ observations: [1, 2, 3] }, { reset: 'navigated' }, { observations: [5, 6] }]);
  });

  it('does not start over for a first backlog that begins after 1', () => {
    const { deliver, heard } = setup();
    deliver(batch(40, 41));
    expect(heard).toEqual([{ observations: [40, 41] }]);
  });

  it('stops for good on close(): disconnects, and neither a disconnect nor a pending retry reconnects', () => {
    const first = setup();
    first.subscription.close();
    expect(first.port().disconnected).toBe(true);
    first.port().onDisconnect.fire();
    expect(first.retries).toHaveLength(0);
    expect(first.ports).toHaveLength(1);

    const second = setup();
    second.port().onDisconnect.fire();
    second.subscription.close();
    second.runRetries();
    expect(second.ports).toHaveLength(1);
  });
});
