import type { CaptureObservation, UnnumberedObservation } from './protocol';

/**
 * The background's memory: per tab, the ordered log of everything captured, bounded, and written
 * through to session storage so that an MV3 service worker stopped mid-stream loses nothing
 * (browser-facts.md section 8: worker globals die with the worker).
 *
 * - Sequence numbers count up per tab and are never reused, even across a clear or a restart, so
 *   a subscriber that reconnects with "since N" gets exactly what it has not seen.
 * - Subscribers are told about observations only after they are persisted: a panel can never be
 *   ahead of what a restarted worker remembers.
 * - The log is stored in fixed-size chunks; an append rewrites only the last chunk.
 * - Bounds: per tab, a number of observations and a budget of event data characters. Past them,
 *   new observations are dropped and counted (`dropped`), never silently.
 */

export interface SessionArea {
  get(keys: null): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface CaptureStoreLimits {
  readonly maxObservationsPerTab: number;
  /** Characters of event data (page-hook messages, HAR bodies and messages) kept per tab. */
  readonly maxDataCharsPerTab: number;
  readonly chunkSize: number;
}

export const DEFAULT_CAPTURE_STORE_LIMITS: CaptureStoreLimits = {
  maxObservationsPerTab: 60_000,
  maxDataCharsPerTab: 2_000_000,
  chunkSize: 500,
};

interface TabLog {
  /** Seq of observations[0]; the next appended gets firstSeq + observations.length. */
  firstSeq: number;
  observations: CaptureObservation[];
  dataChars: number;
  dropped: number;
  /** Observations kept in memory that storage refused (quota): lost if the worker stops. */
  unpersisted: number;
  preserveLog: boolean;
  /** Index into `observations` of the first one not yet persisted and announced. */
  flushedUpTo: number;
  /** Observations [0, persistedUpTo) are in storage; a refused write leaves its chunks to the next one. */
  persistedUpTo: number;
  /** Chunks of this log written to storage (for removal on clear). */
  storedChunks: number;
  /** Counts clears: a write that started before one announces nothing. */
  generation: number;
  /** `dropped + unpersisted` as last announced through `limitsChanged`. */
  announcedLimits: number;
  /** When the last navigation that cleared the log started: older observations are the old page's. */
  navigatedAt: number | null;
}

interface StoredMeta {
  readonly firstSeq: number;
  readonly count: number;
  readonly dataChars: number;
  readonly dropped: number;
  readonly unpersisted: number;
  readonly preserveLog: boolean;
}

export interface CaptureStoreListener {
  /** Newly persisted observations of a tab, in order. */
  appended(tabId: number, observations: readonly CaptureObservation[]): void;
  cleared(tabId: number, reason: 'cleared' | 'navigated'): void;
  /** A tab's `dropped` or `unpersisted` count changed (after the write that recorded it). */
  limitsChanged?(tabId: number): void;
}

const META = (tabId: number) => `capture:${tabId}`;
const CHUNK = (tabId: number, index: number) => `capture:${tabId}:${index}`;

/** Characters of captured content an observation carries (what the data budget counts). */
export function dataCharsOf(observation: UnnumberedObservation): number {
  switch (observation.source) {
    case 'page-hook':
      return observation.message.type === 'message' ? observation.message.data.length : 0;
    case 'devtools-network': {
      const entry = observation.entry;
      let chars = entry.response.content.text?.length ?? 0;
      for (const message of entry._eventSourceMessages ?? []) chars += message.data.length;
      return chars;
    }
    case 'web-request':
    case 'relay':
      return 0;
  }
}

/** When an observation happened (epoch ms), where it says. */
export function observedAt(observation: CaptureObservation | UnnumberedObservation): number | null {
  switch (observation.source) {
    case 'web-request':
      return observation.observation.at;
    case 'page-hook':
      return 'at' in observation.message ? observation.message.at : null;
    case 'devtools-network': {
      const at = Date.parse(observation.entry.startedDateTime);
      return Number.isFinite(at) ? at : null;
    }
    case 'relay':
      return null;
  }
}

export class CaptureStore {
  private readonly tabs = new Map<number, TabLog>();
  private flushing: Promise<void> | null = null;
  private flushRequested = false;

