import { beforeAll, describe, expect, it, vi } from 'vitest';
import { stream } from '@/lib/model/builders';
import { capturedStream } from '@/lib/panel/demo-feed';
import { createPanelStore } from '@/lib/panel/store';
import { loadWhatIfEditor } from '@/lib/panel/whatif-store';

const ORIGIN = 'https://app.test';
const blocked = (key: string, revision = 1) => capturedStream(stream({ id: key, url: `https://api.test/${key}`, pageOrigin: ORIGIN, acao: '*', credentials: true }), { revision });

describe('the panel store\'s what-if drafts', () => {
  beforeAll(() => loadWhatIfEditor());

  it('has no draft until the first edit, and follows the newest capture until then', () => {
    const store = createPanelStore();
    const first = blocked('a');
    store.dispatch({ type: 'streams', streams: [first] });
    expect(store.whatIf.drafts.value.size).toBe(0);
    expect(store.whatIf.stateFor(first).captured).toBe(first.record);
    // The same record gives the very same state: an unedited tab does not recompute on re-render.
    expect(store.whatIf.stateFor(first)).toBe(store.whatIf.stateFor(first));
    const newer = blocked('a', 2);
    expect(store.whatIf.stateFor(newer).captured).toBe(newer.record);
  });

  it('keeps an edited draft on the capture it started from, and drops it on reset', () => {
    const store = createPanelStore();
    const first = blocked('a');
    store.dispatch({ type: 'streams', streams: [first] });
    store.whatIf.dispatch(first, { type: 'set-credentials', credentials: false });
    const newer = blocked('a', 2);
    store.dispatch({ type: 'streams', streams: [newer] });
    expect(store.whatIf.stateFor(newer)).toMatchObject({ credentials: false, captured: first.record });
    store.whatIf.dispatch(newer, { type: 'reset' });
    expect(store.whatIf.drafts.value.size).toBe(0);
    expect(store.whatIf.stateFor(newer).captured).toBe(newer.record);
  });

  it('does not store an edit that changes nothing', () => {
    const store = createPanelStore();
    const first = blocked('a');
    store.whatIf.dispatch(first, { type: 'set-status', slot: 'redirect-3', text: '500' });
    expect(store.whatIf.drafts.value.size).toBe(0);
  });

  it('forgets the drafts of streams that are gone', () => {
    const store = createPanelStore();
    const [a, b] = [blocked('a'), blocked('b')];
    store.dispatch({ type: 'streams', streams: [a, b] });
    store.whatIf.dispatch(a, { type: 'set-credentials', credentials: false });
    store.whatIf.dispatch(b, { type: 'set-credentials', credentials: false });
    store.dispatch({ type: 'removed', keys: ['a'] });
    expect([...store.whatIf.drafts.value.keys()]).toEqual(['b']);
    store.dispatch({ type: 'reset', reason: 'navigated' });
    expect(store.whatIf.drafts.value.size).toBe(0);
  });
});

describe('the what-if editor\'s code, loaded on first use', () => {
  it('applies actions dispatched before the code arrives once it has, in order, and needs it to read a state', async () => {
    // A fresh module graph: the editor's code has not been loaded in it yet.
    vi.resetModules();
    const { createPanelStore: freshStore } = await import('@/lib/panel/store');
    const { loadWhatIfEditor: freshLoad } = await import('@/lib/panel/whatif-store');
    const store = freshStore();
    const first = blocked('a');
    store.dispatch({ type: 'streams', streams: [first] });
    expect(() => store.whatIf.stateFor(first)).toThrow(/not loaded/);
    store.whatIf.dispatch(first, { type: 'set-credentials', credentials: false });
    store.whatIf.dispatch(first, { type: 'set-page-origin', value: 'https://other.test' });
    expect(store.whatIf.drafts.value.size).toBe(0);
    await freshLoad();
    expect(store.whatIf.stateFor(first)).toMatchObject({ credentials: false, pageOrigin: 'https://other.test', captured: first.record });
  });
});
