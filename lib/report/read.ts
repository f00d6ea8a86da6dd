import type { ObservedOutcome } from '../capture/captured';
import { HAR_LIMITS } from '../capture/har';
import type { HeaderLine } from '../model/headers';
import type { BodyEnd, ClientKind, CredentialsMode, Exchange, ExchangeKind, OriginProbe, OriginProbeKind, ReadyState, ReadyStateTransition, StreamEvent, StreamRecord } from '../model/record';
import type { ReportWhatIf } from './types';

/**
 * The one reader of JSON reports (schemaVersion 1) back into stream records. Everything in the
 * file is untrusted: each field is checked and sizes are bounded. Two readings of the same shape:
 *
 * - strict (`sse-inspector analyze`, recordsFromReport): a report the CLI or the panel exported, a
 *   what-if scenario, or one written or edited by hand and kept in a repository. A scenario may
 *   leave out everything that has an obvious value (an exchange needs only `kind`, `status` and
 *   `responseHeaders`; a response with a status and no `bodyBytes` is taken to send data, 64
 *   bytes, as a working stream does). The first problem fails the whole file, named by its JSON
 *   path, so a scenario is never half-read. Origin probes are not read: `--probe-security`'s
 *   answers are not re-evaluated.
 * - lenient (the panel's Import, lib/report/import.ts): a file the panel or the CLI exported, so
 *   every field an export writes must be there. A stream that cannot be read is skipped with a
 *   note; text is cut and lists are shortened to the HAR reader's caps (lib/capture/har.ts) rather
 *   than refused, events beyond the cap counting as dropped.
 *
 * Only the inputs are read (URL, client, exchanges, events); verdicts and findings in the file are
 * outputs, computed again by the engine.
 */

export class ReportError extends Error {}

export type ReadMode = 'strict' | 'lenient';

export interface ReportImport extends FileFacts {
  readonly streams: readonly ReadStream[];
}

/** What a report says of itself, beside its streams. */
export interface FileFacts {
  readonly redacted: boolean;
  /** Version of the sse-inspector that wrote the file. */
  readonly writtenBy: string | null;
  /** When the file was written (ISO), when it says. */
  readonly writtenAt: string | null;
}

/** One stream as the lenient reading keeps it, with what the capture knew beside the record. */
export interface LenientStream {
  readonly record: StreamRecord;
  /** Epoch ms the stream was first seen, when the file says. */
  readonly startedAt: number | null;
  readonly observed: ObservedOutcome | null;
}

const STRICT_LIMITS = { streams: 10_000, exchanges: 1_000, headerLines: 1_000, events: 100_000 } as const;
export const IMPORT_LIMITS = {
  streams: 10_000,
  exchangesPerStream: 5_000,
  readyStates: 10_000,
  retryValues: 1_000,
  originProbes: 64,
  id: 256,
} as const;
const ASSUMED_BODY_BYTES = 64;

const CLIENT_KINDS: readonly ClientKind[] = ['eventsource', 'fetch'];
const CREDENTIALS: readonly CredentialsMode[] = ['omit', 'same-origin', 'include'];
const EXCHANGE_KINDS: readonly ExchangeKind[] = ['preflight', 'redirect', 'response'];
const BODY_ENDS: readonly Exclude<BodyEnd, null>[] = ['server', 'network', 'client'];
const OBSERVED: readonly ObservedOutcome[] = ['connecting', 'open', 'reconnecting', 'blocked', 'failed', 'closed'];
const PROBE_KINDS: readonly OriginProbeKind[] = ['arbitrary', 'null', 'prefix', 'suffix', 'unescaped-dot', 'subdomain', 'http-downgrade'];

type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field that failed its check, worded both ways: a JSON path for strict, a note for lenient. */
export class InvalidField extends Error {
  constructor(
    readonly strictMessage: string,
    note: string,
  ) {
    super(note);
  }
}

/** Where a value sits: its JSON path (strict messages) and its name in a lenient note. */
interface Spot {
  readonly path: string;
  readonly label: string;
}

export function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half.
  const cut = text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return text.slice(0, cut);
}

/**
 * The checks, one per kind of value, each with both readings' rules: strict keeps text whole and
 * refuses oversized lists; lenient cuts and shortens, and asks times and sizes to be 0 or more.
 */
export class FieldReader {
  constructor(readonly mode: ReadMode) {}

