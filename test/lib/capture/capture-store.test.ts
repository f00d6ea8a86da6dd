import { describe, expect, it } from 'vitest';
import { CaptureStore, dataCharsOf, type CaptureStoreLimits, type CaptureStoreListener } from '../../../lib/capture/capture-store';
import type { HarEntrySummary } from '../../../lib/capture/har-entry';
import type { CaptureObservation, UnnumberedObservation } from '../../../lib/capture/protocol';
import { MemorySession } from '../../support/capture-fakes';

/** What the listener was told, in order. */
type Heard = { appended: [tabId: number, seqs: number[]] } | { cleared: [tabId: number, reason: 'cleared' | 'navigated'] };

function recorder() {
  const heard: Heard[] = [];
  const listener: CaptureStoreListener = {
    appended: (tabId, observations) => heard.push({ appended: [tabId, observations.map((o) => o.seq)] }),
    cleared: (tabId, reason) => heard.push({ cleared: [tabId, reason] }),
  };
  return { heard, listener };
}

function setup(limits: Partial<CaptureStoreLimits> = {}, session = new MemorySession()) {
  const { heard, listener } = recorder();
  const store = new CaptureStore(session, listener, { maxObservationsPerTab: 1000, maxDataCharsPerTab: 100_000, chunkSize: 3, ...limits });
  return { store, session, heard };
}

/** A web-request observation: no event data, so it never counts against the data budget. */
const completed = (requestId: string): UnnumberedObservation => ({ source: 'web-request', frameId: 0, observation: { phase: 'completed', requestId, at: 1 } });
/** A page-hook message event carrying `data`. */
const message = (data: string): UnnumberedObservation => ({
  source: 'page-hook',
  frameId: 0,
  document: '00000000-0000-4000-8000-000000000000',
  message: { type: 'message', streamId: 1, event: 'message', data, lastEventId: '', size: data.length, at: 1 },
});

const seqs = (observations: readonly CaptureObservation[]) => observations.map((o) => o.seq);
const ids = (observations: readonly CaptureObservation[]) => observations.map((o) => (o.source === 'web-request' ? o.observation.requestId : o.source));

function appendAll(store: CaptureStore, tabId: number, count: number, prefix = 'r'): void {
  for (let i = 0; i < count; i++) store.append(tabId, completed(`${prefix}${i}`));
}

describe('CaptureStore: numbering and announcing', () => {
  it('numbers observations per tab from 1, in order', async () => {
    const { store } = setup();
    store.append(1, completed('a'));
    store.append(2, completed('x'));
    store.append(1, completed('b'));
    store.append(1, completed('c'));
    await store.settled();
    expect(seqs(store.since(1, 0).observations)).toEqual([1, 2, 3]);
    expect(ids(store.since(1, 0).observations)).toEqual(['a', 'b', 'c']);
    expect(seqs(store.since(2, 0).observations)).toEqual([1]);
  });

  it('announces observations only once storage has them, and serves only those', async () => {
    const { store, session, heard } = setup();
    session.hold = true;
    const written = session.nextSet();
    store.append(1, completed('a'));
    store.append(1, completed('b'));
    await written;
    expect(heard).toEqual([]);
    expect(store.since(1, 0).observations).toEqual([]);
    session.release();
    await store.settled();
    // Both appends of one task went out in one write and one announcement.
    expect(session.sets).toHaveLength(1);
    expect(heard).toEqual([{ appended: [1, [1, 2]] }]);
    expect(seqs(store.since(1, 0).observations)).toEqual([1, 2]);
  });

  it('coalesces what arrives during a write into the next single write', async () => {
    const { store, session, heard } = setup({ chunkSize: 100 });
    session.hold = true;
    const first = session.nextSet();
    store.append(1, completed('a'));
    await first;
    const second = session.nextSet();
    appendAll(store, 1, 5, 'later');
    store.append(2, completed('other'));
    expect(session.sets).toHaveLength(1);
    session.release();
    await second;
    session.release();
    await store.settled();
    expect(session.sets).toHaveLength(2);
    expect(heard).toEqual([{ appended: [1, [1]] }, { appended: [1, [2, 3, 4, 5, 6]] }, { appended: [2, [1]] }]);
  });

  it('answers since() with what follows a sequence number', async () => {
    const { store } = setup();
    appendAll(store, 1, 5);
    await store.settled();
    expect(store.since(1, 3)).toMatchObject({ firstSeq: 4 });
    expect(seqs(store.since(1, 3).observations)).toEqual([4, 5]);
    expect(store.since(1, 5)).toEqual({ firstSeq: 6, observations: [] });
    expect(store.since(1, 50)).toEqual({ firstSeq: 51, observations: [] });
    expect(store.since(9, 0)).toEqual({ firstSeq: 1, observations: [] });
  });
});

