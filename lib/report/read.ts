import type { HeaderLine } from '../model/headers';
import type { BodyEnd, ClientKind, CredentialsMode, Exchange, ExchangeKind, ReadyState, ReadyStateTransition, StreamEvent, StreamRecord } from '../model/record';
import type { ReportWhatIf } from './types';

/**
 * A report read back as records, so `sse-inspector analyze` can re-evaluate it: a report the CLI
 * or the panel exported, a what-if scenario, or one written or edited by hand and kept in a
 * repository. Only the inputs are read (URL, client, exchanges, events); verdicts and findings
 * in the file are outputs and are computed again. Everything in the file is untrusted: each
 * field is checked, sizes are bounded, and the first problem is reported with its JSON path.
 *
 * A hand-written scenario may leave out everything that has an obvious value: an exchange needs
 * only `kind`, `status` and `responseHeaders`. A response with a status and no `bodyBytes` is taken
 * to send data (64 bytes), as a working stream does.
 */

export class ReportError extends Error {}

export interface ReportImport {
  readonly records: StreamRecord[];
  /** The what-if mark of each stream (same order), or null for a capture. */
  readonly whatIf: (ReportWhatIf | null)[];
}

const LIMITS = { streams: 10_000, exchanges: 1_000, headerLines: 1_000, events: 100_000 } as const;
const ASSUMED_BODY_BYTES = 64;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function fail(path: string, expected: string): never {
  throw new ReportError(`${path}: expected ${expected}`);
}

function object(value: unknown, path: string): Json {
  return isObject(value) ? value : fail(path, 'an object');
}

function string(value: unknown, path: string): string {
  return typeof value === 'string' ? value : fail(path, 'a string');
}

function optional<T>(json: Json, key: string, path: string, read: (value: unknown, path: string) => T, fallback: T): T {
  return json[key] === undefined ? fallback : read(json[key], `${path}.${key}`);
}

function number(value: unknown, path: string): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fail(path, 'a number');
}

function nullableNumber(value: unknown, path: string): number | null {
  return value === null ? null : number(value, path);
}

function count(value: unknown, path: string): number {
  return Number.isInteger(value) && (value as number) >= 0 ? (value as number) : fail(path, 'a whole number, 0 or more');
}

