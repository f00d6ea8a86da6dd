import type { ObservedOutcome } from '../capture/captured';
import { HAR_LIMITS, HarError, recordsFromHar } from '../capture/har';
import { analyzeStreams } from '../engine';
import type { HeaderLine } from '../model/headers';
import type { BodyEnd, ClientKind, CredentialsMode, Exchange, ExchangeKind, OriginProbe, OriginProbeKind, ReadyStateTransition, StreamEvent, StreamRecord } from '../model/record';
import { buildReport, type BuildOptions } from './build';
import { HAR_EXTENSION_VERSION } from './har-export';
import type { Report } from './types';

/**
 * Reading exported files back: a JSON report (schemaVersion 1) or a HAR (ours, with its
 * `_sseInspector` extension, or any browser's) becomes stream records again, which the engine
 * analyzes and the panel shows read-only. Files are hostile input: every field is checked and
 * capped as lib/capture/har.ts caps HAR entries, and a stream that cannot be read is skipped and
 * counted, never trusted half-way.
 *
 * A report is rebuilt from its records, not taken as written: verdicts and findings come from this
 * version's engine, so an import can never show a conclusion the data does not support.
 */

export class ImportError extends Error {
  override readonly name = 'ImportError';
}

export interface ImportedStream {
  readonly record: StreamRecord;
  /** Epoch ms the stream was first seen, when the file says. */
  readonly startedAt: number | null;
  readonly observed: ObservedOutcome | null;
}

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

export const IMPORT_LIMITS = {
  streams: 10_000,
  exchangesPerStream: 5_000,
  readyStates: 10_000,
  retryValues: 1_000,
  originProbes: 64,
  id: 256,
} as const;

const CLIENT_KINDS: readonly ClientKind[] = ['eventsource', 'fetch'];
const CREDENTIALS: readonly CredentialsMode[] = ['omit', 'same-origin', 'include'];
const EXCHANGE_KINDS: readonly ExchangeKind[] = ['preflight', 'redirect', 'response'];
const BODY_ENDS: readonly Exclude<BodyEnd, null>[] = ['server', 'network', 'client'];
const OBSERVED: readonly ObservedOutcome[] = ['connecting', 'open', 'reconnecting', 'blocked', 'failed', 'closed'];
const PROBE_KINDS: readonly OriginProbeKind[] = ['arbitrary', 'null', 'prefix', 'suffix', 'unescaped-dot', 'subdomain', 'http-downgrade'];

type Json = Record<string, unknown>;

/** Thrown inside the readers; turns into a skipped stream with the reason. */
class Malformed extends Error {}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return text.slice(0, cut);
}

function str(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw new Malformed(`${field} is not a string`);
  return cap(value, max);
}

function nullableStr(value: unknown, field: string, max: number): string | null {
  return value === null || value === undefined ? null : str(value, field, max);
}

function num(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) throw new Malformed(`${field} is not a number ≥ ${min}`);
  return value;
}

function nullableNum(value: unknown, field: string): number | null {
  return value === null || value === undefined ? null : num(value, field);
}

