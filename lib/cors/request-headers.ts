import { parseContentType, type HeaderList } from '../model/headers';

/**
 * Which request headers make a fetch() need a preflight (Fetch standard "CORS-unsafe
 * request-header names"). EventSource never gets here: it sets no author headers, and the
 * Last-Event-ID it adds on reconnect is not subject to preflight.
 */

// Headers a page cannot set at all; browsers drop them silently, so they never cause a preflight.
const FORBIDDEN = new Set([
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive',
  'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
]);

const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const SAFELISTED_METHODS = new Set(['GET', 'HEAD', 'POST']);
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

function isForbidden(lower: string): boolean {
  return FORBIDDEN.has(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-');
}

/** A header a page's code cannot set (fetch drops it silently), in any case. */
export function isForbiddenRequestHeader(name: string): boolean {
  return isForbidden(name.toLowerCase());
}

// Bytes the Fetch standard calls CORS-unsafe request-header bytes.
function hasUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || '"():<>?@[\\]{}'.includes(value[i] as string)) return true;
  }
  return false;
}

function isSafelisted(lower: string, value: string): boolean {
  if (value.length > 128) return false;
  switch (lower) {
    case 'accept':
      return !hasUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
    case 'content-type': {
      if (hasUnsafeByte(value)) return false;
      const parsed = parseContentType(value);
      return parsed !== null && SIMPLE_CONTENT_TYPES.has(parsed.essence);
    }
    case 'range':
      return /^bytes=\d+-\d*$/.test(value);
    default:
      return false;
  }
}

/** CORS-unsafe request-header names, lower-cased, sorted, unique. */
const NO_NAMES: readonly string[] = Object.freeze([]);

export function unsafeRequestHeaderNames(headers: HeaderList): readonly string[] {
  // Most fetch clients set no header, or one.
  if (headers.length === 0) return NO_NAMES;
  if (headers.length === 1) {
    const line = headers[0] as HeaderList[number];
    const lower = line[0].toLowerCase();
    return isForbidden(lower) || isSafelisted(lower, line[1]) ? NO_NAMES : [lower];
  }
  const unsafe = new Set<string>();
  let safelistedBytes = 0;
  const safelisted: string[] = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (isForbidden(lower)) continue;
    if (isSafelisted(lower, value)) {
      safelistedBytes += name.length + value.length;
      safelisted.push(lower);
    } else unsafe.add(lower);
  }
  // More than 1024 bytes of safelisted headers makes all of them unsafe.
  if (safelistedBytes > 1024) for (const lower of safelisted) unsafe.add(lower);
  return [...unsafe].sort();
}

export function normalizeMethod(method: string): string {
  // Almost every method is already one of these, spelled in upper case.
  if (NORMALIZED_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

export function isSafelistedMethod(method: string): boolean {
  return SAFELISTED_METHODS.has(method);
}

export interface PreflightRequirement {
  readonly needed: boolean;
  readonly method: string;
  /** Lower-cased unsafe header names, as sent in Access-Control-Request-Headers. */
  readonly headers: readonly string[];
}

// Shared by every EventSource record: read-only, like every requirement.
const EVENTSOURCE_REQUIREMENT: PreflightRequirement = Object.freeze({ needed: false, method: 'GET', headers: Object.freeze([]) });

/** What a cross-origin request needs before it may be sent. */
export function preflightRequirement(kind: 'eventsource' | 'fetch', method: string, headers: HeaderList): PreflightRequirement {
  if (kind === 'eventsource') return EVENTSOURCE_REQUIREMENT;
  const normalized = normalizeMethod(method);
  const unsafe = unsafeRequestHeaderNames(headers);
  return { needed: !isSafelistedMethod(normalized) || unsafe.length > 0, method: normalized, headers: unsafe };
}
