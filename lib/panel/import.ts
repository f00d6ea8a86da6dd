import type { CapturedStream } from '../capture/captured';
import { analyzeStreams } from '../engine';
import type { ImportedFile } from '../report/import';

/**
 * An imported report or HAR as the panel's streams: analyzed again by this version's engine (with
 * each other as peers, as a capture is), keyed `imported-N`, shown read-only. What the file does
 * not say is filled in plainly: a stream with no first-seen time starts when the file was
 * written (or at 0), and the observed outcome is Chromium's verdict.
 */
export function importedStreams(imported: ImportedFile, fallbackStart: number): CapturedStream[] {
  const analyses = analyzeStreams(imported.streams.map((s) => s.record));
  const writtenAt = imported.writtenAt === null ? Number.NaN : Date.parse(imported.writtenAt);
  const defaultStart = Number.isFinite(writtenAt) ? writtenAt : fallbackStart;
  return analyses.map((analysis, index) => {
    const source = imported.streams[index] as ImportedFile['streams'][number];
    const { record } = analysis;
    let last = 0;
    for (const exchange of record.exchanges) last = Math.max(last, exchange.timing.endedAt ?? exchange.timing.responseAt ?? exchange.timing.startedAt);
    for (const event of record.events) last = Math.max(last, event.at);
    const startedAt = source.startedAt ?? defaultStart;
    return {
      key: `imported-${index + 1}`,
      frameId: 0,
      revision: 1,
      startedAt,
      lastActivityAt: startedAt + last,
      observed: source.observed ?? analysis.verdicts.chromium.outcome,
      sources: [],
      beforeDevtools: false,
      retryLoop: null,
      record,
      analysis,
    };
  });
}