  get strict(): boolean {
    return this.mode === 'strict';
  }

  fail(spot: Spot, expected: string, note: string): never {
    throw new InvalidField(`${spot.path}: expected ${expected}`, note);
  }

  object(value: unknown, spot: Spot, note = `${spot.label} is not an object`): Json {
    return isObject(value) ? value : this.fail(spot, 'an object', note);
  }

  string(value: unknown, spot: Spot, max: number): string {
    if (typeof value !== 'string') this.fail(spot, 'a string', `${spot.label} is not a string`);
    return this.strict ? value : cap(value, max);
  }

  nullableString(value: unknown, spot: Spot, max: number): string | null {
    return value === null || (!this.strict && value === undefined) ? null : this.string(value, spot, max);
  }

  /** A time or a duration. */
  number(value: unknown, spot: Spot): number {
    const valid = typeof value === 'number' && Number.isFinite(value) && (this.strict || value >= 0);
    return valid ? value : this.fail(spot, 'a number', `${spot.label} is not a number ≥ 0`);
  }

  nullableNumber(value: unknown, spot: Spot): number | null {
    return value === null || (!this.strict && value === undefined) ? null : this.number(value, spot);
  }

  /** A size or a count. */
  count(value: unknown, spot: Spot): number {
    const valid = this.strict ? Number.isInteger(value) && (value as number) >= 0 : typeof value === 'number' && Number.isFinite(value) && value >= 0;
    return valid ? (value as number) : this.fail(spot, 'a whole number, 0 or more', `${spot.label} is not a number ≥ 0`);
  }

  integer(value: unknown, spot: Spot, min: number, max: number, expected: string): number {
    const valid = Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
    return valid ? (value as number) : this.fail(spot, expected, `${spot.label} is not an integer from ${min} to ${max}`);
  }

  attempt(value: unknown, spot: Spot): number {
    return this.integer(value, spot, 1, this.strict ? Number.MAX_SAFE_INTEGER : HAR_LIMITS.attemptsPerStream, 'a whole number, 1 or more');
  }

  status(value: unknown, spot: Spot): number | null {
    // A status has three digits; strict asks for the range browsers treat as a response.
    return value === null ? null : this.integer(value, spot, 100, this.strict ? 599 : 999, 'a status from 100 to 599, or null for no response');
  }

  oneOf<T extends string>(value: unknown, allowed: readonly T[], spot: Spot): T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    return this.fail(spot, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, `${spot.label} is not one of ${allowed.join(', ')}`);
  }

  /** At most `limit` items: beyond it strict refuses the file, lenient keeps the first ones. */
  list(value: unknown, spot: Spot, limit: { readonly strict: number; readonly lenient: number }): unknown[] {
    if (!Array.isArray(value)) this.fail(spot, 'an array', `${spot.label} is not a list`);
    if (!this.strict) return value.slice(0, limit.lenient);
    if (value.length > limit.strict) throw new InvalidField(`${spot.path}: more than ${limit.strict} items`, `${spot.label} has too many items`);
    return value;
  }

  headers(value: unknown, spot: Spot): HeaderLine[] {
    return this.list(value, spot, { strict: STRICT_LIMITS.headerLines, lenient: HAR_LIMITS.headersPerList }).map((line, i) => {
      const at = { path: `${spot.path}[${i}]`, label: `${spot.label}[${i}]` };
      if (!Array.isArray(line) || line.length !== 2) this.fail(at, 'a ["Name", "value"] pair', `${at.label} is not a [name, value] pair`);
      return [
        this.string(line[0], { path: `${at.path}[0]`, label: `${at.label} name` }, HAR_LIMITS.headerName),
        this.string(line[1], { path: `${at.path}[1]`, label: `${at.label} value` }, HAR_LIMITS.headerValue),
      ] as const;
    });
  }

  /** What stands for a missing value: strict takes only an absent one, lenient a null one too. */
  orDefault(value: unknown, fallback: unknown): unknown {
    return this.strict ? (value === undefined ? fallback : value) : (value ?? fallback);
  }

  /**
   * A field a scenario may leave out: strict fills in `scenarioDefault` when it is missing,
   * lenient reads it as an export always writes it.
   */
  field<T>(json: Json, key: string, spot: Spot, read: (value: unknown, spot: Spot) => T, scenarioDefault: T): T {
    return this.strict && json[key] === undefined ? scenarioDefault : read(json[key], spot);
  }
}

