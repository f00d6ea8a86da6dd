import { HAR_LIMITS, HarError, recordsFromHar } from '../capture/har';
import { analyzeStreams } from '../engine';
import type { Exchange, ExchangeKind, StreamEvent, StreamRecord } from '../model/record';
import { buildReport, type BuildOptions } from './build';
import { HAR_EXTENSION_VERSION } from './har-export';
import { bodyEndOf, cap, epochOf, FieldReader, fileFacts, IMPORT_LIMITS, InvalidField, isObject, lenientStreams, readStream, timingOf, type LenientStream } from './read';
import type { Report } from './types';

/**
 * Reading exported files back: a JSON report (schemaVersion 1) or a HAR (ours, with its
 * `_sseInspector` extension, or any browser's) becomes stream records again, which the engine
 * analyzes and the panel shows read-only. Files are hostile input: reports are read by the one
 * report reader (lib/report/read.ts) in its lenient mode, which checks every field, caps as
 * lib/capture/har.ts caps HAR entries, and skips (and counts) a stream it cannot read rather than
 * trusting it half-way.
 *
 * A report is rebuilt from its records, not taken as written: verdicts and findings come from this
 * version's engine, so an import can never show a conclusion the data does not support.
 */

export class ImportError extends Error {
  override readonly name = 'ImportError';
}

export type ImportedStream = LenientStream;
export { IMPORT_LIMITS };

export interface ImportedFile {
  readonly kind: 'report' | 'har';
  readonly streams: readonly ImportedStream[];
  readonly redacted: boolean;
  /** Version of the sse-inspector that wrote the file; null for a browser's HAR. */
  readonly writtenBy: string | null;
  /** When the file was written (ISO), when it says. */
  readonly writtenAt: string | null;
  /** Streams or entries that could not be read, and streams restored only approximately. */
  readonly notes: readonly string[];
}

const EXCHANGE_KINDS: readonly ExchangeKind[] = ['preflight', 'redirect', 'response'];

type Json = Record<string, unknown>;

/** A parsed JSON report (schemaVersion 1) as records: the lenient reading of lib/report/read.ts. */
export function importReport(value: unknown): ImportedFile {
  if (!isObject(value)) throw new ImportError('not a report: expected a JSON object');
  if (value.schemaVersion !== 1) throw new ImportError(`not a report this version can read: schemaVersion ${JSON.stringify(value.schemaVersion ?? null)?.slice(0, 20)}`);
  if (!Array.isArray(value.streams)) throw new ImportError('not a report: "streams" is not a list');
  const { streams, notes } = lenientStreams(value.streams);
  return { kind: 'report', streams, ...fileFacts(value), notes };
}

// ---------------------------------------------------------------------------------------------
// HAR

interface StreamExtension {
  readonly stream: ImportedStream;
  /** The report-side fields that replace the HAR reader's approximations. */
  readonly exchanges: readonly Pick<Exchange, 'kind' | 'method' | 'attempt' | 'timing' | 'bodyEnd' | 'error'>[];
  readonly events: readonly Pick<StreamEvent, 'at' | 'attempt' | 'size'>[];
}

/** Our own extension (har-export.ts), validated like a report's streams (the lenient reading). */
function readExtension(value: unknown): StreamExtension[] | null {
  if (!isObject(value) || value.version !== HAR_EXTENSION_VERSION || !Array.isArray(value.streams)) return null;
  const r = new FieldReader('lenient');
  try {
    return value.streams.slice(0, IMPORT_LIMITS.streams).map((raw, index) => {
      const spot = (label: string) => ({ path: `_sseInspector.streams[${index}]`, label });
      const stream = r.object(raw, spot('stream'));
      const exchanges = r.list(stream.exchanges, spot('exchanges'), { strict: 0, lenient: IMPORT_LIMITS.exchangesPerStream }).map((item) => {
        const e = r.object(item, spot('exchange'));
        return {
          kind: r.oneOf(e.kind, EXCHANGE_KINDS, spot('exchange kind')),
          method: r.string(e.method, spot('exchange method'), HAR_LIMITS.headerName),
          attempt: r.attempt(e.attempt, spot('exchange attempt')),
          timing: timingOf(r, e.timing, spot('exchange timing')),
          bodyEnd: bodyEndOf(r, e.bodyEnd, spot('bodyEnd')),
          error: r.nullableString(e.error, spot('exchange error'), HAR_LIMITS.statusText),
        };
      });
      const events = r.list(stream.events, spot('events'), { strict: 0, lenient: HAR_LIMITS.eventsPerStream }).map((item) => {
        const e = r.object(item, spot('event'));
        return { at: r.number(e.at, spot('event at')), attempt: r.attempt(e.attempt, spot('event attempt')), size: r.count(e.size, spot('event size')) };
      });
      // The stream's own fields, read by the report reader with no exchanges or events yet.
      const { record, startedAt, observed } = readStream(r, { ...stream, url: '', exchanges: [], events: [], client: { ...(isObject(stream.client) ? stream.client : {}), pageOrigin: stream.pageOrigin } }, index);
      return { stream: { record, startedAt, observed }, exchanges, events };
    });
  } catch (error) {
    if (error instanceof InvalidField) return null;
    throw error;
  }
}

function entryStream(entry: unknown, streams: number): number | null {
  if (!isObject(entry) || !isObject(entry._sseInspector)) return null;
  const index = entry._sseInspector.stream;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < streams ? index : null;
}

