/**
 * A small Markdown-to-HTML renderer for the XSS test of the Markdown export (no Markdown library
 * is installed, and the project adds no dependency for a test). It is deliberately permissive,
 * like CommonMark and GitHub Flavored Markdown before any sanitizer: raw HTML blocks and inline
 * tags pass through untouched, link and image destinations are used whatever their scheme,
 * entities are left for the browser to decode. So if the exporter ever lets captured data become
 * Markdown syntax, the page this renders runs it, and the test sees it.
 *
 * Covered: fenced code, ATX headings, block quotes, GFM tables (with `\|` inside cells), bullet
 * lists, HTML blocks, paragraphs; inline backslash escapes, code spans, raw HTML, autolinks,
 * links, images, entities. Emphasis is left as text: it cannot carry markup.
 */

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escapeAttribute = (text: string) => text.replace(/&(?![A-Za-z0-9#]+;)/g, '&amp;').replace(/"/g, '&quot;');

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const OPEN_TAG = /^<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>/;
const CLOSE_TAG = /^<\/[A-Za-z][A-Za-z0-9-]*\s*>/;
const COMMENT = /^<!--[\s\S]*?-->/;
const AUTOLINK = /^<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>/;
const ENTITY = /^&(?:#[xX][0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/;

/** Inline Markdown to HTML. */
export function renderInline(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length && ASCII_PUNCTUATION.test(text[i + 1] as string)) {
      out += escapeText(text[i + 1] as string);
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = /^`+/.exec(rest)?.[0] as string;
      const close = findClosingRun(text, i + run.length, run.length);
      if (close >= 0) {
        let code = text.slice(i + run.length, close).replace(/\n/g, ' ');
        if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
        out += `<code>${escapeText(code)}</code>`;
        i = close + run.length;
        continue;
      }
      out += run;
      i += run.length;
      continue;
    }
    if (c === '<') {
      const raw = COMMENT.exec(rest) ?? OPEN_TAG.exec(rest) ?? CLOSE_TAG.exec(rest);
      if (raw) {
        out += raw[0];
        i += raw[0].length;
        continue;
      }
      const auto = AUTOLINK.exec(rest);
      if (auto) {
        out += `<a href="${escapeAttribute(auto[1] as string)}">${escapeText(auto[1] as string)}</a>`;
        i += auto[0].length;
        continue;
      }
    }
    if (c === '&') {
      const entity = ENTITY.exec(rest);
      if (entity) {
        out += entity[0];
        i += entity[0].length;
        continue;
      }
    }
    if (c === '[' || (c === '!' && text[i + 1] === '[')) {
      const link = /^(!?)\[((?:\\.|[^\]\\])*)\]\(\s*(<[^>]*>|[^\s)]*)\s*\)/.exec(rest);
      if (link) {
        const destination = (link[3] as string).replace(/^<|>$/g, '');
        out += link[1] ? `<img src="${escapeAttribute(destination)}" alt="${escapeAttribute(link[2] as string)}">` : `<a href="${escapeAttribute(destination)}">${renderInline(link[2] as string)}</a>`;
        i += link[0].length;
        continue;
      }
    }
    out += escapeText(c);
    i += 1;
  }
  return out;
}

function findClosingRun(text: string, from: number, length: number): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] !== '`') continue;
    const run = /^`+/.exec(text.slice(j))?.[0] as string;
    if (run.length === length) return j;
    j += run.length - 1;
  }
  return -1;
}

/** Splits a table row on pipes that are not backslash-escaped; `\|` becomes `|` (GFM). */
function cells(row: string): string[] {
  const trimmed = row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '');
  const result: string[] = [];
  let current = '';
  for (let i = 0; i < trimmed.length; i++) {
    if (trimmed[i] === '\\' && trimmed[i + 1] === '|') {
      current += '|';
      i += 1;
    } else if (trimmed[i] === '|') {
      result.push(current.trim());
      current = '';
    } else current += trimmed[i];
  }
  result.push(current.trim());
  return result;
}

const HTML_BLOCK_START = /^ {0,3}<(?:\/?[A-Za-z][A-Za-z0-9-]*(?:\s|\/?>|$)|!--)/;

/** A Markdown document to an HTML fragment. */
export function renderMarkdown(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const fence = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    // CommonMark: after a backtick fence the info string may not contain a backtick (then it is a code span).
    if (fence && !((fence[1] as string).startsWith('`') && (fence[2] as string).includes('`'))) {
      const marker = fence[1] as string;
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`).test(lines[i] as string)) body.push(lines[i++] as string);
      i += 1;
      const language = (fence[2] as string).trim().split(/\s+/)[0];
      out.push(`<pre><code${language ? ` class="language-${escapeAttribute(language)}"` : ''}>${escapeText(body.join('\n'))}</code></pre>`);
      continue;
    }
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    if (HTML_BLOCK_START.test(line)) {
      // Raw HTML until a blank line, as CommonMark's HTML blocks.
      while (i < lines.length && (lines[i] as string).trim() !== '') out.push(lines[i++] as string);
      continue;
    }
    const heading = /^ {0,3}(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = (heading[1] as string).length;
      out.push(`<h${level}>${renderInline((heading[2] as string).replace(/\s#+\s*$/, ''))}</h${level}>`);
      i += 1;
      continue;
    }
    if (line.startsWith('|') && /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(lines[i + 1] ?? '')) {
      const head = cells(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] as string).trim().startsWith('|')) rows.push(cells(lines[i++] as string));
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${renderInline(c)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((row) => `<tr>${row.map((c) => `<td>${renderInline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
      continue;
    }
    if (/^ {0,3}> ?/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^ {0,3}> ?/.test(lines[i] as string)) quoted.push((lines[i++] as string).replace(/^ {0,3}> ?/, ''));
      out.push(`<blockquote>${renderMarkdown(quoted.join('\n'))}</blockquote>`);
      continue;
    }
    if (/^ {0,3}[-*+] /.test(line)) {
      const items: string[] = [];
      while (i < lines.length && /^ {0,3}[-*+] /.test(lines[i] as string)) items.push((lines[i++] as string).replace(/^ {0,3}[-*+] /, ''));
      out.push(`<ul>${items.map((item) => `<li>${renderInline(item)}</li>`).join('')}</ul>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] as string).trim() !== '' && !/^ {0,3}(`{3,}[^`]*$|~{3,}|#{1,6}\s|> ?|[-*+] )/.test(lines[i] as string)) paragraph.push(lines[i++] as string);
    if (paragraph.length === 0) paragraph.push(lines[i++] as string);
    out.push(`<p>${renderInline(paragraph.join('\n'))}</p>`);
  }
  return out.join('\n');
}
