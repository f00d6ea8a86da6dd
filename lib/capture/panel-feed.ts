import type { PanelCommand, PanelFeed } from './captured';
import { CaptureMerger } from './merger';
import type { CaptureObservation, DevtoolsToBackground } from './protocol';
import { subscribeToCapture, type PortLike } from './subscription';

/**
 * The panel's live feed in the extension: subscribes to the inspected tab's capture log in the
 * background, merges it into streams (merger.ts) and hands the panel `PanelFeed` messages.
 * Observations are merged in batches (at most one merge per `intervalMs`), so a firehose stream
 * costs one merge and one render per interval, not one per event. After a quiet spell a few merges
 * may come sooner (a token bucket: BURST_MERGES merges, at least MIN_GAP_MS apart, refilled at one
 * per interval): the first news is merged at once (in the next task, so what is already queued
 * joins it) and so is the news that follows it within a few frames, such as the error that
 * blocks a stream a few milliseconds after its request started; a firehose spends the burst in
 * its first frames and is then batched once per interval.
 */
const BURST_MERGES = 4;
const MIN_GAP_MS = 16;

export interface CaptureFeedOptions {
  readonly tabId: number;
  readonly browser: 'chromium' | 'firefox';
  readonly connect: (name: string) => PortLike;
  /** One-shot messages to the background (clear, preserve log). */
  readonly send: (message: DevtoolsToBackground) => void;
  readonly devtoolsOpenedAt?: number;
  readonly schedule?: (callback: () => void, ms: number) => void;
  readonly intervalMs?: number;
  /** Milliseconds on a monotonic clock (performance.now by default). */
  readonly now?: () => number;
}

export interface CaptureFeed {
  connect(onFeed: (feed: PanelFeed) => void): () => void;
  send(command: PanelCommand): void;
}

export function createCaptureFeed(options: CaptureFeedOptions): CaptureFeed {
  const schedule = options.schedule ?? ((callback, ms) => void setTimeout(callback, ms));
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? 100;
  let lastMergeAt = -Infinity;
  // Merges that may run before the interval is up; refilled at one per interval.
  let tokens = BURST_MERGES;
  let refilledAt = now();
  const refill = (at: number) => {
    tokens = Math.min(BURST_MERGES, tokens + (at - refilledAt) / intervalMs);
    refilledAt = at;
  };
  const listeners = new Set<(feed: PanelFeed) => void>();
  const emit = (feed: PanelFeed): void => listeners.forEach((listener) => listener(feed));
  const newMerger = () => new CaptureMerger({ browser: options.browser, devtoolsOpenedAt: options.devtoolsOpenedAt ?? null });
  let merger = newMerger();
  let pending: CaptureObservation[] = [];
  let scheduled = false;
  let recording = true;
  let preserveLog = false;
  let droppedStreams = 0;

  const merge = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    lastMergeAt = now();
    refill(lastMergeAt);
    tokens = Math.max(0, tokens - 1);
    const batch = pending;
    pending = [];
    const { changed, removed } = merger.apply(batch);
    if (removed.length > 0) emit({ type: 'removed', keys: removed });
    if (changed.length > 0) emit({ type: 'streams', streams: changed });
    if (merger.droppedStreams !== droppedStreams) {
      droppedStreams = merger.droppedStreams;
      emit({ type: 'dropped-streams', count: droppedStreams });
    }
  };

  subscribeToCapture(options.tabId, options.connect, {
    observations(observations) {
      // Paused: what happens meanwhile is not recorded, as in DevTools' Network panel.
      if (!recording) return;
      pending.push(...observations);
      if (!scheduled) {
        scheduled = true;
        const at = now();
        refill(at);
        const untilToken = tokens >= 1 ? 0 : (1 - tokens) * intervalMs;
        schedule(merge, Math.max(untilToken, lastMergeAt + MIN_GAP_MS - at, 0));
      }
    },
    reset(reason) {
      merger = newMerger();
      pending = [];
      droppedStreams = 0;
      emit({ type: 'reset', reason });
    },
    state(state) {
      preserveLog = state.preserveLog;
      emit({ type: 'capture-state', recording, preserveLog });
      emit({ type: 'capture-limits', droppedObservations: state.dropped, unpersisted: state.unpersisted });
    },
  });

  return {
    connect(onFeed) {
      listeners.add(onFeed);
      onFeed({ type: 'capture-state', recording, preserveLog });
      const current = merger.streams;
      if (current.length > 0) onFeed({ type: 'streams', streams: current });
      return () => listeners.delete(onFeed);
    },
    send(command) {
      switch (command.type) {
        case 'set-recording':
          recording = command.recording;
          emit({ type: 'capture-state', recording, preserveLog });
          return;
        case 'set-preserve-log':
          options.send({ type: 'set-preserve-log', tabId: options.tabId, preserve: command.preserve });
          return;
        case 'clear':
          options.send({ type: 'clear', tabId: options.tabId });
          return;
      }
    },
  };
}