describe('CaptureStore: a restarted worker', () => {
  it('restores the same log in a new store and goes on numbering', async () => {
    const session = new MemorySession();
    const before = setup({}, session);
    appendAll(before.store, 1, 7);
    appendAll(before.store, 2, 2);
    before.store.setPreserveLog(2, true);
    await before.store.settled();

    const after = setup({}, session);
    await after.store.restore();
    expect(after.store.since(1, 0)).toEqual(before.store.since(1, 0));
    expect(after.store.since(2, 0)).toEqual(before.store.since(2, 0));
    expect(after.store.state(2)).toEqual({ preserveLog: true, dropped: 0, unpersisted: 0 });
    after.store.append(1, completed('new'));
    await after.store.settled();
    expect(after.heard).toEqual([{ appended: [1, [8]] }]);
    expect(seqs(after.store.since(1, 6).observations)).toEqual([7, 8]);
  });

  it('goes on numbering after a clear, across a restart', async () => {
    const session = new MemorySession();
    const before = setup({}, session);
    appendAll(before.store, 1, 4);
    await before.store.settled();
    before.store.clear(1, 'cleared');
    await before.store.settled();

    const after = setup({}, session);
    await after.store.restore();
    expect(after.store.since(1, 0).observations).toEqual([]);
    after.store.append(1, completed('new'));
    await after.store.settled();
    expect(seqs(after.store.since(1, 0).observations)).toEqual([after.store.since(1, 0).firstSeq]);
    expect(after.store.since(1, 0).firstSeq).toBeGreaterThan(4);
  });

  it('ignores storage keys that are not its own', async () => {
    const session = new MemorySession();
    session.items.set('settings', { theme: 'dark' });
    session.items.set('capture:abc', { firstSeq: 1 });
    session.items.set('capture:5', 'not an object');
    const { store } = setup({}, session);
    await store.restore();
    expect(store.since(5, 0)).toEqual({ firstSeq: 1, observations: [] });
    store.append(5, completed('a'));
    await store.settled();
    expect(seqs(store.since(5, 0).observations)).toEqual([1]);
    expect(session.items.get('settings')).toEqual({ theme: 'dark' });
  });
});