const byAt = <T extends { readonly at: number }>(list: readonly T[]): T[] => [...list].sort((a, b) => a.at - b.at);

/**
 * The HAR reader's record of one of our streams, corrected by the extension where the HAR cannot
 * be exact. Only when the two agree on every exchange and event; null otherwise.
 */
function restore(read: StreamRecord, extension: StreamExtension): StreamRecord | null {
  const { exchanges, events } = extension;
  if (read.exchanges.length !== exchanges.length || read.events.length !== events.length) return null;
  const restoredExchanges = read.exchanges.map((exchange, i) => ({ ...exchange, ...(exchanges[i] as StreamExtension['exchanges'][number]) }));
  // The reader orders events by its own reading of their times; the extension's are exact.
  const readEvents = byAt(read.events);
  const exact = byAt(events);
  const restoredEvents = readEvents.map((event, i) => ({ ...event, ...(exact[i] as StreamExtension['events'][number]) }));
  const base = extension.stream.record;
  return {
    ...base,
    url: read.url,
    exchanges: restoredExchanges,
    events: restoredEvents,
    // The reader drops events only past its cap; those add to what the file had already left out.
    droppedEvents: base.droppedEvents + read.droppedEvents,
  };
}

const methodOf = (entry: Json): unknown => (isObject(entry.request) ? entry.request.method : null);

/**
 * One stream's entries as the HAR reader must see them. The group is exactly one stream, so every
 * request in it is marked a stream request. A fetch refused at its preflight sent nothing else,
 * and the reader never makes a stream of a lone OPTIONS: it is shown as a GET, and `restore`
 * puts back the kind and method the extension records.
 */
function asStreamEntries(group: readonly Json[]): Json[] {
  const onlyPreflights = group.every((entry) => methodOf(entry) === 'OPTIONS');
  return group.map((entry) => {
    if (methodOf(entry) !== 'OPTIONS') return { ...entry, _resourceType: 'eventsource' };
    return onlyPreflights ? { ...entry, _resourceType: 'eventsource', request: { ...(entry.request as Json), method: 'GET' } } : entry;
  });
}

/** A parsed HAR file as records: exact for our own exports, the HAR reader's best reading otherwise. */
export function importHar(value: unknown): ImportedFile {
  let plain;
  try {
    plain = recordsFromHar(value);
  } catch (error) {
    if (error instanceof HarError) throw new ImportError(error.message);
    throw error;
  }
  const log = (value as { log: Json }).log;
  const creator = isObject(log.creator) && log.creator.name === 'sse-inspector' && typeof log.creator.version === 'string' ? cap(log.creator.version, 64) : null;
  const notes = plain.skipped > 0 ? [`${plain.skipped} HAR ${plain.skipped === 1 ? 'entry' : 'entries'} could not be read and ${plain.skipped === 1 ? 'was' : 'were'} skipped`] : [];
  const extensions = readExtension(log._sseInspector);
  if (extensions === null) {
    const pageStart = Array.isArray(log.pages) && isObject(log.pages[0]) ? epochOf(log.pages[0].startedDateTime) : null;
    return {
      kind: 'har',
      streams: plain.records.map((record) => ({ record, startedAt: pageStart, observed: null })),
      redacted: false,
      writtenBy: creator,
      writtenAt: null,
      notes,
    };
  }
  const entries = (log.entries as unknown[]).slice(0, HAR_LIMITS.entries);
  const groups = extensions.map(() => [] as Json[]);
  for (const entry of entries) {
    const index = entryStream(entry, extensions.length);
    if (index !== null) (groups[index] as Json[]).push(entry as Json);
  }
  const streams: ImportedStream[] = [];
  extensions.forEach((extension, index) => {
    const read = recordsFromHar({ log: { pages: log.pages, entries: asStreamEntries(groups[index] as Json[]) } }).records;
    const restored = read.length === 1 ? restore(read[0] as StreamRecord, extension) : null;
    if (restored) streams.push({ ...extension.stream, record: restored });
    else {
      notes.push(`stream ${index + 1} could not be restored exactly; showing what its HAR entries say`);
      for (const record of read) streams.push({ record, startedAt: extension.stream.startedAt, observed: null });
    }
  });
  return { kind: 'har', streams, redacted: isObject(log._sseInspector) && log._sseInspector.redacted === true, writtenBy: creator, writtenAt: null, notes };
}

/** A file's text: a JSON report or a HAR, told apart by their top-level shape. */
export function importFile(text: string): ImportedFile {
  let value: unknown;
  try {
    // A BOM is common in files saved by Windows tools; JSON.parse rejects it.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new ImportError('not valid JSON');
  }
  if (isObject(value) && 'schemaVersion' in value) return importReport(value);
  if (isObject(value) && 'log' in value) return importHar(value);
  throw new ImportError('neither an SSE Inspector report nor a HAR file');
}

/** The report of an imported file, analyzed again by this version's engine. */
export function reportFromImport(imported: ImportedFile, options: BuildOptions): Report {
  const analyses = analyzeStreams(imported.streams.map((s) => s.record));
  const report = buildReport(
    analyses.map((analysis, i) => {
      const stream = imported.streams[i] as ImportedStream;
      return { analysis, ...(stream.startedAt === null ? {} : { startedAt: stream.startedAt }), ...(stream.observed === null ? {} : { observed: stream.observed }) };
    }),
    options,
  );
  return imported.redacted ? { ...report, redacted: true } : report;
}