/** The spot of `key` under `parent`, named `label` in a lenient note. */
const child = (parent: Spot, key: string, label: string): Spot => ({ path: `${parent.path}.${key}`, label });

export function timingOf(r: FieldReader, value: unknown, spot: Spot): Exchange['timing'] {
  const json = r.object(value, spot, 'exchange timing is not an object');
  return {
    startedAt: r.field(json, 'startedAt', child(spot, 'startedAt', 'timing.startedAt'), (v, s) => r.number(v, s), 0),
    responseAt: r.field(json, 'responseAt', child(spot, 'responseAt', 'timing.responseAt'), (v, s) => r.nullableNumber(v, s), null),
    firstByteAt: r.field(json, 'firstByteAt', child(spot, 'firstByteAt', 'timing.firstByteAt'), (v, s) => r.nullableNumber(v, s), null),
    endedAt: r.field(json, 'endedAt', child(spot, 'endedAt', 'timing.endedAt'), (v, s) => r.nullableNumber(v, s), null),
  };
}

const NO_TIMING: Exchange['timing'] = { startedAt: 0, responseAt: null, firstByteAt: null, endedAt: null };

export function bodyEndOf(r: FieldReader, value: unknown, spot: Spot): BodyEnd {
  return value === null || value === undefined ? null : r.oneOf(value, BODY_ENDS, spot);
}

function exchangeOf(r: FieldReader, value: unknown, spot: Spot, url: string, method: string): Exchange {
  const json = r.object(value, spot, 'an exchange is not an object');
  const at = (key: string, label = `exchange ${key}`) => child(spot, key, label);
  const kind = r.oneOf(json.kind, EXCHANGE_KINDS, at('kind', 'exchange kind'));
  // A scenario must say the status even when there was no response (null): it decides the verdict.
  const status = r.status(json.status, at('status'));
  return {
    kind,
    attempt: r.field(json, 'attempt', at('attempt'), (v, s) => r.attempt(v, s), 1),
    method: r.field(json, 'method', at('method'), (v, s) => r.string(v, s, HAR_LIMITS.headerName), kind === 'preflight' ? 'OPTIONS' : method),
    url: r.field(json, 'url', at('url'), (v, s) => r.string(v, s, HAR_LIMITS.url), url),
    status,
    statusText: r.string(r.orDefault(json.statusText, ''), at('statusText'), HAR_LIMITS.statusText),
    httpVersion: r.field(json, 'httpVersion', at('httpVersion'), (v, s) => r.nullableString(v, s, HAR_LIMITS.statusText), null),
    requestHeaders: r.field(json, 'requestHeaders', at('requestHeaders', 'requestHeaders'), (v, s) => r.headers(v, s), []),
    responseHeaders: r.field(json, 'responseHeaders', at('responseHeaders', 'responseHeaders'), (v, s) => r.headers(v, s), []),
    timing: r.field(json, 'timing', at('timing'), (v, s) => timingOf(r, v, s), NO_TIMING),
    bodyBytes: r.field(json, 'bodyBytes', at('bodyBytes'), (v, s) => r.count(v, s), kind === 'response' && status !== null ? ASSUMED_BODY_BYTES : 0),
    bodyEnd: bodyEndOf(r, json.bodyEnd, at('bodyEnd', 'bodyEnd')),
    error: r.field(json, 'error', at('error'), (v, s) => r.nullableString(v, s, HAR_LIMITS.statusText), null),
  };
}

function eventOf(r: FieldReader, value: unknown, spot: Spot): StreamEvent {
  const json = r.object(value, spot, 'an event is not an object');
  const at = (key: string) => child(spot, key, `event ${key}`);
  const data = r.field(json, 'data', at('data'), (v, s) => r.string(v, s, HAR_LIMITS.eventData), '');
  return {
    at: r.field(json, 'at', at('at'), (v, s) => r.number(v, s), 0),
    attempt: r.field(json, 'attempt', at('attempt'), (v, s) => r.attempt(v, s), 1),
    type: r.field(json, 'type', at('type'), (v, s) => r.string(v, s, HAR_LIMITS.eventField), 'message'),
    data,
    id: r.field(json, 'id', at('id'), (v, s) => r.nullableString(v, s, HAR_LIMITS.eventField), null),
    size: r.field(json, 'size', at('size'), (v, s) => r.count(v, s), data.length + 7),
  };
}