function int(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new Malformed(`${field} is not an integer from ${min} to ${max}`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Malformed(`${field} is not one of ${allowed.join(', ')}`);
}

function list(value: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new Malformed(`${field} is not a list`);
  return value.slice(0, max);
}

function headers(value: unknown, field: string): HeaderLine[] {
  return list(value, field, HAR_LIMITS.headersPerList).map((line, i) => {
    if (!Array.isArray(line) || line.length !== 2) throw new Malformed(`${field}[${i}] is not a [name, value] pair`);
    return [str(line[0], `${field}[${i}] name`, HAR_LIMITS.headerName), str(line[1], `${field}[${i}] value`, HAR_LIMITS.headerValue)] as const;
  });
}

function timingOf(value: unknown): Exchange['timing'] {
  if (!isObject(value)) throw new Malformed('exchange timing is not an object');
  return {
    startedAt: num(value.startedAt, 'timing.startedAt'),
    responseAt: nullableNum(value.responseAt, 'timing.responseAt'),
    firstByteAt: nullableNum(value.firstByteAt, 'timing.firstByteAt'),
    endedAt: nullableNum(value.endedAt, 'timing.endedAt'),
  };
}

function bodyEndOf(value: unknown): BodyEnd {
  return value === null || value === undefined ? null : oneOf(value, BODY_ENDS, 'bodyEnd');
}

function exchangeOf(value: unknown): Exchange {
  if (!isObject(value)) throw new Malformed('an exchange is not an object');
  return {
    kind: oneOf(value.kind, EXCHANGE_KINDS, 'exchange kind'),
    attempt: int(value.attempt, 'exchange attempt', 1, HAR_LIMITS.attemptsPerStream),
    method: str(value.method, 'exchange method', HAR_LIMITS.headerName),
    url: str(value.url, 'exchange url', HAR_LIMITS.url),
    status: value.status === null ? null : int(value.status, 'exchange status', 100, 999),
    statusText: str(value.statusText ?? '', 'exchange statusText', HAR_LIMITS.statusText),
    httpVersion: nullableStr(value.httpVersion, 'exchange httpVersion', HAR_LIMITS.statusText),
    requestHeaders: headers(value.requestHeaders, 'requestHeaders'),
    responseHeaders: headers(value.responseHeaders, 'responseHeaders'),
    timing: timingOf(value.timing),
    bodyBytes: num(value.bodyBytes, 'exchange bodyBytes'),
    bodyEnd: bodyEndOf(value.bodyEnd),
    error: nullableStr(value.error, 'exchange error', HAR_LIMITS.statusText),
  };
}

function readyStateOf(value: unknown): ReadyStateTransition {
  if (!isObject(value)) throw new Malformed('a readyState is not an object');
  return { at: num(value.at, 'readyState at'), state: int(value.state, 'readyState', 0, 2) as 0 | 1 | 2, attempt: int(value.attempt, 'readyState attempt', 1, HAR_LIMITS.attemptsPerStream) };
}

function eventOf(value: unknown): StreamEvent {
  if (!isObject(value)) throw new Malformed('an event is not an object');
  return {
    at: num(value.at, 'event at'),
    attempt: int(value.attempt, 'event attempt', 1, HAR_LIMITS.attemptsPerStream),
    type: str(value.type, 'event type', HAR_LIMITS.eventField),
    data: str(value.data, 'event data', HAR_LIMITS.eventData),
    id: nullableStr(value.id, 'event id', HAR_LIMITS.eventField),
    size: num(value.size, 'event size'),
  };
}

function probeOf(value: unknown): OriginProbe {
  if (!isObject(value)) throw new Malformed('an origin probe is not an object');
  return {
    kind: oneOf(value.kind, PROBE_KINDS, 'probe kind'),
    origin: str(value.origin, 'probe origin', HAR_LIMITS.url),
    status: value.status === null ? null : int(value.status, 'probe status', 100, 999),
    allowOrigin: nullableStr(value.allowOrigin, 'probe allowOrigin', HAR_LIMITS.headerValue),
    allowCredentials: nullableStr(value.allowCredentials, 'probe allowCredentials', HAR_LIMITS.headerValue),
  };
}

function clientOf(value: unknown): StreamRecord['client'] & { readonly pageOrigin: string } {
  if (!isObject(value)) throw new Malformed('client is not an object');
  const kind = oneOf(value.kind, CLIENT_KINDS, 'client kind');
  // `credentialsMode` is the precise field; `credentials` (a boolean) is what older readers look at.
  const credentials = value.credentialsMode !== undefined ? oneOf(value.credentialsMode, CREDENTIALS, 'client credentialsMode') : value.credentials === true ? 'include' : 'same-origin';
  return {
    kind,
    credentials,
    method: str(value.method ?? 'GET', 'client method', HAR_LIMITS.headerName),
    headers: kind === 'eventsource' ? [] : headers(value.headers ?? [], 'client headers'),
    pageOrigin: str(value.pageOrigin, 'client pageOrigin', HAR_LIMITS.url),
  };
}

function epochOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : null;
}

/** Events: at most the HAR cap, the rest counted as dropped along with what the file had dropped. */
function eventsOf(value: unknown, droppedBefore: number): { events: StreamEvent[]; dropped: number } {
  if (!Array.isArray(value)) throw new Malformed('events is not a list');
  const events = value.slice(0, HAR_LIMITS.eventsPerStream).map(eventOf);
  return { events, dropped: droppedBefore + Math.max(0, value.length - HAR_LIMITS.eventsPerStream) };
}

