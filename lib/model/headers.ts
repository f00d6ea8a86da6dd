/**
 * Header lists exactly as seen on the wire: ordered, duplicates kept, original case kept.
 * Every check parses headers once through `HeaderMap`; nothing substring-matches a joined string.
 */
export type HeaderLine = readonly [name: string, value: string];
export type HeaderList = readonly HeaderLine[];

/** A lower-case multi-map over a header list that keeps every line and its position. */
export class HeaderMap {
  readonly lines: HeaderList;
  private readonly byName = new Map<string, { index: number; value: string }[]>();

  constructor(lines: HeaderList) {
    this.lines = lines;
    lines.forEach(([name, value], index) => {
      const key = name.toLowerCase();
      const entries = this.byName.get(key);
      // Browsers' HTTP parsers strip surrounding whitespace from field values.
      const entry = { index, value: trimHttpWhitespace(value) };
      if (entries) entries.push(entry);
      else this.byName.set(key, [entry]);
    });
  }

  has(name: string): boolean {
    return this.byName.has(name.toLowerCase());
  }

  /** Every value sent under `name`, one per header line, in order. */
  all(name: string): string[] {
    return (this.byName.get(name.toLowerCase()) ?? []).map((e) => e.value);
  }

  /** Positions of the lines named `name` in `lines`, for evidence. */
  indexes(name: string): number[] {
    return (this.byName.get(name.toLowerCase()) ?? []).map((e) => e.index);
  }

  /** The Fetch standard's "get": all values joined by ", ", or null when absent. */
  get(name: string): string | null {
    const values = this.all(name);
    return values.length === 0 ? null : values.join(', ');
  }

  count(name: string): number {
    return this.byName.get(name.toLowerCase())?.length ?? 0;
  }
}

const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function trimHttpWhitespace(value: string): string {
  return value.replace(HTTP_WHITESPACE, '');
}

export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/** Splits a comma-separated header value into trimmed, non-empty items. */
export function splitList(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(',')
    .map(trimHttpWhitespace)
    .filter((item) => item.length > 0);
}

export interface ContentType {
  /** Lower-cased `type/subtype`. */
  readonly essence: string;
  /** Parameters with lower-cased names; values unquoted, case kept. */
  readonly params: ReadonlyMap<string, string>;
}

/** MIME Sniffing standard's "parse a MIME type", simplified to what EventSource needs. */
export function parseContentType(value: string | null): ContentType | null {
  if (value === null) return null;
  // With several Content-Type lines the last valid one wins (Fetch "extract a MIME type").
  const candidates = value.split(',').map(trimHttpWhitespace);
  let result: ContentType | null = null;
  for (const candidate of candidates) {
    const [head = '', ...rest] = candidate.split(';');
    const essence = trimHttpWhitespace(head).toLowerCase();
    const slash = essence.indexOf('/');
    if (slash <= 0 || slash === essence.length - 1) continue;
    if (!isToken(essence.slice(0, slash)) || !isToken(essence.slice(slash + 1))) continue;
    const params = new Map<string, string>();
    for (const param of rest) {
      const eq = param.indexOf('=');
      if (eq < 0) continue;
      const name = trimHttpWhitespace(param.slice(0, eq)).toLowerCase();
      let paramValue = trimHttpWhitespace(param.slice(eq + 1));
      if (paramValue.startsWith('"') && paramValue.endsWith('"') && paramValue.length >= 2) {
        paramValue = paramValue.slice(1, -1);
      }
      if (name && !params.has(name)) params.set(name, paramValue);
    }
    result = { essence, params };
  }
  return result;
}

/** Parses Cache-Control style directives: lower-cased names, `true` for a bare directive. */
export function parseDirectives(value: string | null): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  for (const item of splitList(value)) {
    const eq = item.indexOf('=');
    if (eq < 0) directives.set(item.toLowerCase(), true);
    else directives.set(trimHttpWhitespace(item.slice(0, eq)).toLowerCase(), trimHttpWhitespace(item.slice(eq + 1)).replace(/^"|"$/g, ''));
  }
  return directives;
}

const parsedLists = new WeakMap<HeaderList, HeaderMap>();

/** The parsed map of a header list, built once per list object and shared by every reader. */
export function headerMapOf(lines: HeaderList): HeaderMap {
  let map = parsedLists.get(lines);
  if (!map) {
    map = new HeaderMap(lines);
    parsedLists.set(lines, map);
  }
  return map;
}