function readyStateOf(r: FieldReader, value: unknown, spot: Spot): ReadyStateTransition {
  const json = r.object(value, spot, 'a readyState is not an object');
  const state = r.integer(json.state, child(spot, 'state', 'readyState'), 0, 2, '0, 1 or 2') as ReadyState;
  return {
    at: r.field(json, 'at', child(spot, 'at', 'readyState at'), (v, s) => r.number(v, s), 0),
    state,
    attempt: r.field(json, 'attempt', child(spot, 'attempt', 'readyState attempt'), (v, s) => r.attempt(v, s), 1),
  };
}

function probeOf(r: FieldReader, value: unknown, spot: Spot): OriginProbe {
  const json = r.object(value, spot, 'an origin probe is not an object');
  const at = (key: string) => child(spot, key, `probe ${key}`);
  return {
    kind: r.oneOf(json.kind, PROBE_KINDS, at('kind')),
    origin: r.string(json.origin, at('origin'), HAR_LIMITS.url),
    status: r.status(json.status, at('status')),
    allowOrigin: r.nullableString(json.allowOrigin, at('allowOrigin'), HAR_LIMITS.headerValue),
    allowCredentials: r.nullableString(json.allowCredentials, at('allowCredentials'), HAR_LIMITS.headerValue),
  };
}

function clientOf(r: FieldReader, value: unknown, spot: Spot): StreamRecord['client'] & { readonly pageOrigin: string } {
  const json = r.object(value, spot, 'client is not an object');
  const at = (key: string) => child(spot, key, `client ${key}`);
  const kind = r.oneOf(json.kind, CLIENT_KINDS, at('kind'));
  // `credentialsMode` is the precise field; `credentials` (a boolean) is what older readers and
  // hand-written scenarios use. Only strict insists the boolean be one.
  const credentials = r.strict && json.credentials !== undefined && typeof json.credentials !== 'boolean' ? r.fail(at('credentials'), 'true or false', '') : json.credentials === true;
  return {
    kind,
    pageOrigin: r.string(json.pageOrigin, at('pageOrigin'), HAR_LIMITS.url),
    credentials: json.credentialsMode === undefined ? (credentials ? 'include' : 'same-origin') : r.oneOf(json.credentialsMode, CREDENTIALS, at('credentialsMode')),
    // EventSource always GETs; strict says so whatever the file claims, lenient keeps what it says.
    method: kind === 'eventsource' && r.strict ? 'GET' : r.string(r.orDefault(json.method, 'GET'), at('method'), HAR_LIMITS.headerName),
    headers: kind === 'eventsource' ? [] : r.headers(r.orDefault(json.headers, []), at('headers')),
  };
}

