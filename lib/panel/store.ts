import { batch, computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { CapturedStream, PanelFeed } from '../capture/captured';
import type { PanelSettings } from './settings';
import { neighbourKey, visibleStreams } from './selectors';
import { applyEvent, autoSelect, INITIAL_STATE, type FilterState, type PanelState, type SelectionState } from './state';
import { createWhatIfStore, type WhatIfStore } from './whatif-store';

/**
 * The panel's signals store, assembled from one small store per concern. Capture messages go
 * through the pure `applyEvent`; user actions change one concern each. Components read signals,
 * so a feed message re-renders only what depends on what changed.
 */

export interface FilterStore {
  readonly state: Signal<FilterState>;
  set(change: Partial<FilterState>): void;
}

export interface SelectionStore {
  readonly state: Signal<SelectionState>;
  /** A choice by the user: it sticks until the stream disappears. */
  choose(key: string): void;
}

export interface SettingsStore {
  readonly state: Signal<PanelSettings>;
  /** A change by the user: applied and handed to the host to persist. */
  set(change: Partial<PanelSettings>): void;
  /** Settings read back from the host: applied, not persisted again. */
  load(settings: PanelSettings): void;
}

export interface PanelStore {
  readonly streams: Signal<PanelState['streams']>;
  readonly capture: Signal<PanelState['capture']>;
  readonly selection: SelectionStore;
  readonly filters: FilterStore;
  readonly settings: SettingsStore;
  /** What-if drafts per stream (the What if tab). */
  readonly whatIf: WhatIfStore;
  /** The list's rows: filtered and sorted. */
  readonly visible: ReadonlySignal<CapturedStream[]>;
  readonly selected: ReadonlySignal<CapturedStream | null>;
  dispatch(feed: PanelFeed): void;
  /** Moves the selection one row up or down the visible list. */
  step(direction: 1 | -1): void;
  snapshot(): PanelState;
}

export function createPanelStore(initial: PanelState = INITIAL_STATE, onSettingsChange?: (settings: PanelSettings) => void): PanelStore {
  const streams = signal(initial.streams);
  const capture = signal(initial.capture);
  const selectionState = signal(initial.selection);
  const filterState = signal(initial.filters);
  const settingsState = signal(initial.settings);

  const snapshot = (): PanelState => ({
    streams: streams.peek(),
    capture: capture.peek(),
    selection: selectionState.peek(),
    filters: filterState.peek(),
    settings: settingsState.peek(),
  });

  /** A filter or sort change may hide the automatic choice: choose again unless the user chose. */
  const reselect = () => {
    if (!selectionState.peek().chosenByUser) selectionState.value = autoSelect(snapshot());
  };

  const selection: SelectionStore = {
    state: selectionState,
    choose(key) {
      selectionState.value = { key, chosenByUser: true };
    },
  };
  const filters: FilterStore = {
    state: filterState,
    set(change) {
      batch(() => {
        filterState.value = { ...filterState.peek(), ...change };
        reselect();
      });
    },
  };
  const settings: SettingsStore = {
    state: settingsState,
    set(change) {
      const next = { ...settingsState.peek(), ...change };
      batch(() => {
        settingsState.value = next;
        reselect();
      });
      onSettingsChange?.(next);
    },
    load(loaded) {
      batch(() => {
        settingsState.value = loaded;
        reselect();
      });
    },
  };

  const whatIf = createWhatIfStore();

  const visible = computed(() => visibleStreams(streams.value.byKey, filterState.value, settingsState.value.sort));
  const selected = computed(() => {
    const key = selectionState.value.key;
    return key === null ? null : (streams.value.byKey.get(key) ?? null);
  });

  return {
    streams,
    capture,
    selection,
    filters,
    settings,
    whatIf,
    visible,
    selected,
    snapshot,
    dispatch(feed) {
      const before = snapshot();
      const next = applyEvent(before, feed);
      if (next === before) return;
      // One batch: components never see streams and selection from two different messages.
      batch(() => {
        streams.value = next.streams;
        capture.value = next.capture;
        selectionState.value = next.selection;
        if (next.streams !== before.streams) whatIf.retain(next.streams.byKey);
      });
    },
    step(direction) {
      const key = neighbourKey(visible.peek(), selectionState.peek().key, direction);
      if (key !== null) selection.choose(key);
    },
  };
}
