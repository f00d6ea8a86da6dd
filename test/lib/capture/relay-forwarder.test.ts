import { describe, expect, it } from 'vitest';
import { PAGE_HOOK_BOUNDS, type PageHookMessage, type RelayMessage } from '../../../lib/capture/protocol';
import { createRelayForwarder } from '../../../lib/capture/relay-forwarder';
import { deferred } from '../../support/capture-fakes';

const DOCUMENT = '2f1b6c9e-0a4d-4a8e-9c3b-5d7e8f901234';

/** A forwarder whose sends and retries the test settles by hand. */
function setup(maxPending?: number) {
  const sends: { message: RelayMessage; settle: ReturnType<typeof deferred<unknown>> }[] = [];
  const retries: { callback: () => void; ms: number }[] = [];
  const forwarder = createRelayForwarder({
    send: (message) => {
      const settle = deferred<unknown>();
      sends.push({ message: structuredClone(message), settle });
      return settle.promise;
    },
    retryLater: (callback, ms) => retries.push({ callback, ms }),
    document: DOCUMENT,
    ...(maxPending === undefined ? {} : { maxPending }),
  });
  const last = () => sends.at(-1) as (typeof sends)[number];
  /** Settles the latest send and lets its continuation run. */
  const succeed = async () => {
    last().settle.resolve(undefined);
    await last().settle.promise;
    await Promise.resolve();
  };
  const fail = async () => {
    last().settle.reject(new Error('Could not establish connection. Receiving end does not exist.'));
    await last().settle.promise.catch(() => undefined);
    await Promise.resolve();
  };
  const runRetries = () => {
    for (const retry of retries.splice(0)) retry.callback();
  };
  return { forwarder, sends, retries, last, succeed, fail, runRetries };
}

