import type { CapturedStream, ObservedOutcome, PanelFeed } from '../capture/captured';
import { DEFAULT_SETTINGS, type PanelSettings } from './settings';
import { isProblem, visibleStreams } from './selectors';

/**
 * The panel's whole state as plain immutable data, one field per concern. The signals store
 * (store.ts) holds each concern in its own signal; every capture message goes through
 * `applyEvent`, which is pure so it is tested without a DOM.
 */

export interface StreamsState {
  /** Insertion order is first-seen order. */
  readonly byKey: ReadonlyMap<string, CapturedStream>;
  /** Streams the pipeline did not keep because of its per-tab cap. */
  readonly droppedStreams: number;
}

export interface CaptureState {
  readonly recording: boolean;
  readonly preserveLog: boolean;
  /** Why the list was last emptied, for the empty state; null before any reset. */
  readonly lastReset: 'cleared' | 'navigated' | null;
  /** Whether any feed message arrived yet (the host is connected). */
  readonly connected: boolean;
  /** Observations the background did not keep (tab log full), and kept only in memory. */
  readonly droppedObservations: number;
  readonly unpersisted: number;
}

export interface SelectionState {
  readonly key: string | null;
  /** Once the user picks a stream, new streams never move the selection. */
  readonly chosenByUser: boolean;
}

export type OutcomeFilter = ObservedOutcome | 'all';

export interface FilterState {
  /** Case-insensitive substring of the stream URL. */
  readonly text: string;
  readonly outcome: OutcomeFilter;
  readonly onlyProblems: boolean;
}

export interface PanelState {
  readonly streams: StreamsState;
  readonly capture: CaptureState;
  readonly selection: SelectionState;
  readonly filters: FilterState;
  readonly settings: PanelSettings;
}

const EMPTY_STREAMS: StreamsState = { byKey: new Map(), droppedStreams: 0 };
const NO_SELECTION: SelectionState = { key: null, chosenByUser: false };

export const INITIAL_STATE: PanelState = {
  streams: EMPTY_STREAMS,
  capture: { recording: true, preserveLog: false, lastReset: null, connected: false, droppedObservations: 0, unpersisted: 0 },
  selection: NO_SELECTION,
  filters: { text: '', outcome: 'all', onlyProblems: false },
  settings: DEFAULT_SETTINGS,
};

export function applyEvent(state: PanelState, feed: PanelFeed): PanelState {
  const connected = state.capture.connected ? state.capture : { ...state.capture, connected: true };
  switch (feed.type) {
    case 'reset':
      return {
        ...state,
        streams: EMPTY_STREAMS,
        capture: { ...connected, lastReset: feed.reason },
        selection: NO_SELECTION,
      };
    case 'streams': {
      const byKey = mergeStreams(state.streams.byKey, feed.streams);
      if (byKey === state.streams.byKey && connected === state.capture) return state;
      const next = { ...state, streams: { ...state.streams, byKey }, capture: connected };
      return { ...next, selection: autoSelect(next) };
    }
    case 'removed': {
      // Streams that turned out to be part of another one (late data): gone, and unselected.
      if (!feed.keys.some((key) => state.streams.byKey.has(key))) return state;
      const byKey = new Map(state.streams.byKey);
      for (const key of feed.keys) byKey.delete(key);
      const selection = state.selection.key !== null && feed.keys.includes(state.selection.key) ? NO_SELECTION : state.selection;
      const next = { ...state, streams: { ...state.streams, byKey }, capture: connected, selection };
      return { ...next, selection: autoSelect(next) };
    }
    case 'dropped-streams':
      return { ...state, capture: connected, streams: { ...state.streams, droppedStreams: feed.count } };
    case 'capture-limits':
      return { ...state, capture: { ...connected, droppedObservations: feed.droppedObservations, unpersisted: feed.unpersisted } };
    case 'capture-state':
      return { ...state, capture: { ...connected, recording: feed.recording, preserveLog: feed.preserveLog } };
    default:
      return ignoreUnknown(feed, state);
  }
}

/**
 * Changed streams arrive whole; a copy that is not newer than the one held (a late message
 * overtaken by a newer revision) is ignored. Returns the same map when nothing changed, so
 * selectors memoized on identity do no work.
 */
function mergeStreams(current: ReadonlyMap<string, CapturedStream>, incoming: readonly CapturedStream[]): ReadonlyMap<string, CapturedStream> {
  let next: Map<string, CapturedStream> | null = null;
  for (const stream of incoming) {
    const held = (next ?? current).get(stream.key);
    if (held && held.revision >= stream.revision) continue;
    next ??= new Map(current);
    next.set(stream.key, stream);
  }
  return next ?? current;
}

/**
 * Until the user picks a stream, the panel shows the first problem stream of the list as the user
 * sees it (filters and sort applied), so a blocked stream's diagnosis is on screen at once.
 * An automatic choice that is already a visible problem stays put, so new rows do not make the detail jump.
 */
export function autoSelect(state: PanelState): SelectionState {
  const { selection, streams } = state;
  if (selection.chosenByUser && selection.key !== null && streams.byKey.has(selection.key)) return selection;
  const list = visibleStreams(streams.byKey, state.filters, state.settings.sort);
  // A filtered-out stream is not kept: the detail never shows a stream the list hides.
  const held = selection.key === null ? undefined : list.find((row) => row.key === selection.key);
  if (held && isProblem(held)) return selection;
  const chosen = list.find(isProblem) ?? held ?? list[0];
  const key = chosen?.key ?? null;
  return key === selection.key && !selection.chosenByUser ? selection : { key, chosenByUser: false };
}

/** Exhaustive at compile time; at run time a message from a newer pipeline is ignored, not fatal. */
function ignoreUnknown(_feed: never, state: PanelState): PanelState {
  return state;
}
