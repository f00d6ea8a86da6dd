import { effect } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import { demoFeed, demoStreams } from '@/lib/panel/demo-feed';
import { createRecordedHost } from '@/lib/panel/recorded-host';
import { createPanelStore } from '@/lib/panel/store';
import type { PanelSettings } from '@/lib/panel/settings';

describe('panel store', () => {
  it('applies feed messages and selects the first problem stream', () => {
    const store = createPanelStore();
    for (const feed of demoFeed()) store.dispatch(feed);
    expect(store.visible.value.map((s) => s.key)).toEqual(demoStreams().map((s) => s.key));
    expect(store.selected.value?.key).toBe('acao-wildcard');
  });

  it('notifies a selection reader once per feed message (streams and selection in one batch)', () => {
    const store = createPanelStore();
    const seen: (string | null)[] = [];
    const stop = effect(() => {
      seen.push(store.selected.value?.key ?? null);
    });
    store.dispatch(demoFeed()[0]!);
    stop();
    expect(seen).toEqual([null, 'acao-wildcard']);
  });

  it('steps the selection through the visible rows and makes it the user\'s choice', () => {
    const store = createPanelStore();
    store.dispatch(demoFeed()[0]!);
    store.step(1);
    expect(store.selection.state.value).toEqual({ key: 'acao-missing', chosenByUser: true });
    store.step(-1);
    store.step(-1);
    expect(store.selected.value?.key).toBe('ok');
  });

  it('re-selects when a filter hides the automatic choice, but not the user\'s', () => {
    const store = createPanelStore();
    store.dispatch(demoFeed()[0]!);
    store.filters.set({ outcome: 'reconnecting' });
    expect(store.selected.value?.key).toBe('reconnect-loop');
    store.filters.set({ outcome: 'all' });
    store.selection.choose('ok');
    store.filters.set({ onlyProblems: true });
    expect(store.selection.state.value.key).toBe('ok');
  });

  it('hands every settings change to the host to persist', () => {
    const saved: PanelSettings[] = [];
    const store = createPanelStore(undefined, (settings) => saved.push(settings));
    store.settings.set({ platform: 'nginx' });
    expect(saved).toEqual([{ platform: 'nginx', sort: 'started', messageView: 'text' }]);
  });
});

describe('recorded host', () => {
  it('replays its feed after the capture state, and answers commands like the pipeline', () => {
    const host = createRecordedHost({ feed: demoFeed() });
    const store = createPanelStore();
    host.connect(store.dispatch);
    expect(store.capture.value).toMatchObject({ recording: true, preserveLog: false, connected: true });
    expect(store.streams.value.byKey.size).toBe(8);

    host.send({ type: 'set-recording', recording: false });
    expect(store.capture.value.recording).toBe(false);
    // Paused: a new stream is not captured.
    host.push({ type: 'streams', streams: [{ ...demoStreams()[0]!, key: 'late' }] });
    expect(store.streams.value.byKey.has('late')).toBe(false);

    host.send({ type: 'set-preserve-log', preserve: true });
    expect(store.capture.value.preserveLog).toBe(true);
    host.send({ type: 'clear' });
    expect(store.streams.value.byKey.size).toBe(0);
    expect(store.capture.value.lastReset).toBe('cleared');
    expect(host.sent.map((c) => c.type)).toEqual(['set-recording', 'set-preserve-log', 'clear']);
  });

  it('stops delivering after disconnect', () => {
    const host = createRecordedHost({ feed: [] });
    const store = createPanelStore();
    const disconnect = host.connect(store.dispatch);
    disconnect();
    host.push({ type: 'dropped-streams', count: 3 });
    expect(store.streams.value.droppedStreams).toBe(0);
  });

  it('persists settings in its storage and reads back only valid values', async () => {
    const items = new Map<string, string>();
    const storage = { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
    const host = createRecordedHost({ feed: [], storage });
    expect(await host.loadSettings()).toEqual({ platform: 'express', sort: 'started', messageView: 'text' });
    host.saveSettings({ platform: 'caddy', sort: 'severity', messageView: 'json' });
    expect(await createRecordedHost({ feed: [], storage }).loadSettings()).toEqual({ platform: 'caddy', sort: 'severity', messageView: 'json' });
    items.set('sse-inspector.settings', JSON.stringify({ platform: 'cobol', sort: 'severity' }));
    expect(await host.loadSettings()).toEqual({ platform: 'express', sort: 'severity', messageView: 'text' });
    items.set('sse-inspector.settings', '{not json');
    expect((await host.loadSettings()).platform).toBe('express');
  });
});