describe('CaptureStore: clearing', () => {
  it('clears a log, removes its chunks and keeps numbering', async () => {
    const { store, session, heard } = setup();
    appendAll(store, 1, 4);
    appendAll(store, 2, 1);
    await store.settled();
    expect(session.keys()).toEqual(['capture:1', 'capture:1:0', 'capture:1:1', 'capture:2', 'capture:2:0']);
    store.clear(1, 'cleared');
    await store.settled();
    expect(heard.at(-1)).toEqual({ cleared: [1, 'cleared'] });
    expect(session.removes).toEqual([['capture:1:0', 'capture:1:1']]);
    expect(session.keys()).toEqual(['capture:1', 'capture:2', 'capture:2:0']);
    expect(store.since(1, 0).observations).toEqual([]);
    store.append(1, completed('after'));
    await store.settled();
    const { observations } = store.since(1, 0);
    expect(ids(observations)).toEqual(['after']);
    expect(observations[0]?.seq).toBeGreaterThan(4);
    expect(seqs(store.since(2, 0).observations)).toEqual([1]);
  });

  it('tells a subscriber that has seen everything before a clear that there was one', async () => {
    // A subscriber that was away during the clear asks for "since 4": the answer must show the
    // gap (firstSeq above 5), or it would keep the cleared observations beside the new ones.
    const { store } = setup();
    appendAll(store, 1, 4);
    await store.settled();
    store.clear(1, 'navigated');
    await store.settled();
    expect(store.since(1, 4).firstSeq).toBeGreaterThan(5);
    store.append(1, completed('after'));
    await store.settled();
    expect(store.since(1, 4).firstSeq).toBeGreaterThan(5);
  });

  it('announces nothing of a write that a clear overtook', async () => {
    const { store, session, heard } = setup();
    session.hold = true;
    const written = session.nextSet();
    store.append(1, completed('old'));
    await written;
    store.clear(1, 'cleared');
    session.hold = false;
    session.release();
    await store.settled();
    expect(heard).toEqual([{ cleared: [1, 'cleared'] }]);
    expect(store.since(1, 0).observations).toEqual([]);
  });

  it('skips a navigation clear when the log is preserved, but not a user clear', async () => {
    const { store, heard } = setup();
    appendAll(store, 1, 2);
    store.setPreserveLog(1, true);
    await store.settled();
    store.clear(1, 'navigated');
    await store.settled();
    expect(seqs(store.since(1, 0).observations)).toEqual([1, 2]);
    expect(heard.filter((h) => 'cleared' in h)).toEqual([]);
    store.clear(1, 'cleared');
    expect(heard.at(-1)).toEqual({ cleared: [1, 'cleared'] });
    store.setPreserveLog(1, false);
    store.append(1, completed('c'));
    await store.settled();
    store.clear(1, 'navigated');
    expect(heard.at(-1)).toEqual({ cleared: [1, 'navigated'] });
    expect(store.since(1, 0).observations).toEqual([]);
  });

  it('does nothing for a tab it never saw', () => {
    const { store, session, heard } = setup();
    store.clear(3, 'navigated');
    store.removeTab(3);
    expect(heard).toEqual([]);
    expect(session.removes).toEqual([]);
  });

  it('removes every key of a closed tab and nothing of the others', async () => {
    const { store, session } = setup();
    appendAll(store, 1, 7);
    appendAll(store, 2, 2);
    await store.settled();
    store.removeTab(1);
    await store.settled();
    expect(session.keys()).toEqual(['capture:2', 'capture:2:0']);
    expect(store.since(1, 0)).toEqual({ firstSeq: 1, observations: [] });
  });

  it('does not write a closed tab back when a write was in flight', async () => {
    const { store, session } = setup();
    session.hold = true;
    const first = session.nextSet();
    store.append(1, completed('a'));
    await first;
    store.append(1, completed('b'));
    store.removeTab(1);
    session.hold = false;
    session.release();
    await store.settled();
    expect(session.keys()).toEqual([]);
  });
});

describe('CaptureStore: bounds', () => {
  it('drops observations past maxObservationsPerTab and counts them, per tab', async () => {
    const { store, heard } = setup({ maxObservationsPerTab: 3 });
    appendAll(store, 1, 5);
    appendAll(store, 2, 1);
    await store.settled();
    expect(seqs(store.since(1, 0).observations)).toEqual([1, 2, 3]);
    expect(store.state(1)).toEqual({ preserveLog: false, dropped: 2, unpersisted: 0 });
    expect(store.state(2).dropped).toBe(0);
    expect(heard).toEqual([{ appended: [1, [1, 2, 3]] }, { appended: [2, [1]] }]);
  });

  it('tells the listener when a tab starts dropping, once per change', async () => {
    const changed: number[] = [];
    const store = new CaptureStore(new MemorySession(), { ...recorder().listener, limitsChanged: (tabId) => changed.push(tabId) }, { maxObservationsPerTab: 2, maxDataCharsPerTab: 100, chunkSize: 3 });
    appendAll(store, 1, 2);
    await store.settled();
    expect(changed).toEqual([]);
    appendAll(store, 1, 3, 'more');
    await store.settled();
    expect(changed).toEqual([1]);
    appendAll(store, 2, 1);
    await store.settled();
    expect(changed).toEqual([1]);
  });

  it('drops event data past maxDataCharsPerTab and keeps taking observations without data', async () => {
    const { store } = setup({ maxDataCharsPerTab: 10 });
    store.append(1, message('123456'));
    store.append(1, message('1234567'));
    store.append(1, message('1234'));
    store.append(1, completed('no-data'));
    store.append(1, message('x'));
    await store.settled();
    expect(store.since(1, 0).observations.map((o) => o.source)).toEqual(['page-hook', 'page-hook', 'web-request']);
    expect(store.state(1).dropped).toBe(2);
  });

  it('counts HAR bodies and EventSource messages against the data budget', () => {
    const entry = { response: { content: { text: 'abcd' } }, _eventSourceMessages: [{ data: 'xy' }, { data: 'z' }] } as unknown as HarEntrySummary;
    expect(dataCharsOf({ source: 'devtools-network', entry })).toBe(7);
    expect(dataCharsOf(message('hello'))).toBe(5);
    expect(dataCharsOf(completed('a'))).toBe(0);
  });

  it('restores the counts of what it dropped', async () => {
    const session = new MemorySession();
    const before = setup({ maxObservationsPerTab: 1 }, session);
    appendAll(before.store, 1, 3);
    await before.store.settled();
    const after = setup({ maxObservationsPerTab: 1 }, session);
    await after.store.restore();
    expect(after.store.state(1).dropped).toBe(2);
  });
});

