import { headerMapOf, type HeaderLine } from '../model/headers';
import { acceptsEventStream, isEventStreamType, isPreflightRequest } from './stream-markers';

/**
 * What the DevTools page keeps of a `devtools.network` HAR entry: the fields the HAR adapter
 * (har.ts) reads, bounded, and only for entries that can belong to an event stream (by response
 * type, Chromium's `_resourceType`, `Accept: text/event-stream`, or a CORS preflight). Shaped as a
 * HAR entry so that `recordsFromHar` reads a list of them as it reads a saved file.
 */
export interface HarEntrySummary {
  readonly startedDateTime: string;
  readonly time: number;
  readonly request: { readonly method: string; readonly url: string; readonly httpVersion: string; readonly headers: readonly HarHeader[] };
  readonly response: {
    readonly status: number;
    readonly statusText: string;
    readonly httpVersion: string;
    readonly headers: readonly HarHeader[];
    readonly redirectURL: string;
    readonly content: { readonly size: number; readonly mimeType: string; readonly text?: string };
    readonly _error?: string;
  };
  readonly timings?: { readonly blocked: number; readonly dns: number; readonly connect: number; readonly send: number; readonly wait: number };
  readonly _resourceType?: string;
  readonly _eventSourceMessages?: readonly HarEventSourceMessage[];
  readonly _error?: string;
}

export interface HarHeader {
  readonly name: string;
  readonly value: string;
}

export interface HarEventSourceMessage {
  readonly time: number;
  readonly eventName: string;
  readonly eventId: string;
  readonly data: string;
}

export const HAR_ENTRY_BOUNDS = {
  maxUrlLength: 8192,
  maxHeaders: 128,
  maxHeaderNameLength: 256,
  maxHeaderValueLength: 8192,
  maxTextLength: 256,
  /** Chromium fills `_eventSourceMessages` with every message; keep the first ones. */
  maxMessages: 10_000,
  maxMessageData: 16_384,
  /** Body text from getContent(), for streams whose events no other source saw. */
  maxContentText: 1_048_576,
} as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown, max: number): string => (typeof value === 'string' ? (value.length > max ? value.slice(0, max) : value) : '');
const number = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : -1);

function headers(value: unknown): HarHeader[] {
  const lines: HarHeader[] = [];
  if (!Array.isArray(value)) return lines;
  const b = HAR_ENTRY_BOUNDS;
  for (const item of value as unknown[]) {
    if (lines.length === b.maxHeaders) break;
    if (isObject(item) && typeof item.name === 'string') lines.push({ name: text(item.name, b.maxHeaderNameLength), value: text(item.value, b.maxHeaderValueLength) });
  }
  return lines;
}

const asLines = (list: readonly HarHeader[]): HeaderLine[] => list.map((h) => [h.name, h.value]);

function messages(value: unknown): HarEventSourceMessage[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const b = HAR_ENTRY_BOUNDS;
  const kept: HarEventSourceMessage[] = [];
  for (const item of (value as unknown[]).slice(0, b.maxMessages)) {
    if (!isObject(item)) continue;
    kept.push({ time: number(item.time), eventName: text(item.eventName, b.maxTextLength), eventId: text(item.eventId, b.maxTextLength), data: text(item.data, b.maxMessageData) });
  }
  return kept;
}

/** Whether an entry can be part of an event stream: the stream itself, or a preflight before one. */
function isCandidate(method: string, request: readonly HarHeader[], response: readonly HarHeader[], mimeType: string, resourceType: string): boolean {
  if (resourceType === 'eventsource') return true;
  const requestLines = asLines(request);
  if (method === 'OPTIONS') return isPreflightRequest(method, requestLines);
  return isEventStreamType(headerMapOf(asLines(response)).get('content-type') ?? mimeType) || acceptsEventStream(requestLines);
}

/** A bounded copy of one HAR entry, or null when it is malformed or has nothing to do with SSE. */
export function reduceHarEntry(raw: unknown, contentText?: string | null): HarEntrySummary | null {
  if (!isObject(raw) || !isObject(raw.request) || !isObject(raw.response)) return null;
  const b = HAR_ENTRY_BOUNDS;
  const request = raw.request;
  const response = raw.response;
  const url = text(request.url, b.maxUrlLength);
  const startedDateTime = text(raw.startedDateTime, 64);
  if (url === '' || startedDateTime === '') return null;
  const method = text(request.method, b.maxTextLength).toUpperCase() || 'GET';
  const requestHeaders = headers(request.headers);
  const responseHeaders = headers(response.headers);
  const content = isObject(response.content) ? response.content : {};
  const mimeType = text(content.mimeType, b.maxTextLength);
  const resourceType = text(raw._resourceType, b.maxTextLength);
  if (!isCandidate(method, requestHeaders, responseHeaders, mimeType, resourceType)) return null;
  const body = contentText ?? (typeof content.text === 'string' ? content.text : undefined);
  const timings = isObject(raw.timings) ? raw.timings : {};
  const summary: HarEntrySummary = {
    startedDateTime,
    time: number(raw.time),
    request: { method, url, httpVersion: text(request.httpVersion, b.maxTextLength), headers: requestHeaders },
    response: {
      status: Math.max(0, Math.trunc(number(response.status))),
      statusText: text(response.statusText, b.maxTextLength),
      httpVersion: text(response.httpVersion, b.maxTextLength),
      headers: responseHeaders,
      redirectURL: text(response.redirectURL, b.maxUrlLength),
      content: { size: Math.max(0, number(content.size)), mimeType, ...(body === undefined ? {} : { text: text(body, b.maxContentText) }) },
      ...(typeof response._error === 'string' ? { _error: text(response._error, b.maxTextLength) } : {}),
    },
    timings: { blocked: number(timings.blocked), dns: number(timings.dns), connect: number(timings.connect), send: number(timings.send), wait: number(timings.wait) },
    ...(resourceType ? { _resourceType: resourceType } : {}),
    ...(Array.isArray(raw._eventSourceMessages) ? { _eventSourceMessages: messages(raw._eventSourceMessages) } : {}),
    ...(typeof raw._error === 'string' ? { _error: text(raw._error, b.maxTextLength) } : {}),
  };
  return summary;
}
