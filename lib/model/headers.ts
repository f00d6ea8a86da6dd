/**
 * Header lists exactly as seen on the wire: ordered, duplicates kept, original case kept.
 * Every check parses headers once through `HeaderMap`; nothing substring-matches a joined string.
 */
export type HeaderLine = readonly [name: string, value: string];
export type HeaderList = readonly HeaderLine[];

const foldedNames = new Map<string, string>();
const FOLDED_NAMES_LIMIT = 1024;

/**
 * A header name with ASCII A-Z lower-cased and nothing else touched: header names are tokens,
 * and a hostile non-ASCII name must not match a query through Unicode case mapping.
 */
function foldName(name: string): string {
  let folded = foldedNames.get(name);
  if (folded === undefined) {
    folded = /[^\x00-\x7f]/.test(name) ? name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase()) : name.toLowerCase();
    if (foldedNames.size >= FOLDED_NAMES_LIMIT) foldedNames.clear();
    foldedNames.set(name, folded);
  }
  return folded;
}

// Query names, lower-cased. Queries are a few dozen literal names asked ten times a list, and
// toLowerCase() returns a new copy even of a name that is already lower-case: a lookup of the
// literal (whose hash V8 keeps) is cheaper, allocates nothing, and keeps the literal itself.
const loweredNames = new Map<string, string>();

function lowerName(name: string): string {
  let lower = loweredNames.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lower === name) lower = name;
    if (loweredNames.size >= 256) loweredNames.clear();
    loweredNames.set(name, lower);
  }
  return lower;
}

/**
 * A case-insensitive multi-map over a header list that keeps every line and its position.
 * Header lists are short (10-20 lines) and queried by lower-case literal names, so a scan beats
 * building a hash map: a line whose length differs from the name asked for is rejected at once,
 * and only same-length names are folded, through a cache shared by every list.
 */
export class HeaderMap {
  readonly lines: HeaderList;
  // The last two names asked with get(), count() or has(), with their joined value and line
  // count: rules and both browsers' checks ask the same list about the same literal names
  // (Access-Control-Allow-Origin about six times a record), compared by identity.
  private memoName0: string | null = null;
  private memoValue0: string | null = null;
  private memoCount0 = 0;
  private memoName1: string | null = null;
  private memoValue1: string | null = null;
  private memoCount1 = 0;

  constructor(lines: HeaderList) {
    this.lines = lines;
  }

  /**
   * Position of the first line at or after `from` named `lower` (a lower-case name), or -1. Most
   * lines differ in length from the name asked for and are rejected at once; only a line of the
   * same length is folded (cached).
   */
  private find(lower: string, from: number): number {
    for (let i = from; i < this.lines.length; i++) {
      const name = (this.lines[i] as HeaderLine)[0];
      if (name.length === lower.length && (name === lower || foldName(name) === lower)) return i;
    }
    return -1;
  }

  has(name: string): boolean {
    return this.count(name) > 0;
  }

  /** Position of the first line named `name`, or -1: evidence usually points at that one line. */
  firstIndex(name: string): number {
    return this.find(lowerName(name), 0);
  }

  /** The (trimmed) value of the first line named `name`, or null when there is none. */
  first(name: string): string | null {
    const index = this.firstIndex(name);
    return index < 0 ? null : this.valueAt(index);
  }

  /** Positions of the lines named `name` in `lines`, for evidence. */
  indexes(name: string): number[] {
    const lower = lowerName(name);
    const found: number[] = [];
    for (let i = this.find(lower, 0); i >= 0; i = this.find(lower, i + 1)) found.push(i);
    return found;
  }

  /** Every value sent under `name`, one per header line, in order. Browsers' HTTP parsers strip
   * surrounding whitespace from field values, so these are trimmed. */
  all(name: string): string[] {
    return this.indexes(name).map((index) => this.valueAt(index));
  }

  /** The Fetch standard's "get": all values joined by ", ", or null when absent. */
  get(name: string): string | null {
    if (name === this.memoName0) return this.memoValue0;
    if (name === this.memoName1) return this.memoValue1;
    this.remember(name);
    return this.memoValue0;
  }

  /** How many lines are named `name`. */
  count(name: string): number {
    if (name === this.memoName0) return this.memoCount0;
    if (name === this.memoName1) return this.memoCount1;
    this.remember(name);
    return this.memoCount0;
  }

