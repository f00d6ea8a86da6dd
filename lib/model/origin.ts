/** Origins as the URL standard serializes them; `null` for opaque origins. */

/**
 * The parts of a parsed URL the engine reads, copied out of the URL once. A URL object computes
 * each part again, and allocates a new string, on every read; the rules read the same few URLs'
 * protocol and host names for every stream.
 */
export interface ParsedUrl {
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  /** The URL itself, for what is not copied out (query parameters). Read-only. */
  readonly url: URL;
}

// URL parsing dominates the engine's cost, and a stream's handful of URLs are asked about by the
// walk and by many rules: parse each string once.
const urlCache = new Map<string, ParsedUrl | null>();
const URL_CACHE_LIMIT = 2048;

/** The parsed URL, or null when it does not parse (captured URLs are hostile input). */
export function parseUrl(url: string): ParsedUrl | null {
  let parsed = urlCache.get(url);
  if (parsed !== undefined) return parsed;
  try {
    const whole = new URL(url);
    parsed = {
      href: whole.href,
      origin: whole.origin,
      protocol: whole.protocol,
      username: whole.username,
      password: whole.password,
      host: whole.host,
      hostname: whole.hostname,
      port: whole.port,
      pathname: whole.pathname,
      search: whole.search,
      url: whole,
    };
  } catch {
    parsed = null;
  }
  if (urlCache.size >= URL_CACHE_LIMIT) urlCache.clear();
  urlCache.set(url, parsed);
  return parsed;
}

const origins = new Map<string, string>();

export function originOf(url: string): string {
  let origin = origins.get(url);
  if (origin === undefined) {
    // URL#origin is already the standard serialization ("null" for opaque schemes).
    origin = parseUrl(url)?.origin ?? 'null';
    if (origins.size >= URL_CACHE_LIMIT) origins.clear();
    origins.set(url, origin);
  }
  return origin;
}

export function isSameOrigin(a: string, b: string): boolean {
  return a !== 'null' && a === b;
}

// Keyed by base URL, then by Location: no joined key string to build and hash per lookup.
const locations = new Map<string, Map<string, string | null>>();

/** Resolves a Location header against the URL it came from; null when it does not parse. */
export function resolveLocation(location: string, base: string): string | null {
  let fromBase = locations.get(base);
  if (fromBase === undefined) {
    if (locations.size >= URL_CACHE_LIMIT) locations.clear();
    fromBase = new Map();
    locations.set(base, fromBase);
  }
  let resolved = fromBase.get(location);
  if (resolved === undefined) {
    try {
      resolved = new URL(location, base).href;
    } catch {
      resolved = null;
    }
    if (fromBase.size >= URL_CACHE_LIMIT) fromBase.clear();
    fromBase.set(location, resolved);
  }
  return resolved;
}

/**
 * Chromium reports InvalidAllowOriginValue when the header value is not a valid URL at all
 * (`example.com`); anything URL-shaped that differs from the origin is a mismatch instead.
 */
export function isUrlParseable(value: string): boolean {
  return parseUrl(value) !== null;
}