  constructor(
    private readonly storage: SessionArea,
    private readonly listener: CaptureStoreListener,
    private readonly limits: CaptureStoreLimits = DEFAULT_CAPTURE_STORE_LIMITS,
  ) {}

  /** Reads back what an earlier instance of the worker stored. Call once, before appending. */
  async restore(): Promise<void> {
    const items = await this.storage.get(null);
    for (const [key, value] of Object.entries(items)) {
      const match = /^capture:(\d+)$/.exec(key);
      if (!match || typeof value !== 'object' || value === null) continue;
      const tabId = Number(match[1]);
      const meta = value as StoredMeta;
      const observations: CaptureObservation[] = [];
      const chunks = Math.ceil(meta.count / this.limits.chunkSize);
      for (let i = 0; i < chunks; i++) {
        const chunk = items[CHUNK(tabId, i)];
        if (Array.isArray(chunk)) observations.push(...(chunk as CaptureObservation[]));
      }
      this.tabs.set(tabId, {
        firstSeq: meta.firstSeq,
        observations,
        dataChars: meta.dataChars,
        dropped: meta.dropped,
        unpersisted: meta.unpersisted,
        preserveLog: meta.preserveLog,
        flushedUpTo: observations.length,
        persistedUpTo: observations.length,
        storedChunks: chunks,
        generation: 0,
        announcedLimits: meta.dropped + meta.unpersisted,
        navigatedAt: null,
      });
    }
  }

  private tab(tabId: number): TabLog {
    let log = this.tabs.get(tabId);
    if (!log) {
      log = { firstSeq: 1, observations: [], dataChars: 0, dropped: 0, unpersisted: 0, preserveLog: false, flushedUpTo: 0, persistedUpTo: 0, storedChunks: 0, generation: 0, announcedLimits: 0, navigatedAt: null };
      this.tabs.set(tabId, log);
    }
    return log;
  }

  append(tabId: number, observation: UnnumberedObservation): void {
    const log = this.tab(tabId);
    // Late news of the page the tab navigated away from (a devtools.network entry of a stream that
    // ended with it): the user's navigation cleared that page, it does not come back.
    const at = observedAt(observation);
    if (log.navigatedAt !== null && at !== null && at < log.navigatedAt) return;
    const chars = dataCharsOf(observation);
    if (log.observations.length >= this.limits.maxObservationsPerTab || log.dataChars + chars > this.limits.maxDataCharsPerTab) {
      log.dropped++;
      this.scheduleFlush();
      return;
    }
    log.dataChars += chars;
    log.observations.push({ ...observation, seq: log.firstSeq + log.observations.length } as CaptureObservation);
    this.scheduleFlush();
  }

  /** What a subscriber that has seen up to `since` is missing, persisted observations only. */
  since(tabId: number, since: number): { firstSeq: number; observations: CaptureObservation[] } {
    const log = this.tabs.get(tabId);
    if (!log) return { firstSeq: since + 1, observations: [] };
    const from = Math.max(0, since + 1 - log.firstSeq);
    return { firstSeq: log.firstSeq + from, observations: log.observations.slice(from, log.flushedUpTo) };
  }

  state(tabId: number): { preserveLog: boolean; dropped: number; unpersisted: number } {
    const log = this.tabs.get(tabId);
    return { preserveLog: log?.preserveLog ?? false, dropped: log?.dropped ?? 0, unpersisted: log?.unpersisted ?? 0 };
  }

  setPreserveLog(tabId: number, preserve: boolean): void {
    this.tab(tabId).preserveLog = preserve;
    this.scheduleFlush();
  }

