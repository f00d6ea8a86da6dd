import { headerMapOf, parseContentType, splitList, type HeaderList } from '../model/headers';

/**
 * What marks a request as part of an event stream, shared by every capture adapter (webRequest,
 * devtools.network entries, HAR files, the merger), so they all agree on what they keep.
 */

/** The request asked for `text/event-stream` (EventSource always does; fetch clients usually). */
export function acceptsEventStream(headers: HeaderList): boolean {
  return splitList(headerMapOf(headers).get('accept')).some((item) => parseContentType(item)?.essence === 'text/event-stream');
}

/** A CORS preflight: OPTIONS carrying Access-Control-Request-Method. */
export function isPreflightRequest(method: string, headers: HeaderList): boolean {
  return method === 'OPTIONS' && headerMapOf(headers).has('access-control-request-method');
}

/** A Content-Type (or HAR mimeType) whose essence is `text/event-stream`. */
export function isEventStreamType(contentType: string | null): boolean {
  return parseContentType(contentType)?.essence === 'text/event-stream';
}

/** Request headers the browser adds by itself; anything else was set by the page's code. */
const BROWSER_HEADERS: ReadonlySet<string> = new Set([
  'accept', 'accept-encoding', 'accept-language', 'cache-control', 'connection', 'cookie', 'dnt', 'host',
  'last-event-id', 'origin', 'pragma', 'priority', 'referer', 'te', 'upgrade-insecure-requests', 'user-agent',
  'content-length', 'keep-alive', 'if-none-match', 'if-modified-since', 'x-client-data',
]);

export function isBrowserHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return BROWSER_HEADERS.has(lower) || lower.startsWith('sec-') || lower.startsWith('proxy-');
}