function oneOf<T extends string>(allowed: readonly T[]): (value: unknown, path: string) => T {
  return (value, path) => ((allowed as readonly unknown[]).includes(value) ? (value as T) : fail(path, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`));
}

function list<T>(value: unknown, path: string, max: number, read: (item: unknown, path: string) => T): T[] {
  if (!Array.isArray(value)) fail(path, 'an array');
  if (value.length > max) throw new ReportError(`${path}: more than ${max} items`);
  return value.map((item, i) => read(item, `${path}[${i}]`));
}

function headerLine(value: unknown, path: string): HeaderLine {
  if (!Array.isArray(value) || value.length !== 2) fail(path, 'a ["Name", "value"] pair');
  return [string(value[0], `${path}[0]`), string(value[1], `${path}[1]`)];
}

const headerList = (value: unknown, path: string) => list(value, path, LIMITS.headerLines, headerLine);

function status(value: unknown, path: string): number | null {
  if (value === null) return null;
  return Number.isInteger(value) && (value as number) >= 100 && (value as number) <= 599 ? (value as number) : fail(path, 'a status from 100 to 599, or null for no response');
}

function timing(value: unknown, path: string): Exchange['timing'] {
  const json = object(value, path);
  return {
    startedAt: optional(json, 'startedAt', path, number, 0),
    responseAt: optional(json, 'responseAt', path, nullableNumber, null),
    firstByteAt: optional(json, 'firstByteAt', path, nullableNumber, null),
    endedAt: optional(json, 'endedAt', path, nullableNumber, null),
  };
}

const NO_TIMING: Exchange['timing'] = { startedAt: 0, responseAt: null, firstByteAt: null, endedAt: null };

function exchange(value: unknown, path: string, url: string, method: string): Exchange {
  const json = object(value, path);
  const kind = oneOf<ExchangeKind>(['preflight', 'redirect', 'response'])(json.kind, `${path}.kind`);
  if (json.status === undefined) fail(`${path}.status`, 'a status from 100 to 599, or null for no response');
  const code = status(json.status, `${path}.status`);
  const attempt = optional(json, 'attempt', path, count, 1);
  return {
    kind,
    attempt: attempt === 0 ? fail(`${path}.attempt`, 'a whole number, 1 or more') : attempt,
    method: optional(json, 'method', path, string, kind === 'preflight' ? 'OPTIONS' : method),
    url: optional(json, 'url', path, string, url),
    status: code,
    statusText: optional(json, 'statusText', path, string, ''),
    httpVersion: optional(json, 'httpVersion', path, (v, p) => (v === null ? null : string(v, p)), null),
    requestHeaders: optional(json, 'requestHeaders', path, headerList, []),
    responseHeaders: optional(json, 'responseHeaders', path, headerList, []),
    timing: optional(json, 'timing', path, timing, NO_TIMING),
    bodyBytes: optional(json, 'bodyBytes', path, count, kind === 'response' && code !== null ? ASSUMED_BODY_BYTES : 0),
    bodyEnd: optional(json, 'bodyEnd', path, (v, p) => (v === null ? null : oneOf<Exclude<BodyEnd, null>>(['server', 'network', 'client'])(v, p)), null),
    error: optional(json, 'error', path, (v, p) => (v === null ? null : string(v, p)), null),
  };
}

function event(value: unknown, path: string): StreamEvent {
  const json = object(value, path);
  const data = optional(json, 'data', path, string, '');
  return {
    at: optional(json, 'at', path, number, 0),
    attempt: optional(json, 'attempt', path, count, 1),
    type: optional(json, 'type', path, string, 'message'),
    data,
    id: optional(json, 'id', path, (v, p) => (v === null ? null : string(v, p)), null),
    size: optional(json, 'size', path, count, data.length + 7),
  };
}

function readyState(value: unknown, path: string): ReadyStateTransition {
  const json = object(value, path);
  const state = json.state;
  if (state !== 0 && state !== 1 && state !== 2) fail(`${path}.state`, '0, 1 or 2');
  return { at: optional(json, 'at', path, number, 0), state: state as ReadyState, attempt: optional(json, 'attempt', path, count, 1) };
}

function client(value: unknown, path: string): StreamRecord['client'] & { pageOrigin: string } {
  const json = object(value, path);
  const kind = oneOf<ClientKind>(['eventsource', 'fetch'])(json.kind, `${path}.kind`);
  const credentials = optional(json, 'credentials', path, (v, p) => (typeof v === 'boolean' ? v : fail(p, 'true or false')), false);
  return {
    kind,
    pageOrigin: string(json.pageOrigin, `${path}.pageOrigin`),
    credentials: optional(json, 'credentialsMode', path, oneOf<CredentialsMode>(['omit', 'same-origin', 'include']), credentials ? 'include' : 'same-origin'),
    method: kind === 'eventsource' ? 'GET' : optional(json, 'method', path, string, 'GET'),
    headers: kind === 'eventsource' ? [] : optional(json, 'headers', path, headerList, []),
  };
}

const nullableString = (v: unknown, p: string) => (v === null ? null : string(v, p));

/** The what-if mark, kept as it was so the re-evaluated report still says what was edited. */
function whatIfMark(value: unknown, path: string): ReportWhatIf {
  const json = object(value, path);
  const basedOn = string(json.basedOn, `${path}.basedOn`);
  const captured = object(json.captured, `${path}.captured`);
  const chromium = object(captured.chromium, `${path}.captured.chromium`);
  const firefox = object(captured.firefox, `${path}.captured.firefox`);
  const outcome = oneOf(['open', 'blocked', 'failed', 'reconnecting'] as const);
  return {
    basedOn,
    captured: {
      // The error names are kept as written: they describe the capture, and nothing computes with them.
      chromium: { outcome: outcome(chromium.outcome, `${path}.captured.chromium.outcome`), corsError: nullableString(chromium.corsError, `${path}.captured.chromium.corsError`) as ReportWhatIf['captured']['chromium']['corsError'] },
      firefox: { outcome: outcome(firefox.outcome, `${path}.captured.firefox.outcome`), reason: nullableString(firefox.reason, `${path}.captured.firefox.reason`) as ReportWhatIf['captured']['firefox']['reason'] },
    },
    edits: list(json.edits, `${path}.edits`, LIMITS.headerLines, (item, p) => {
      const edit = object(item, p);
      return {
        field: oneOf(['pageOrigin', 'client', 'credentials', 'requestHeaders', 'body', 'status', 'responseHeaders', 'exchange'] as const)(edit.field, `${p}.field`),
        exchange: nullableString(edit.exchange, `${p}.exchange`),
        from: nullableString(edit.from, `${p}.from`),
        to: nullableString(edit.to, `${p}.to`),
      };
    }),
    fixesApplied: list(json.fixesApplied, `${path}.fixesApplied`, LIMITS.headerLines, string),
    body: oneOf(['streams', 'silent', 'ends', 'breaks'] as const)(json.body, `${path}.body`),
  };
}

function streamOf(value: unknown, path: string, index: number): { record: StreamRecord; whatIf: ReportWhatIf | null } {
  const json = object(value, path);
  const url = string(json.url, `${path}.url`);
  const { pageOrigin, ...request } = client(json.client, `${path}.client`);
  const exchanges = list(json.exchanges, `${path}.exchanges`, LIMITS.exchanges, (item, p) => exchange(item, p, url, request.method));
  const record: StreamRecord = {
    id: optional(json, 'id', path, string, `stream-${index + 1}`),
    url,
    pageOrigin,
    client: request,
    exchanges,
    readyStates: optional(json, 'readyStates', path, (v, p) => list(v, p, LIMITS.events, readyState), []),
    events: optional(json, 'events', path, (v, p) => list(v, p, LIMITS.events, event), []),
    // Events the report left out still happened: they count as not kept.
    droppedEvents: optional(json, 'droppedEvents', path, count, 0) + optional(json, 'eventsOmitted', path, count, 0),
    retryValues: optional(json, 'retryValues', path, (v, p) => list(v, p, LIMITS.events, count), []),
    observedFor: optional(json, 'observedFor', path, nullableNumber, null),
    // The report does not carry --probe-security's answers: those findings are not re-evaluated.
    originProbes: [],
  };
  return { record, whatIf: optional(json, 'whatIf', path, whatIfMark, null) };
}

/** Whether a parsed JSON file is a report (rather than, say, a HAR file). */
export function isReport(json: unknown): boolean {
  return isObject(json) && ('schemaVersion' in json || ('streams' in json && !('log' in json)));
}

export function recordsFromReport(json: unknown): ReportImport {
  const root = object(json, 'report');
  if (root.schemaVersion !== 1) {
    throw new ReportError(`schemaVersion: expected 1, got ${JSON.stringify(root.schemaVersion)?.slice(0, 20) ?? 'nothing'} (this version reads reports of schemaVersion 1)`);
  }
  const streams = list(root.streams, 'streams', LIMITS.streams, (item) => item).map((item, i) => streamOf(item, `streams[${i}]`, i));
  return { records: streams.map((s) => s.record), whatIf: streams.map((s) => s.whatIf) };
}
