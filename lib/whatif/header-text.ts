import { isToken, trimHttpWhitespace, type HeaderLine, type HeaderList } from '../model/headers';

/**
 * Header lists as the what-if editor shows them: one `Name: value` per line, in order, duplicates
 * kept. Parsing never throws: a line a server could not send is reported with a one-line reason
 * and left out, and every other line still counts.
 */

export interface LineProblem {
  /** 1-based line number in the text. */
  readonly line: number;
  readonly reason: string;
}

export interface ParsedHeaderText {
  readonly headers: HeaderList;
  /** 1-based text line of each header, in the same order. */
  readonly lineNumbers: readonly number[];
  readonly problems: readonly LineProblem[];
}

/** More lines than any real response has; beyond this an edit is a paste gone wrong. */
export const MAX_HEADER_LINES = 200;
/** The CLI reads at most 16 KB of headers; one line may not take more than half of that. */
export const MAX_LINE_LENGTH = 8192;

const STATUS_LINE = /^HTTP\/\d(?:\.\d)?\s+\d{3}\b/i;

const codePoint = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why a value cannot go on the wire, or null. Node's HTTP server refuses exactly these (anything
 * but tab, visible ASCII and Latin-1 bytes), and browsers would never see such a line.
 */
function valueProblem(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x09 || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff)) continue;
    if (c < 0x20 || c === 0x7f) return `the value has a control character (${codePoint(c)}) that no server can send`;
    return `the value has ${codePoint(c)}, outside Latin-1: header values are bytes, so it cannot be sent`;
  }
  return null;
}

function lineProblem(raw: string): { reason: string } | { header: HeaderLine } {
  if (raw.length > MAX_LINE_LENGTH) return { reason: `longer than ${MAX_LINE_LENGTH} characters` };
  if (raw[0] === ' ' || raw[0] === '\t') return { reason: 'starts with whitespace: continuation lines (obs-fold) are not allowed' };
  const colon = raw.indexOf(':');
  if (colon < 0) {
    return { reason: STATUS_LINE.test(raw) ? 'a status line: set the status in its own field' : 'no colon: a header line is `Name: value`' };
  }
  const name = raw.slice(0, colon);
  if (name === '') return { reason: 'no header name before the colon' };
  if (!isToken(name)) {
    return { reason: /\s/.test(name) ? `"${name.trim()}" is not a header name: names cannot contain spaces` : `"${name}" is not a header name: only letters, digits and !#$%&'*+-.^_\`|~ are allowed` };
  }
  const value = trimHttpWhitespace(raw.slice(colon + 1));
  const problem = valueProblem(value);
  if (problem) return { reason: problem };
  return { header: [name, value] };
}

export function parseHeaderText(text: string): ParsedHeaderText {
  const headers: HeaderLine[] = [];
  const lineNumbers: number[] = [];
  const problems: LineProblem[] = [];
  const rows = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i] as string;
    // Blank lines are how people separate groups of headers while editing: not an error.
    if (raw.trim() === '') continue;
    if (headers.length >= MAX_HEADER_LINES) {
      problems.push({ line: i + 1, reason: `more than ${MAX_HEADER_LINES} header lines: ignored` });
      continue;
    }
    const parsed = lineProblem(raw);
    if ('reason' in parsed) problems.push({ line: i + 1, reason: parsed.reason });
    else {
      headers.push(parsed.header);
      lineNumbers.push(i + 1);
    }
  }
  return { headers, lineNumbers, problems };
}

/**
 * The text of a header list. A captured value with a line break in it (hostile input) would split
 * into two lines and change meaning, so breaks become spaces here.
 */
export function headerText(headers: HeaderList): string {
  return headers.map(([name, value]) => `${name}: ${value.replace(/[\r\n]+/g, ' ')}`).join('\n');
}

/** One row's header line, or null for a blank or malformed row (for merges that keep such rows in place). */
export function parseHeaderLine(row: string): HeaderLine | null {
  if (row.trim() === '') return null;
  const parsed = lineProblem(row);
  return 'header' in parsed ? parsed.header : null;
}