describe('CaptureStore: storage quota', () => {
  it('keeps and announces what storage refused, and counts it as unpersisted', async () => {
    const { store, session, heard } = setup();
    session.quotaExceeded = true;
    appendAll(store, 1, 2);
    await store.settled();
    expect(heard).toEqual([{ appended: [1, [1, 2]] }]);
    expect(seqs(store.since(1, 0).observations)).toEqual([1, 2]);
    expect(store.state(1).unpersisted).toBe(2);
    expect(session.keys()).toEqual([]);
  });

  it('never hands out a sequence number twice after storage refused a write and the worker restarted', async () => {
    const session = new MemorySession();
    const before = setup({}, session);
    appendAll(before.store, 1, 3, 'first');
    await before.store.settled();
    session.quotaExceeded = true;
    appendAll(before.store, 1, 3, 'refused');
    await before.store.settled();
    session.quotaExceeded = false;
    before.store.append(1, completed('kept'));
    await before.store.settled();

    const after = setup({}, session);
    await after.store.restore();
    const restored = after.store.since(1, 0).observations;
    // Whatever was lost, what is restored is contiguous and numbered as before.
    expect(seqs(restored)).toEqual(Array.from({ length: restored.length }, (_, i) => after.store.since(1, 0).firstSeq + i));
    for (const observation of restored) expect(before.store.since(1, observation.seq - 1).observations[0]).toEqual(observation);
    after.store.append(1, completed('next'));
    await after.store.settled();
    expect(after.heard.at(-1)).toEqual({ appended: [1, [8]] });
  });
});

describe('CaptureStore: chunked writes', () => {
  it('rewrites only the last chunk (and the meta) on each write', async () => {
    const { store, session } = setup({ chunkSize: 3 });
    const writes: string[][] = [];
    const step = async (count: number, prefix: string) => {
      appendAll(store, 1, count, prefix);
      await store.settled();
      writes.push(Object.keys(session.sets.at(-1) ?? {}).sort());
    };
    await step(1, 'a');
    await step(2, 'b');
    await step(1, 'c');
    await step(3, 'd');
    expect(writes).toEqual([
      ['capture:1', 'capture:1:0'],
      ['capture:1', 'capture:1:0'],
      ['capture:1', 'capture:1:1'],
      ['capture:1', 'capture:1:1', 'capture:1:2'],
    ]);
    expect(ids(session.items.get('capture:1:0') as CaptureObservation[])).toEqual(['a0', 'b0', 'b1']);
    expect(ids(session.items.get('capture:1:1') as CaptureObservation[])).toEqual(['c0', 'd0', 'd1']);
    expect(ids(session.items.get('capture:1:2') as CaptureObservation[])).toEqual(['d2']);
    expect(session.items.get('capture:1')).toEqual({ firstSeq: 1, count: 7, dataChars: 0, dropped: 0, unpersisted: 0, preserveLog: false });
  });

  it('writes only the tabs that changed besides their meta', async () => {
    const { store, session } = setup({ chunkSize: 3 });
    appendAll(store, 1, 4);
    appendAll(store, 2, 1);
    await store.settled();
    store.append(2, completed('z'));
    await store.settled();
    const last = Object.keys(session.sets.at(-1) ?? {}).sort();
    expect(last.filter((key) => key.startsWith('capture:1:'))).toEqual([]);
    expect(last).toContain('capture:2:0');
  });
});