  /** Scans for `name` once and keeps its joined value and line count as the newest memo. */
  private remember(name: string): void {
    const lower = lowerName(name);
    let joined: string | null = null;
    let n = 0;
    for (let i = this.find(lower, 0); i >= 0; i = this.find(lower, i + 1)) {
      joined = joined === null ? this.valueAt(i) : `${joined}, ${this.valueAt(i)}`;
      n++;
    }
    this.memoName1 = this.memoName0;
    this.memoValue1 = this.memoValue0;
    this.memoCount1 = this.memoCount0;
    this.memoName0 = name;
    this.memoValue0 = joined;
    this.memoCount0 = n;
  }

  private valueAt(index: number): string {
    return trimHttpWhitespace((this.lines[index] as HeaderLine)[1]);
  }
}

const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const isHttpWhitespace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

export function trimHttpWhitespace(value: string): string {
  // Most values need no trimming; skip the regex for them (this runs for every header line).
  if (value.length === 0 || (!isHttpWhitespace(value.charCodeAt(0)) && !isHttpWhitespace(value.charCodeAt(value.length - 1)))) {
    return value;
  }
  return value.replace(HTTP_WHITESPACE, '');
}

export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/** Splits a comma-separated header value into trimmed, non-empty items. */
export function splitList(value: string | null): string[] {
  if (value === null) return [];
  const items: string[] = [];
  // Walks the commas in place rather than through split(), which builds a second array per value.
  for (let start = 0; start <= value.length; ) {
    const comma = value.indexOf(',', start);
    const end = comma < 0 ? value.length : comma;
    const item = trimHttpWhitespace(value.slice(start, end));
    if (item.length > 0) items.push(item);
    start = end + 1;
  }
  return items;
}

/**
 * Whether a comma-separated header value lists `lowerItem` (a lower-case item), compared as
 * splitList(value) items lower-cased would be, without building that list.
 */
export function hasListItem(value: string | null, lowerItem: string): boolean {
  if (value === null) return false;
  for (let start = 0; start <= value.length; ) {
    const comma = value.indexOf(',', start);
    const end = comma < 0 ? value.length : comma;
    let from = start;
    let to = end;
    while (from < to && isHttpWhitespace(value.charCodeAt(from))) from++;
    while (to > from && isHttpWhitespace(value.charCodeAt(to - 1))) to--;
    // Lower-casing never turns a string of another length into an ASCII one: only same-length items can match.
    if (to - from === lowerItem.length && value.slice(from, to).toLowerCase() === lowerItem) return true;
    start = end + 1;
  }
  return false;
}

export interface ContentType {
  /** Lower-cased `type/subtype`. */
  readonly essence: string;
  /** Parameters with lower-cased names; values unquoted, case kept. */
  readonly params: ReadonlyMap<string, string>;
}

const contentTypeCache = new Map<string, ContentType | null>();

/** MIME Sniffing standard's "parse a MIME type", simplified to what EventSource needs. */
export function parseContentType(value: string | null): ContentType | null {
  if (value === null) return null;
  const cached = contentTypeCache.get(value);
  if (cached !== undefined) return cached;
  const parsed = parseContentTypeUncached(value);
  if (contentTypeCache.size >= 512) contentTypeCache.clear();
  contentTypeCache.set(value, parsed);
  return parsed;
}

function parseContentTypeUncached(value: string): ContentType | null {
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

const directivesCache = new Map<string, ReadonlyMap<string, string | true>>();
const NO_DIRECTIVES: ReadonlyMap<string, string | true> = new Map();

/**
 * Parses Cache-Control style directives: lower-cased names, `true` for a bare directive. A server
 * sends the same value on every stream: each value is parsed once (bounded cache). Read-only.
 */
export function parseDirectives(value: string | null): ReadonlyMap<string, string | true> {
  if (value === null) return NO_DIRECTIVES;
  let directives = directivesCache.get(value);
  if (directives === undefined) {
    directives = parseDirectivesUncached(value);
    if (directivesCache.size >= 512) directivesCache.clear();
    directivesCache.set(value, directives);
  }
  return directives;
}

function parseDirectivesUncached(value: string): Map<string, string | true> {
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
