import { describe, expect, it } from 'vitest';
import type { CapturedStream } from '@/lib/capture/captured';
import { stream } from '@/lib/model/builders';
import { capturedStream } from '@/lib/panel/demo-feed';
import { applyEvent, INITIAL_STATE, type PanelState } from '@/lib/panel/state';

const ORIGIN = 'https://app.test';
const open = (key: string, startedAt = 0, revision = 1) =>
  capturedStream(stream({ id: key, url: `https://api.test/${key}`, pageOrigin: ORIGIN, acao: ORIGIN, headers: [['Cache-Control', 'no-cache'], ['Vary', 'Origin']] }), { startedAt, revision });
const blocked = (key: string, startedAt = 0, revision = 1) =>
  capturedStream(stream({ id: key, url: `https://api.test/${key}`, pageOrigin: ORIGIN, acao: '*', credentials: true }), { startedAt, revision });

const feedStreams = (state: PanelState, ...streams: CapturedStream[]) => applyEvent(state, { type: 'streams', streams });

describe('applyEvent', () => {
  it('adds streams keyed by key, in first-seen order', () => {
    const state = feedStreams(feedStreams(INITIAL_STATE, open('a', 10)), open('b', 5), open('c', 1));
    expect([...state.streams.byKey.keys()]).toEqual(['a', 'b', 'c']);
    expect(state.capture.connected).toBe(true);
  });

  it('replaces a stream with a newer revision and ignores an older or equal one', () => {
    const first = feedStreams(INITIAL_STATE, open('a', 0, 2));
    const newer = open('a', 0, 3);
    expect(feedStreams(first, newer).streams.byKey.get('a')).toBe(newer);
    const stale = feedStreams(first, open('a', 0, 1), open('a', 0, 2));
    // Nothing changed: the very same state comes back, so memoized views do no work.
    expect(stale).toBe(first);
  });

  it('selects the first problem stream, not the first stream', () => {
    const state = feedStreams(INITIAL_STATE, open('ok', 0), blocked('bad', 1), blocked('worse', 2));
    expect(state.selection).toEqual({ key: 'bad', chosenByUser: false });
  });

  it('selects the first stream when none is a problem, and moves to a problem that arrives later', () => {
    const calm = feedStreams(INITIAL_STATE, open('ok', 0));
    expect(calm.selection.key).toBe('ok');
    expect(feedStreams(calm, blocked('bad', 1)).selection.key).toBe('bad');
  });

  it('keeps an automatic problem selection when another problem arrives', () => {
    const state = feedStreams(feedStreams(INITIAL_STATE, blocked('first', 5)), blocked('earlier', 1));
    expect(state.selection.key).toBe('first');
  });

  it("never moves the user's choice while the stream exists", () => {
    const state = { ...feedStreams(INITIAL_STATE, open('ok', 0), blocked('bad', 1)), selection: { key: 'ok', chosenByUser: true } };
    expect(feedStreams(state, blocked('new', 2)).selection).toEqual({ key: 'ok', chosenByUser: true });
  });

  it('selects among the visible rows only', () => {
    const filtered = { ...INITIAL_STATE, filters: { ...INITIAL_STATE.filters, text: 'other' } };
    const state = feedStreams(filtered, blocked('bad', 0), open('other', 1));
    expect(state.selection.key).toBe('other');
  });

  it('empties the list and the selection on reset, remembering why', () => {
    const state = applyEvent(feedStreams(INITIAL_STATE, blocked('bad')), { type: 'reset', reason: 'navigated' });
    expect(state.streams.byKey.size).toBe(0);
    expect(state.selection).toEqual({ key: null, chosenByUser: false });
    expect(state.capture.lastReset).toBe('navigated');
  });

  it('records capture state and the dropped-stream count', () => {
    let state = applyEvent(INITIAL_STATE, { type: 'capture-state', recording: false, preserveLog: true });
    expect(state.capture).toMatchObject({ recording: false, preserveLog: true, connected: true });
    state = applyEvent(state, { type: 'dropped-streams', count: 7 });
    expect(state.streams.droppedStreams).toBe(7);
    state = applyEvent(state, { type: 'capture-limits', droppedObservations: 12, unpersisted: 3 });
    expect(state.capture).toMatchObject({ droppedObservations: 12, unpersisted: 3, recording: false });
  });

  it('removes streams that turned out to be part of another one, and unselects them', () => {
    const first = open('first', 1);
    const second = open('second', 2);
    let state = applyEvent(INITIAL_STATE, { type: 'streams', streams: [first, second] });
    state = { ...state, selection: { key: first.key, chosenByUser: true } };
    state = applyEvent(state, { type: 'removed', keys: [first.key] });
    expect([...state.streams.byKey.keys()]).toEqual([second.key]);
    expect(state.selection.key).not.toBe(first.key);
    expect(applyEvent(state, { type: 'removed', keys: ['unknown'] })).toBe(state);
  });

  it('ignores a message type it does not know (a newer pipeline), without throwing', () => {
    const unknown = { type: 'something-new' } as unknown as Parameters<typeof applyEvent>[1];
    const state = applyEvent(INITIAL_STATE, unknown);
    expect(state).toBe(INITIAL_STATE);
  });
});