/** The what-if mark, kept as it was so the re-evaluated report still says what was edited (strict only). */
function whatIfMark(r: FieldReader, value: unknown, spot: Spot): ReportWhatIf {
  const json = r.object(value, spot);
  const at = (parent: Spot, key: string) => child(parent, key, key);
  const basedOn = r.string(json.basedOn, at(spot, 'basedOn'), Infinity);
  const capturedSpot = at(spot, 'captured');
  const captured = r.object(json.captured, capturedSpot);
  const chromiumSpot = at(capturedSpot, 'chromium');
  const firefoxSpot = at(capturedSpot, 'firefox');
  const chromium = r.object(captured.chromium, chromiumSpot);
  const firefox = r.object(captured.firefox, firefoxSpot);
  const outcomes = ['open', 'blocked', 'failed', 'reconnecting'] as const;
  const nullable = (v: unknown, s: Spot) => r.nullableString(v, s, Infinity);
  const limit = { strict: STRICT_LIMITS.headerLines, lenient: STRICT_LIMITS.headerLines };
  const editsSpot = at(spot, 'edits');
  const fixesSpot = at(spot, 'fixesApplied');
  return {
    basedOn,
    captured: {
      // The error names are kept as written: they describe the capture, and nothing computes with them.
      chromium: { outcome: r.oneOf(chromium.outcome, outcomes, at(chromiumSpot, 'outcome')), corsError: nullable(chromium.corsError, at(chromiumSpot, 'corsError')) as ReportWhatIf['captured']['chromium']['corsError'] },
      firefox: { outcome: r.oneOf(firefox.outcome, outcomes, at(firefoxSpot, 'outcome')), reason: nullable(firefox.reason, at(firefoxSpot, 'reason')) as ReportWhatIf['captured']['firefox']['reason'] },
    },
    edits: r.list(json.edits, editsSpot, limit).map((item, i) => {
      const editSpot = { path: `${editsSpot.path}[${i}]`, label: 'edit' };
      const edit = r.object(item, editSpot);
      return {
        field: r.oneOf(edit.field, ['pageOrigin', 'client', 'credentials', 'requestHeaders', 'body', 'status', 'responseHeaders', 'exchange'] as const, at(editSpot, 'field')),
        exchange: nullable(edit.exchange, at(editSpot, 'exchange')),
        from: nullable(edit.from, at(editSpot, 'from')),
        to: nullable(edit.to, at(editSpot, 'to')),
      };
    }),
    // Optional (absent when the scenario did not change the request, or assumed no exchange).
    ...(json.requestEdits === undefined ? {} : { requestEdits: requestEdits(r, json.requestEdits, at(spot, 'requestEdits')) }),
    ...(json.assumed === undefined
      ? {}
      : { assumed: r.list(json.assumed, at(spot, 'assumed'), limit).map((item, i) => r.string(item, { path: `${spot.path}.assumed[${i}]`, label: 'exchange' }, Infinity)) }),
    fixesApplied: r.list(json.fixesApplied, fixesSpot, limit).map((item, i) => r.string(item, { path: `${fixesSpot.path}[${i}]`, label: 'fix' }, Infinity)),
    body: r.oneOf(json.body, ['streams', 'silent', 'ends', 'breaks'] as const, at(spot, 'body')),
  };
}

function requestEdits(r: FieldReader, value: unknown, spot: Spot): NonNullable<ReportWhatIf['requestEdits']> {
  return r.list(value, spot, { strict: 2, lenient: 2 }).map((item, i) => {
    const editSpot = { path: `${spot.path}[${i}]`, label: 'request edit' };
    const edit = r.object(item, editSpot);
    const at = (key: string) => child(editSpot, key, key);
    return { field: r.oneOf(edit.field, ['url', 'method'] as const, at('field')), from: r.string(edit.from, at('from'), Infinity), to: r.string(edit.to, at('to'), Infinity) };
  });
}

/** Epoch ms of an ISO date string; null when it is not one. */
export function epochOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) ? parsed : null;
}

export interface ReadStream extends LenientStream {
  /** The what-if mark (strict only), or null for a capture. */
  readonly whatIf: ReportWhatIf | null;
}

/**
 * One stream of a report as a record, or InvalidField. What the capture knew beside the record
 * (first seen, observed outcome) is context, not input: strict takes it when it is valid and
 * ignores it otherwise; lenient refuses an unknown outcome as it refuses any malformed field.
 */