  /** Forgets a tab's log; sequence numbers go on from where they were. */
  clear(tabId: number, reason: 'cleared' | 'navigated', since?: number): void {
    // A navigation is remembered even for a tab with nothing captured yet (see `navigatedAt`).
    const log = reason === 'navigated' && since !== undefined ? this.tab(tabId) : this.tabs.get(tabId);
    if (!log) return;
    if (reason === 'navigated' && log.preserveLog) return;
    // A navigation clears what came before it: the new document's first observations can reach
    // the background before the navigation's own webRequest event does (Firefox), and are kept.
    const survivors = since === undefined ? [] : log.observations.filter((o) => (observedAt(o) ?? -Infinity) >= since);
    if (reason === 'navigated' && since !== undefined) log.navigatedAt = since;
    const stale = Array.from({ length: log.storedChunks }, (_, i) => CHUNK(tabId, i));
    // One number is skipped so that a subscriber that saw everything before the clear but missed
    // the `cleared` message (its port was down) still finds a gap after its last number.
    log.firstSeq += log.observations.length + 1;
    log.observations = [];
    log.dataChars = log.dropped = log.unpersisted = log.flushedUpTo = log.persistedUpTo = log.storedChunks = 0;
    log.generation++;
    void this.storage.remove(stale).catch(() => undefined);
    this.listener.cleared(tabId, reason);
    for (const { seq: _seq, ...survivor } of survivors) this.append(tabId, survivor as UnnumberedObservation);
    this.scheduleFlush();
  }

  /** The tab is gone: nothing of it is kept. */
  removeTab(tabId: number): void {
    const log = this.tabs.get(tabId);
    if (!log) return;
    this.tabs.delete(tabId);
    void this.storage.remove([META(tabId), ...Array.from({ length: log.storedChunks }, (_, i) => CHUNK(tabId, i))]).catch(() => undefined);
  }

  /** Resolves when everything appended so far is persisted and announced (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.flushing || this.flushRequested) await (this.flushing ?? Promise.resolve());
  }

  // One write in flight at a time; appends during a write are picked up by the next one, so a
  // firehose costs one storage write per write round-trip, not one per event.
  private scheduleFlush(): void {
    this.flushRequested = true;
    if (this.flushing) return;
    this.flushing = (async () => {
      // Let the current task's appends join this write.
      await Promise.resolve();
      while (this.flushRequested) {
        this.flushRequested = false;
        await this.flushOnce();
      }
      this.flushing = null;
    })();
  }

  private async flushOnce(): Promise<void> {
    const items: Record<string, unknown> = {};
    const announce: [number, TabLog, number, number, number][] = [];
    const written: [TabLog, number, number][] = [];
    const size = this.limits.chunkSize;
    for (const [tabId, log] of this.tabs) {
      const end = log.observations.length;
      const from = log.flushedUpTo;
      // From the first observation not in storage, not the first not announced: the meta's
      // `count` must never cover a chunk that a refused write left out, or a restart would
      // restore a log with a hole and number new observations again from inside it.
      const stored = log.persistedUpTo;
      // A tab with nothing new keeps its chunks: only its (small) meta is written again.
      if (end > stored) {
        for (let chunk = Math.floor(stored / size); chunk * size < end; chunk++) items[CHUNK(tabId, chunk)] = log.observations.slice(chunk * size, (chunk + 1) * size);
        written.push([log, end, log.generation]);
      }
      log.storedChunks = Math.max(log.storedChunks, Math.ceil(end / size));
      const meta: StoredMeta = { firstSeq: log.firstSeq, count: end, dataChars: log.dataChars, dropped: log.dropped, unpersisted: log.unpersisted, preserveLog: log.preserveLog };
      items[META(tabId)] = meta;
      if (end > from) announce.push([tabId, log, from, end, log.generation]);
    }
    try {
      await this.storage.set(items);
      for (const [log, end, generation] of written) if (log.generation === generation) log.persistedUpTo = end;
    } catch {
      // Over quota (or storage gone): keep serving from memory, and say how much is at risk.
      for (const [, log, from, end] of announce) log.unpersisted += end - from;
    }
    for (const [tabId, log, from, end, generation] of announce) {
      // A clear (or the tab's removal) during the write: nothing of the old log is announced.
      if (log.generation !== generation || this.tabs.get(tabId) !== log) continue;
      log.flushedUpTo = end;
      this.listener.appended(tabId, log.observations.slice(from, end));
    }
    for (const [tabId, log] of this.tabs) {
      const limits = log.dropped + log.unpersisted;
      if (limits === log.announcedLimits) continue;
      log.announcedLimits = limits;
      this.listener.limitsChanged?.(tabId);
    }
  }
}