/** One stream of a JSON report as a record, or Malformed. */
function streamOf(value: unknown, index: number): ImportedStream {
  if (!isObject(value)) throw new Malformed('not an object');
  const client = clientOf(value.client);
  const dropped = num(value.droppedEvents ?? 0, 'droppedEvents') + num(value.eventsOmitted ?? 0, 'eventsOmitted');
  const { events, dropped: droppedEvents } = eventsOf(value.events, dropped);
  const record: StreamRecord = {
    id: cap(typeof value.id === 'string' && value.id !== '' ? value.id : `imported-${index + 1}`, IMPORT_LIMITS.id),
    url: str(value.url, 'url', HAR_LIMITS.url),
    pageOrigin: client.pageOrigin,
    client: { kind: client.kind, credentials: client.credentials, method: client.method, headers: client.headers },
    exchanges: list(value.exchanges, 'exchanges', IMPORT_LIMITS.exchangesPerStream).map(exchangeOf),
    readyStates: list(value.readyStates ?? [], 'readyStates', IMPORT_LIMITS.readyStates).map(readyStateOf),
    events,
    droppedEvents,
    retryValues: list(value.retryValues ?? [], 'retryValues', IMPORT_LIMITS.retryValues).map((v) => num(v, 'retry value')),
    observedFor: nullableNum(value.observedFor, 'observedFor'),
    originProbes: list(value.originProbes ?? [], 'originProbes', IMPORT_LIMITS.originProbes).map(probeOf),
  };
  return { record, startedAt: epochOf(value.startedAt), observed: value.observed === undefined ? null : oneOf(value.observed, OBSERVED, 'observed') };
}

/** A parsed JSON report (schemaVersion 1) as records. */
export function importReport(value: unknown): ImportedFile {
  if (!isObject(value)) throw new ImportError('not a report: expected a JSON object');
  if (value.schemaVersion !== 1) throw new ImportError(`not a report this version can read: schemaVersion ${JSON.stringify(value.schemaVersion ?? null)?.slice(0, 20)}`);
  if (!Array.isArray(value.streams)) throw new ImportError('not a report: "streams" is not a list');
  const streams: ImportedStream[] = [];
  const notes: string[] = [];
  value.streams.slice(0, IMPORT_LIMITS.streams).forEach((raw, index) => {
    try {
      streams.push(streamOf(raw, index));
    } catch (error) {
      if (!(error instanceof Malformed)) throw error;
      notes.push(`stream ${index + 1} skipped: ${error.message}`);
    }
  });
  if (value.streams.length > IMPORT_LIMITS.streams) notes.push(`${value.streams.length - IMPORT_LIMITS.streams} streams beyond ${IMPORT_LIMITS.streams} skipped`);
  const tool = isObject(value.tool) && typeof value.tool.version === 'string' ? cap(value.tool.version, 64) : null;
  return {
    kind: 'report',
    streams,
    redacted: value.redacted === true,
    writtenBy: tool,
    writtenAt: typeof value.generatedAt === 'string' ? cap(value.generatedAt, 64) : null,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// HAR

interface StreamExtension {
  readonly stream: ImportedStream;
  /** The report-side fields that replace the HAR reader's approximations. */
  readonly exchanges: readonly Pick<Exchange, 'kind' | 'method' | 'attempt' | 'timing' | 'bodyEnd' | 'error'>[];
  readonly events: readonly Pick<StreamEvent, 'at' | 'attempt' | 'size'>[];
}

/** Our own extension (har-export.ts), validated like a report's streams. */
function readExtension(value: unknown): StreamExtension[] | null {
  if (!isObject(value) || value.version !== HAR_EXTENSION_VERSION || !Array.isArray(value.streams)) return null;
  try {
    return value.streams.slice(0, IMPORT_LIMITS.streams).map((raw, index) => {
      if (!isObject(raw)) throw new Malformed('stream is not an object');
      const exchanges = list(raw.exchanges, 'exchanges', IMPORT_LIMITS.exchangesPerStream).map((e) => {
        if (!isObject(e)) throw new Malformed('exchange is not an object');
        return {
          kind: oneOf(e.kind, EXCHANGE_KINDS, 'exchange kind'),
          method: str(e.method, 'exchange method', HAR_LIMITS.headerName),
          attempt: int(e.attempt, 'exchange attempt', 1, HAR_LIMITS.attemptsPerStream),
          timing: timingOf(e.timing),
          bodyEnd: bodyEndOf(e.bodyEnd),
          error: nullableStr(e.error, 'exchange error', HAR_LIMITS.statusText),
        };
      });
      const events = list(raw.events, 'events', HAR_LIMITS.eventsPerStream).map((e) => {
        if (!isObject(e)) throw new Malformed('event is not an object');
        return { at: num(e.at, 'event at'), attempt: int(e.attempt, 'event attempt', 1, HAR_LIMITS.attemptsPerStream), size: num(e.size, 'event size') };
      });
      // The stream's own fields, read by the report reader with no exchanges or events yet.
      const stream = streamOf({ ...raw, url: '', exchanges: [], events: [], client: { ...(isObject(raw.client) ? raw.client : {}), pageOrigin: raw.pageOrigin } }, index);
      return { stream, exchanges, events };
    });
  } catch (error) {
    if (error instanceof Malformed) return null;
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