export function readStream(r: FieldReader, value: unknown, index: number): ReadStream {
  const spot = { path: `streams[${index}]`, label: 'stream' };
  const json = r.object(value, spot, 'not an object');
  const at = (key: string, label = key) => child(spot, key, label);
  const url = r.string(json.url, at('url'), HAR_LIMITS.url);
  const { pageOrigin, ...client } = clientOf(r, json.client, at('client'));
  const exchanges = r
    .list(json.exchanges, at('exchanges'), { strict: STRICT_LIMITS.exchanges, lenient: IMPORT_LIMITS.exchangesPerStream })
    .map((item, i) => exchangeOf(r, item, { path: `${spot.path}.exchanges[${i}]`, label: 'exchange' }, url, client.method));
  const id = r.strict ? r.field(json, 'id', at('id'), (v, s) => r.string(v, s, Infinity), `stream-${index + 1}`) : cap(typeof json.id === 'string' && json.id !== '' ? json.id : `imported-${index + 1}`, IMPORT_LIMITS.id);
  const listAt = (key: string, lenientLimit: number) => r.list(r.orDefault(json[key], []), at(key), { strict: STRICT_LIMITS.events, lenient: lenientLimit });
  const readyStates = listAt('readyStates', IMPORT_LIMITS.readyStates).map((item, i) => readyStateOf(r, item, { path: `${spot.path}.readyStates[${i}]`, label: 'readyState' }));
  // Lenient keeps the HAR reader's number of events; the rest count as dropped.
  const allEvents = r.field(json, 'events', at('events'), (v, s) => r.list(v, s, { strict: STRICT_LIMITS.events, lenient: Infinity }), []);
  const events = (r.strict ? allEvents : allEvents.slice(0, HAR_LIMITS.eventsPerStream)).map((item, i) => eventOf(r, item, { path: `${spot.path}.events[${i}]`, label: 'event' }));
  // Events the report left out still happened: they count as not kept.
  const omitted = r.count(r.orDefault(json.droppedEvents, 0), at('droppedEvents')) + r.count(r.orDefault(json.eventsOmitted, 0), at('eventsOmitted'));
  const record: StreamRecord = {
    id,
    url,
    pageOrigin,
    client,
    exchanges,
    readyStates,
    events,
    droppedEvents: omitted + allEvents.length - events.length,
    retryValues: listAt('retryValues', IMPORT_LIMITS.retryValues).map((item, i) => r.count(item, { path: `${spot.path}.retryValues[${i}]`, label: 'retry value' })),
    observedFor: r.field(json, 'observedFor', at('observedFor'), (v, s) => r.nullableNumber(v, s), null),
    // A report does not carry --probe-security's answers for analyze to re-evaluate; the panel shows them.
    originProbes: r.strict ? [] : listAt('originProbes', IMPORT_LIMITS.originProbes).map((item, i) => probeOf(r, item, { path: `${spot.path}.originProbes[${i}]`, label: 'origin probe' })),
  };
  if (r.strict) {
    const observed = OBSERVED.find((outcome) => outcome === json.observed) ?? null;
    return { record, startedAt: epochOf(json.startedAt), observed, whatIf: r.field(json, 'whatIf', at('whatIf'), (v, s) => whatIfMark(r, v, s), null) };
  }
  return { record, startedAt: epochOf(json.startedAt), observed: json.observed === undefined ? null : r.oneOf(json.observed, OBSERVED, at('observed')), whatIf: null };
}

/** Whether a parsed JSON file is a report (rather than, say, a HAR file). */
export function isReport(json: unknown): boolean {
  return isObject(json) && ('schemaVersion' in json || ('streams' in json && !('log' in json)));
}

/** The strict reading (analyze): every stream, or a ReportError naming the first problem by its JSON path. */
export function recordsFromReport(json: unknown): ReportImport {
  const reader = new FieldReader('strict');
  try {
    const root = reader.object(json, { path: 'report', label: 'report' });
    if (root.schemaVersion !== 1) {
      throw new ReportError(`schemaVersion: expected 1, got ${JSON.stringify(root.schemaVersion)?.slice(0, 20) ?? 'nothing'} (this version reads reports of schemaVersion 1)`);
    }
    const streams = reader.list(root.streams, { path: 'streams', label: 'streams' }, { strict: STRICT_LIMITS.streams, lenient: 0 }).map((item, i) => readStream(reader, item, i));
    return { ...fileFacts(root), streams };
  } catch (error) {
    if (error instanceof InvalidField) throw new ReportError(error.strictMessage);
    throw error;
  }
}

export function fileFacts(root: Json): FileFacts {
  return {
    redacted: root.redacted === true,
    writtenBy: isObject(root.tool) && typeof root.tool.version === 'string' ? cap(root.tool.version, 64) : null,
    writtenAt: typeof root.generatedAt === 'string' ? cap(root.generatedAt, 64) : null,
  };
}

/** The lenient reading (the panel's Import) of a report's streams: the readable ones, and a note per skipped one. */
export function lenientStreams(streams: readonly unknown[]): { streams: LenientStream[]; notes: string[] } {
  const reader = new FieldReader('lenient');
  const kept: LenientStream[] = [];
  const notes: string[] = [];
  streams.slice(0, IMPORT_LIMITS.streams).forEach((raw, index) => {
    try {
      const { record, startedAt, observed } = readStream(reader, raw, index);
      kept.push({ record, startedAt, observed });
    } catch (error) {
      if (!(error instanceof InvalidField)) throw error;
      notes.push(`stream ${index + 1} skipped: ${error.message}`);
    }
  });
  if (streams.length > IMPORT_LIMITS.streams) notes.push(`${streams.length - IMPORT_LIMITS.streams} streams beyond ${IMPORT_LIMITS.streams} skipped`);
  return { streams: kept, notes };
}
