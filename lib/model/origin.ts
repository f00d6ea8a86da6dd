/** Origins as the URL standard serializes them; `null` for opaque origins. */

export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    // URL#origin is already the standard serialization ("null" for opaque schemes).
    return parsed.origin;
  } catch {
    return 'null';
  }
}

export function isSameOrigin(a: string, b: string): boolean {
  return a !== 'null' && a === b;
}

/** Resolves a Location header against the URL it came from; null when it does not parse. */
export function resolveLocation(location: string, base: string): string | null {
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}

/**
 * Chromium reports InvalidAllowOriginValue when the header value is not a valid URL at all
 * (`example.com`); anything URL-shaped that differs from the origin is a mismatch instead.
 */
export function isUrlParseable(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