const open = (streamId: number, at = 1): PageHookMessage => ({ type: 'open', streamId, at });
const streamIds = (message: RelayMessage | undefined) => (message?.type === 'hook-batch' ? message.messages.map((m) => ('streamId' in m ? m.streamId : 0)) : null);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('createRelayForwarder', () => {
  it('sends pushed messages as one batch under its document key', () => {
    const { forwarder, sends } = setup();
    forwarder.push([open(1), open(2)]);
    expect(sends.map((s) => s.message)).toEqual([{ type: 'hook-batch', document: DOCUMENT, messages: [open(1), open(2)] }]);
  });

  it('keeps one send in flight; what arrives meanwhile goes in the next batch', async () => {
    const { forwarder, sends, succeed } = setup();
    forwarder.push([open(1)]);
    forwarder.push([open(2)]);
    forwarder.push([open(3), open(4)]);
    expect(sends).toHaveLength(1);
    await succeed();
    expect(sends.map((s) => streamIds(s.message))).toEqual([[1], [2, 3, 4]]);
    await succeed();
    expect(sends).toHaveLength(2);
  });

  it('sends nothing for an empty push', () => {
    const { forwarder, sends } = setup();
    forwarder.push([]);
    forwarder.rejected(0);
    forwarder.rejected(-3);
    expect(sends).toEqual([]);
  });

  it('keeps a batch whose send failed and sends it again, in order, before later messages', async () => {
    const { forwarder, sends, retries, fail, succeed, runRetries } = setup();
    forwarder.push([open(1), open(2)]);
    await fail();
    expect(retries.map((r) => r.ms)).toEqual([50]);
    expect(sends).toHaveLength(1);
    runRetries();
    expect(streamIds(sends[1]?.message)).toEqual([1, 2]);
    forwarder.push([open(3)]);
    await succeed();
    expect(sends.map((s) => streamIds(s.message))).toEqual([[1, 2], [1, 2], [3]]);
  });

  it('treats a send that throws at once like a failed one, and sends the batch again', async () => {
    const sends: RelayMessage[] = [];
    const retries: (() => void)[] = [];
    let throwing = true;
    const forwarder = createRelayForwarder({
      send: (message) => {
        if (throwing) throw new Error('Extension context invalidated.');
        sends.push(structuredClone(message));
        return Promise.resolve();
      },
      retryLater: (callback) => retries.push(callback),
      document: DOCUMENT,
    });
    expect(() => forwarder.push([open(1)])).not.toThrow();
    await Promise.resolve();
    expect(retries).toHaveLength(1);
    throwing = false;
    retries.splice(0).forEach((retry) => retry());
    expect(sends.map(streamIds)).toEqual([[1]]);
  });

  it('sends what arrived during a failure after what failed, one send at a time', async () => {
    const { forwarder, sends, fail, succeed, runRetries } = setup();
    forwarder.push([open(1)]);
    await fail();
    forwarder.push([open(2)]);
    // The push sent at once; the retry timer finds a send in flight and does nothing.
    runRetries();
    expect(sends.map((s) => streamIds(s.message))).toEqual([[1], [1, 2]]);
    await succeed();
    expect(sends).toHaveLength(2);
  });

  it('waits longer after each failure in a row, and starts again after a success', async () => {
    const { forwarder, retries, fail, succeed, runRetries } = setup();
    const delays: number[] = [];
    forwarder.push([open(1)]);
    for (let i = 0; i < 6; i++) {
      await fail();
      delays.push(...retries.map((r) => r.ms));
      runRetries();
    }
    await succeed();
    forwarder.push([open(2)]);
    await fail();
    delays.push(...retries.map((r) => r.ms));
    expect(delays).toEqual([50, 200, 1000, 5000, 5000, 5000, 50]);
  });

  it('caps batches at PAGE_HOOK_BOUNDS.maxBatchLength and loses or repeats nothing', async () => {
    const { forwarder, sends, succeed } = setup();
    const total = 2 * PAGE_HOOK_BOUNDS.maxBatchLength + 7;
    forwarder.push(range(1, total).map((id) => open(id)));
    for (let i = 0; i < 5; i++) await succeed();
    expect(sends.map((s) => streamIds(s.message)?.length)).toEqual([PAGE_HOOK_BOUNDS.maxBatchLength, PAGE_HOOK_BOUNDS.maxBatchLength, 7]);
    expect(sends.flatMap((s) => streamIds(s.message) ?? [])).toEqual(range(1, total));
  });

  it('drops the newest messages past maxPending and reports them as overflowed after the batch', async () => {
    const { forwarder, sends, succeed } = setup(5);
    forwarder.push(range(1, 4).map((id) => open(id)));
    // Sent but not yet confirmed: still pending, so still taking room.
    forwarder.push(range(5, 8).map((id) => open(id)));
    forwarder.push([open(9)]);
    await succeed();
    expect(streamIds(sends[1]?.message)).toEqual([5]);
    await succeed();
    expect(sends[2]?.message).toEqual({ type: 'hook-rejected', document: DOCUMENT, rejected: 0, overflowed: 4 });
    await succeed();
    expect(sends).toHaveLength(3);
  });

  it('reports rejected batches, and counts only what the background confirmed', async () => {
    const { forwarder, sends, fail, succeed, runRetries } = setup();
    forwarder.rejected(2);
    expect(sends[0]?.message).toEqual({ type: 'hook-rejected', document: DOCUMENT, rejected: 2, overflowed: 0 });
    await fail();
    forwarder.rejected(1);
    runRetries();
    expect(sends.at(-1)?.message).toEqual({ type: 'hook-rejected', document: DOCUMENT, rejected: 3, overflowed: 0 });
    forwarder.rejected(4);
    await succeed();
    expect(sends.at(-1)?.message).toEqual({ type: 'hook-rejected', document: DOCUMENT, rejected: 4, overflowed: 0 });
    await succeed();
    expect(sends).toHaveLength(3);
  });

  it('sends waiting messages before the counts', async () => {
    const { forwarder, sends, succeed } = setup();
    forwarder.push([open(1)]);
    forwarder.rejected(1);
    forwarder.push([open(2)]);
    await succeed();
    await succeed();
    expect(sends.map((s) => s.message.type)).toEqual(['hook-batch', 'hook-batch', 'hook-rejected']);
  });
});
