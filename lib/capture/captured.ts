import type { StreamAnalysis } from '../engine';
import type { StreamRecord } from '../model/record';

/**
 * What the capture pipeline hands the panel and the exporters: one logical stream of the
 * inspected tab (per frame), merged from webRequest, devtools.network and the page hook, with
 * what was observed beside what the engine says each browser does.
 */

/** What the page actually experienced, as far as the capture saw it. */
export type ObservedOutcome =
  | 'connecting' // request sent, no response yet (or EventSource CONNECTING with nothing else known)
  | 'open' // the page is receiving the stream
  | 'reconnecting' // the stream ended or broke and the client is opening it again
  | 'blocked' // the browser refused it on CORS grounds
  | 'failed' // no CORS block, but no working stream (status, MIME, network error, readyState 2)
  | 'closed'; // the page closed it, or a fetch body ended after a working stream

export type CaptureSource = 'web-request' | 'devtools-network' | 'page-hook';

/** Why an EventSource keeps reconnecting, from the attempts' shapes (see retry-loop.ts). */
export type RetryLoopCause =
  | 'server-ends-response' // every attempt got a 200 stream that then ended cleanly
  | 'network-error' // attempts break without a clean end
  | 'idle-timeout' // attempts end after a steady period with no data: a proxy idle timeout
  | 'short-retry' // the server asked for a tiny `retry:` delay
  | 'unknown';

export interface RetryLoop {
  readonly attempts: number;
  /** Median time from one attempt's start to the next one's, ms; null with fewer than two attempts. */
  readonly intervalMs: number | null;
  /** Median lifetime of an attempt (start to end), ms. */
  readonly attemptDurationMs: number | null;
  readonly cause: RetryLoopCause;
  /** Whether the reconnects send Last-Event-ID (the server gave ids, the client resumes). */
  readonly resumesLastEventId: boolean;
}

export interface CapturedStream {
  /** Stable within a tab's capture: the panel keys rows and selection on it. */
  readonly key: string;
  readonly frameId: number;
  /** Increases whenever anything in this stream changed (memoize on it). */
  readonly revision: number;
  /** Epoch ms of the first observation; `record` times are relative to it. */
  readonly startedAt: number;
  /** Epoch ms of the latest observation. */
  readonly lastActivityAt: number;
  readonly observed: ObservedOutcome;
  readonly sources: readonly CaptureSource[];
  /** True when the stream started before the DevTools window was opened (seen thanks to webRequest/hook). */
  readonly beforeDevtools: boolean;
  readonly retryLoop: RetryLoop | null;
  readonly record: StreamRecord;
  /** The engine's output for `record`: both verdicts and the findings. */
  readonly analysis: StreamAnalysis;
}

/** Background/pipeline -> panel. Changed streams are sent whole; the list is keyed on `key`. */
export type PanelFeed =
  | { readonly type: 'reset'; readonly reason: 'cleared' | 'navigated' }
  | { readonly type: 'streams'; readonly streams: readonly CapturedStream[] }
  /** Streams that no longer exist: late data showed they were part of another one. */
  | { readonly type: 'removed'; readonly keys: readonly string[] }
  /** Streams of this tab not kept because of the per-tab cap (running total). */
  | { readonly type: 'dropped-streams'; readonly count: number }
  | { readonly type: 'capture-state'; readonly recording: boolean; readonly preserveLog: boolean }
  /**
   * The background's bounds for this tab (running totals): observations it did not keep (the tab's
   * log is full) and observations kept only in memory (session storage refused them).
   */
  | { readonly type: 'capture-limits'; readonly droppedObservations: number; readonly unpersisted: number };

/** Panel -> its host (extension: the background; plain page: the recorded feed). */
export type PanelCommand =
  | { readonly type: 'set-recording'; readonly recording: boolean }
  | { readonly type: 'set-preserve-log'; readonly preserve: boolean }
  | { readonly type: 'clear' };
