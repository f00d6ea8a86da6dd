import { describe, expect, it } from 'vitest';
import { headerText, MAX_HEADER_LINES, parseHeaderLine, parseHeaderText } from '@/lib/whatif/header-text';

describe('parseHeaderText', () => {
  it('keeps lines in order, duplicates and case included, and trims values', () => {
    const parsed = parseHeaderText('Content-Type: text/event-stream\nAccess-Control-Allow-Origin:  *  \naccess-control-allow-origin: https://a.example\nX-Empty:');
    expect(parsed.headers).toEqual([
      ['Content-Type', 'text/event-stream'],
      ['Access-Control-Allow-Origin', '*'],
      ['access-control-allow-origin', 'https://a.example'],
      ['X-Empty', ''],
    ]);
    expect(parsed.lineNumbers).toEqual([1, 2, 3, 4]);
    expect(parsed.problems).toEqual([]);
  });

  it('accepts CRLF and CR line ends, and skips blank lines without complaint', () => {
    const parsed = parseHeaderText('A: 1\r\n\r\n  \rB: 2\r');
    expect(parsed.headers).toEqual([['A', '1'], ['B', '2']]);
    expect(parsed.lineNumbers).toEqual([1, 4]);
    expect(parsed.problems).toEqual([]);
  });

  const malformed: readonly [string, string, RegExp][] = [
    ['no colon', 'Access-Control-Allow-Origin *', /^no colon/],
    ['a pasted status line', 'HTTP/1.1 200 OK', /^a status line/],
    ['no name', ': value', /^no header name/],
    ['a space in the name', 'Access Control: x', /names cannot contain spaces/],
    ['a separator in the name', 'X(Y): z', /is not a header name/],
    ['obs-fold continuation', ' continued', /continuation lines/],
    ['a control character', 'X-A: a\u0007b', /control character \(U\+0007\)/],
    ['a character outside Latin-1', 'X-A: 5 €', /U\+20AC, outside Latin-1/],
    ['a huge line', `X-A: ${'a'.repeat(9000)}`, /longer than 8192/],
  ];
  it.each(malformed)('marks %s with a one-line reason and keeps the other lines', (_name, bad, reason) => {
    const parsed = parseHeaderText(`A: 1\n${bad}\nB: 2`);
    expect(parsed.headers).toEqual([['A', '1'], ['B', '2']]);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]?.line).toBe(2);
    expect(parsed.problems[0]?.reason).toMatch(reason);
    expect(parsed.problems[0]?.reason).not.toContain('\n');
  });

  it('allows Latin-1 bytes and tabs in values, as servers may send them', () => {
    expect(parseHeaderText('X-A: caf\u00e9\tok').headers).toEqual([['X-A', 'caf\u00e9\tok']]);
  });

  it(`stops at ${MAX_HEADER_LINES} lines and says so for each line beyond`, () => {
    const text = Array.from({ length: MAX_HEADER_LINES + 2 }, (_, i) => `X-${i}: ${i}`).join('\n');
    const parsed = parseHeaderText(text);
    expect(parsed.headers).toHaveLength(MAX_HEADER_LINES);
    expect(parsed.problems.map((p) => p.line)).toEqual([MAX_HEADER_LINES + 1, MAX_HEADER_LINES + 2]);
  });

  it('never throws, whatever is typed or pasted', () => {
    // A fixed-seed generator: the same strings on every run.
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const alphabet = ['a', 'Z', ':', ' ', '\t', '\n', '\r', '\u0000', '\u00ff', '\u20ac', '\ud83d', '(', 'HTTP/1.1 ', '-'];
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: next() % 60 }, () => alphabet[next() % alphabet.length]).join('');
      const parsed = parseHeaderText(text);
      for (const [name] of parsed.headers) expect(name).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
      expect(parsed.headers.length + parsed.problems.length).toBeLessThanOrEqual(text.split(/\r\n|\n|\r/).length);
    }
  });
});

describe('headerText', () => {
  it('writes one `Name: value` line per header, and parses back to the same list', () => {
    const lines = [['Content-Type', 'text/event-stream'], ['Vary', 'Origin'], ['Vary', 'Accept-Encoding']] as const;
    expect(headerText(lines)).toBe('Content-Type: text/event-stream\nVary: Origin\nVary: Accept-Encoding');
    expect(parseHeaderText(headerText(lines)).headers).toEqual(lines);
  });

  it('never lets a captured value with a line break become two lines', () => {
    expect(headerText([['X-Evil', 'a\r\nAccess-Control-Allow-Origin: *']])).toBe('X-Evil: a Access-Control-Allow-Origin: *');
  });
});

describe('parseHeaderLine', () => {
  it('reads one row, or null for blank and malformed rows', () => {
    expect(parseHeaderLine('Vary: Origin')).toEqual(['Vary', 'Origin']);
    expect(parseHeaderLine('   ')).toBeNull();
    expect(parseHeaderLine('nonsense')).toBeNull();
  });
});
